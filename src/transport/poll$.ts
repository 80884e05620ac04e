import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import { retryBackoff } from '../operators/retryBackoff.js';
import { HttpError } from './HttpError.js';

/** The part of `fetch` that jobstream's REST polling needs, so tests and SSR can pass their own. */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; credentials?: 'include' | 'same-origin' | 'omit'; headers?: Record<string, string> },
) => Promise<{
  ok: boolean;
  status: number;
  /** The body parsed as JSON. */
  json(): Promise<unknown>;
}>;

/** Options of {@link poll$}. */
export interface PollConfig {
  /** The fetch implementation. */
  fetch: FetchLike;
  /**
   * How many times a request is made in all before a transient failure (network, 408, 429, 5xx)
   * is reported. Other statuses (404 first of all) are reported at once.
   * @default 3
   */
  tries?: number;
  /**
   * Delay before the first retry, doubled for the next.
   * @default 500
   */
  retryDelay?: number;
  /**
   * Ms to wait for one request's answer, body included, before it is aborted and counted as a
   * network failure (so retried like one): a request that never settles, on a half-open link
   * say, would otherwise hold the job's polling for good.
   * @default 10000
   */
  timeout?: number;
  /** Extra request headers, such as `X-Request-ID`. */
  headers?: Record<string, string>;
  /**
   * Cookies with the request, as `withCredentials` does for the socket.
   * @default 'same-origin'
   */
  credentials?: 'include' | 'same-origin' | 'omit';
  /** @default asyncScheduler */
  scheduler?: SchedulerLike;
  /** Randomness of the retry jitter. @default Math.random */
  random?: () => number;
  /** Called when a transient failure is retried, with the 1-based attempt and the delay in ms. */
  onRetry?: (info: { attempt: number; delay: number; error: unknown }) => void;
}

/** Defaults of {@link PollConfig}. */
export const DEFAULT_POLL = { tries: 3, retryDelay: 500, timeout: 10_000, credentials: 'same-origin' } as const;

/**
 * One GET of a JSON resource as a cold observable: emits the parsed body and completes. Transient
 * failures are retried with backoff; the last one, or any other non-2xx, errors with
 * {@link HttpError}. A request unanswered after `timeout` is aborted and fails as a network error
 * (status 0). Unsubscribing aborts the request in flight.
 *
 * @example
 * poll$(`${api}/api/v1/generations/${id}`, { fetch }).subscribe(render);
 */
export function poll$(url: string, config: PollConfig): Observable<unknown> {
  const {
    fetch,
    tries = DEFAULT_POLL.tries,
    retryDelay = DEFAULT_POLL.retryDelay,
    timeout = DEFAULT_POLL.timeout,
    headers,
    credentials = DEFAULT_POLL.credentials,
    scheduler = asyncScheduler,
    random,
    onRetry,
  } = config;
  const once = new Observable<unknown>((subscriber) => {
    const controller = new AbortController();
    const timer = scheduler.schedule(() => {
      controller.abort();
      subscriber.error(new HttpError(0, url, { cause: new Error(`no answer within ${timeout} ms`) }));
    }, timeout);
    fetch(url, { signal: controller.signal, credentials, ...(headers && { headers }) })
      .then(
        async (response) => {
          if (!response.ok) throw new HttpError(response.status, url);
          return response.json();
        },
        (cause: unknown) => {
          throw new HttpError(0, url, { cause });
        },
      )
      .then(
        (body) => {
          subscriber.next(body);
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error),
      );
    return () => {
      timer.unsubscribe();
      controller.abort();
    };
  });
  return once.pipe(
    retryBackoff({
      maxAttempts: tries - 1,
      initialDelay: retryDelay,
      maxDelay: retryDelay * 2 ** Math.max(0, tries - 2),
      shouldRetry: (error) => error instanceof HttpError && error.transient,
      scheduler,
      ...(random && { random }),
      ...(onRetry && { onRetry }),
    }),
  );
}
