/**
 * The part of the Web Locks API (`navigator.locks`) the send lease uses. The callback holds the
 * lock until the promise it returns settles; `signal` withdraws a request not yet granted.
 *
 * @example
 * acquireSendLease({ locks: navigator.locks });
 */
export interface LockManagerLike {
  request(
    name: string,
    options: { mode: 'exclusive'; signal?: AbortSignal },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown>;
}
