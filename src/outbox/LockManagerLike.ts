/**
 * The part of the Web Locks API (`navigator.locks`) the send lease uses. The callback holds the
 * lock until the promise it returns settles; `signal` withdraws a request not yet granted.
 *
 * @example
 * createJobStreams({ url, outbox: outbox({ locks: navigator.locks }) });
 */
export interface LockManagerLike {
  /** Calls `callback` once the exclusive lock `name` is granted, holding it until its result settles. */
  request(
    name: string,
    options: { mode: 'exclusive'; signal?: AbortSignal },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown>;
}
