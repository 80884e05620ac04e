import type { MaybePromise } from './JobStore.js';

/**
 * `then(value)` at once for a plain value, once it resolves for a promise: the in-memory server
 * answers synchronously (a subscribe is acked in the same tick it arrived), a cluster node when
 * Redis answered. A rejection (or a throw of `then` after it) goes to `failed`.
 *
 * @example
 * thenMaybe(store.find(id), (record) => ack(record?.snapshot), () => ack(unavailable));
 */
export function thenMaybe<T>(value: MaybePromise<T>, then: (value: T) => void, failed: (error: unknown) => void): void {
  if (value instanceof Promise) value.then(then).catch(failed);
  else then(value);
}
