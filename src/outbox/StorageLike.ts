/**
 * The part of the Web Storage API the outbox uses. `localStorage`, `sessionStorage` and
 * {@link memoryStorage} all fit; any method may throw, and the outbox copes.
 *
 * @example
 * new MessageQueue({ storage: window.sessionStorage });
 */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
