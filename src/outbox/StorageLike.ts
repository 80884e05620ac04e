/**
 * The part of the Web Storage API the outbox uses. `localStorage`, `sessionStorage` and
 * `memoryStorage()` (from `jobstream/outbox`) all fit; any method may throw, and the outbox copes.
 *
 * @example
 * createJobStreams({ url, outbox: outbox({ storage: window.sessionStorage }) });
 */
export interface StorageLike {
  /** The value stored under `key`, or `null`. */
  getItem(key: string): string | null;
  /** Stores `value` under `key`; may throw (quota exceeded, storage disabled). */
  setItem(key: string, value: string): void;
  /** Removes `key`. */
  removeItem(key: string): void;
}
