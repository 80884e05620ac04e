import type { FetchLike } from '../../src/transport/poll$.js';

/** One call a {@link recordingFetch} passed on. */
export interface FetchCall {
  url: string;
  init: Parameters<FetchLike>[1];
}

/**
 * The real `fetch`, recording every call (its URL, headers, credentials and `AbortSignal`) so a
 * spec can assert what went out and whether it was aborted, while the request still reaches the
 * reference server.
 *
 * @example
 * const { fetch, calls } = recordingFetch();
 * poll$(url, { fetch }).subscribe().unsubscribe();
 * expect(calls[0]?.init.signal.aborted).toBe(true);
 */
export function recordingFetch(inner: FetchLike = globalThis.fetch): { fetch: FetchLike; calls: FetchCall[] } {
  const calls: FetchCall[] = [];
  return {
    calls,
    fetch: (url, init) => {
      calls.push({ url, init });
      return inner(url, init);
    },
  };
}
