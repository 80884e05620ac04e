import { describe, expect, it } from 'vitest';
import { acquireSendLease } from '../../src/outbox/acquireSendLease.js';
import { memoryStorage } from '../../src/outbox/memoryStorage.js';
import type { StorageProblem } from '../../src/outbox/StorageProblem.js';
import { FakeLockManager } from './FakeLockManager.js';
import { advance, domError, flushMicrotasks, virtualTime } from './helpers.js';

const LOCK = 'jobstream:outbox:v1:lease';

/** A tab contending for the lease; `seen` records every emission. */
function tab(locks: FakeLockManager, extra: Parameters<typeof acquireSendLease>[0] = {}) {
  const seen: boolean[] = [];
  const subscription = acquireSendLease({ locks, ...extra }).subscribe((held) => seen.push(held));
  return { seen, close: () => subscription.unsubscribe() };
}

describe('acquireSendLease', () => {
  describe('with Web Locks', () => {
    it('should let one tab hold the lock and the next take it when the first unsubscribes', async () => {
      const locks = new FakeLockManager();
      const a = tab(locks);
      const b = tab(locks);
      await flushMicrotasks();
      expect(a.seen).toEqual([false, true]);
      expect(b.seen).toEqual([false]);
      a.close();
      await flushMicrotasks();
      expect(b.seen).toEqual([false, true]);
      expect(a.seen).toEqual([false, true]);
      b.close();
      await flushMicrotasks();
      expect(locks.state(LOCK)).toEqual({ held: false, pending: 0 });
    });

    it('should withdraw a waiting request on unsubscribe, so it is never granted', async () => {
      const locks = new FakeLockManager();
      const a = tab(locks);
      const b = tab(locks);
      const c = tab(locks);
      await flushMicrotasks();
      b.close();
      await flushMicrotasks();
      expect(locks.state(LOCK)).toEqual({ held: true, pending: 1 });
      a.close();
      await flushMicrotasks();
      expect(b.seen).toEqual([false]);
      expect(c.seen).toEqual([false, true]);
    });

    it('should hand the lock on at once when it is granted after unsubscribing', async () => {
      const locks = new FakeLockManager();
      const a = tab(locks);
      locks.ignoreAbort = true; // the grant wins the race with the abort
      const b = tab(locks);
      locks.ignoreAbort = false;
      const c = tab(locks);
      await flushMicrotasks();
      b.close();
      a.close();
      await flushMicrotasks();
      expect(b.seen).toEqual([false]);
      expect(c.seen).toEqual([false, true]);
    });

    it('should use the lock named after the key', async () => {
      const locks = new FakeLockManager();
      const a = tab(locks, { key: 'app:outbox' });
      await flushMicrotasks();
      expect(locks.state('app:outbox:lease').held).toBe(true);
      a.close();
    });

    it('should accept the DOM LockManager type', () => {
      const real: LockManager | undefined = undefined;
      expect(() => acquireSendLease({ locks: real })).not.toThrow(); // a type test: compiles or not
    });

    it('should use navigator.locks by default', async () => {
      const locks = new FakeLockManager();
      const previous = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
      Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { locks } });
      try {
        const seen: boolean[] = [];
        const subscription = acquireSendLease().subscribe((held) => seen.push(held));
        await flushMicrotasks();
        expect(locks.state(LOCK).held).toBe(true);
        expect(seen).toEqual([false, true]);
        subscription.unsubscribe();
      } finally {
        if (previous) Object.defineProperty(globalThis, 'navigator', previous);
        else delete (globalThis as { navigator?: unknown }).navigator;
      }
    });

    it('should fall back to the storage lease, reporting once, when Web Locks refuses', async () => {
      const error = domError('SecurityError');
      const locks = { request: () => Promise.reject(error) };
      const scheduler = virtualTime();
      const problems: StorageProblem[] = [];
      const seen: boolean[] = [];
      const config = { locks, scheduler, storage: memoryStorage(), onProblem: (p: StorageProblem) => problems.push(p) };
      const subscription = acquireSendLease(config).subscribe((held) => seen.push(held));
      await flushMicrotasks();
      advance(scheduler, 100);
      expect(seen).toEqual([false, true]);
      expect(problems).toEqual([{ kind: 'security', error }]);
      subscription.unsubscribe();
    });

    it('should say false when a held lock is lost (stolen)', async () => {
      let steal = (_: Error): void => undefined;
      const locks = {
        request: (_name: string, _options: unknown, callback: (lock: unknown) => unknown) =>
          new Promise((_resolve, reject) => {
            steal = reject;
            void callback({});
          }),
      };
      const scheduler = virtualTime();
      const shared = memoryStorage();
      shared.setItem(LOCK, JSON.stringify({ owner: 'thief', expiresAt: 5000 }));
      const seen: boolean[] = [];
      const subscription = acquireSendLease({ locks, scheduler, storage: shared }).subscribe((held) => seen.push(held));
      await flushMicrotasks();
      expect(seen).toEqual([false, true]);
      steal(domError('AbortError'));
      await flushMicrotasks();
      advance(scheduler, 1000);
      expect(seen).toEqual([false, true, false]);
      subscription.unsubscribe();
    });
  });
});
