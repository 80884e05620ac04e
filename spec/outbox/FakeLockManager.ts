import type { LockManagerLike } from '../../src/outbox/LockManagerLike.js';

interface Waiter {
  grant: () => void;
  ignoresAbort: boolean;
}

/**
 * A LockManager with the real exclusive semantics: one holder per name, others queued FIFO, the
 * callback invoked asynchronously, the lock held until the callback's promise settles, then the
 * request's promise settles with it. A waiting request aborted through its `signal` rejects with
 * an `AbortError` and is never granted. `ignoreAbort` mimics the race where the grant wins.
 */
export class FakeLockManager implements LockManagerLike {
  ignoreAbort = false;
  private readonly held = new Set<string>();
  private readonly queues = new Map<string, Waiter[]>();

  request(
    name: string,
    options: { mode: 'exclusive'; signal?: AbortSignal },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) {
        reject(new DOMException('aborted', 'AbortError'));
        return;
      }
      const queue = this.queue(name);
      const waiter: Waiter = {
        ignoresAbort: this.ignoreAbort,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.held.add(name);
          const release = () => {
            this.held.delete(name);
            this.pump(name);
          };
          queueMicrotask(() => {
            new Promise((run) => run(callback({ name, mode: 'exclusive' }))).then(
              (value) => {
                release();
                resolve(value);
              },
              (error: unknown) => {
                release();
                reject(error);
              },
            );
          });
        },
      };
      const onAbort = () => {
        if (waiter.ignoresAbort) return;
        queue.splice(queue.indexOf(waiter), 1);
        reject(new DOMException('aborted', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
      this.pump(name);
    });
  }

  /** Like `navigator.locks.query()`, for one name. */
  state(name: string): { held: boolean; pending: number } {
    return { held: this.held.has(name), pending: this.queue(name).length };
  }

  private queue(name: string): Waiter[] {
    const queue = this.queues.get(name) ?? [];
    this.queues.set(name, queue);
    return queue;
  }

  private pump(name: string): void {
    if (!this.held.has(name)) this.queue(name).shift()?.grant();
  }
}
