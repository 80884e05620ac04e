import { Observable } from 'rxjs';
import type { LockManagerLike } from './LockManagerLike.js';

/**
 * Holds the exclusive Web Lock `name` while subscribed: emits `false`, then `true` once granted.
 * The browser grants it to one tab at a time, queues the others, and frees it when the holder
 * unsubscribes or its tab dies, so no expiry or polling is needed. Errors if the lock is lost
 * (stolen with `steal: true`) or the API refuses (a `SecurityError` in an opaque origin).
 */
export function lockLease(locks: LockManagerLike, name: string): Observable<boolean> {
  return new Observable<boolean>((subscriber) => {
    const abort = typeof AbortController === 'function' ? new AbortController() : undefined;
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Holding = returning a promise that settles on teardown. A grant that raced the abort of an
    // unsubscribed request gets the already-settled promise, so the lock passes on at once.
    const granted = (): Promise<void> => {
      subscriber.next(true);
      return released;
    };
    subscriber.next(false);
    try {
      locks.request(name, { mode: 'exclusive', ...(abort && { signal: abort.signal }) }, granted).then(
        // Settling while still subscribed means we no longer hold it: say so rather than send on.
        () => subscriber.error(new Error(`Web Lock "${name}" was released while still needed.`)),
        (error: unknown) => subscriber.error(error),
      );
    } catch (error) {
      subscriber.error(error);
    }
    return () => {
      abort?.abort();
      release();
    };
  });
}
