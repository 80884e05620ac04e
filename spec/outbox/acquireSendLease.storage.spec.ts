import type { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { acquireSendLease } from '../../src/outbox/acquireSendLease.js';
import { memoryStorage } from '../../src/outbox/memoryStorage.js';
import type { StorageLike } from '../../src/outbox/StorageLike.js';
import type { StorageProblem } from '../../src/outbox/StorageProblem.js';
import { advance, domError, mortalStorage, spyStorage, virtualTime } from './helpers.js';

const LEASE = 'jobstream:outbox:v1:lease';
const TTL = 5000; // a lease's lifetime; renewals every TTL / 3
const SETTLE = 100; // the delay before a claim is read back

/** A tab contending through the storage lease (Web Locks forced off). */
function tab(ownerId: string, storage: StorageLike, scheduler: VirtualTimeScheduler) {
  const seen: boolean[] = [];
  const problems: StorageProblem[] = [];
  const lease$ = acquireSendLease({ locks: null, storage, scheduler, ownerId, onProblem: (p) => problems.push(p) });
  const subscription = lease$.subscribe((held) => seen.push(held));
  return { seen, problems, held: () => seen.at(-1), close: () => subscription.unsubscribe() };
}

const record = (storage: StorageLike) => JSON.parse(storage.getItem(LEASE) ?? 'null') as { owner: string } | null;

describe('acquireSendLease', () => {
  describe('with the storage lease', () => {
    it('should let only the first of two tabs hold it, for as long as it stays', () => {
      const shared = memoryStorage();
      const scheduler = virtualTime();
      const a = tab('a', shared, scheduler);
      const b = tab('b', shared, scheduler);
      advance(scheduler, SETTLE);
      expect([a.seen, b.seen]).toEqual([[false, true], [false]]);
      advance(scheduler, 10 * TTL); // renewals keep it past many TTLs
      expect([a.seen, b.seen]).toEqual([[false, true], [false]]);
      expect(record(shared)?.owner).toBe('a');
      a.close();
      b.close();
    });

    it('should pass to the waiting tab within a renewal period after the holder releases', () => {
      const shared = memoryStorage();
      const scheduler = virtualTime();
      const a = tab('a', shared, scheduler);
      const b = tab('b', shared, scheduler);
      advance(scheduler, 1000);
      a.close();
      expect(record(shared)).toBeNull();
      advance(scheduler, TTL / 3 + SETTLE);
      expect(b.seen).toEqual([false, true]);
      b.close();
      expect(record(shared)).toBeNull();
    });

    it('should be taken over only after the lease of a tab that died without releasing expired', () => {
      const shared = memoryStorage();
      const scheduler = virtualTime();
      const doomed = mortalStorage(shared);
      const a = tab('a', doomed.storage, scheduler);
      const b = tab('b', shared, scheduler);
      advance(scheduler, 2000); // a renewed at 1666.67: its record now expires at 6666.67
      doomed.kill();
      a.close(); // its timers stop; its removal never reaches storage
      advance(scheduler, 6666 - 2000);
      expect(b.seen).toEqual([false]);
      expect(record(shared)?.owner).toBe('a');
      advance(scheduler, TTL / 3 + SETTLE);
      expect(b.seen).toEqual([false, true]);
      b.close();
    });

    it('should not hold when a rival claim lands while the claim settles', () => {
      const shared = memoryStorage();
      const scheduler = virtualTime();
      const a = tab('a', shared, scheduler);
      advance(scheduler, SETTLE / 2);
      shared.setItem(LEASE, JSON.stringify({ owner: 'rival', expiresAt: scheduler.now() + TTL }));
      advance(scheduler, SETTLE);
      expect(a.seen).toEqual([false]);
      a.close();
      expect(record(shared)?.owner).toBe('rival');
    });

    it('should say false when a rival took over a lease its timers failed to renew', () => {
      const shared = memoryStorage();
      const scheduler = virtualTime();
      const a = tab('a', shared, scheduler);
      advance(scheduler, SETTLE);
      shared.setItem(LEASE, JSON.stringify({ owner: 'rival', expiresAt: scheduler.now() + TTL }));
      advance(scheduler, TTL / 3);
      expect(a.seen).toEqual([false, true, false]);
      a.close();
      expect(record(shared)?.owner).toBe('rival');
    });

    // prettier-ignore
    it.each([
      ['invalid JSON',           '{"owner":'],
      ['the wrong shape',        '{"owner":42}'],
      ['hostile keys',           '{"owner":"x","expiresAt":1e15,"__proto__":{"polluted":true}}'],
    ])('should treat a record with %s as free and report "corrupt" once', (_, raw) => {
      const shared = memoryStorage();
      shared.setItem(LEASE, raw);
      const scheduler = virtualTime();
      const a = tab('a', shared, scheduler);
      advance(scheduler, TTL);
      expect(a.seen).toEqual([false, true]);
      expect(a.problems).toEqual([{ kind: 'corrupt' }]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      a.close();
    });

    it('should take over a lease that expires further ahead than a lease lasts (a clock a day ahead), and report it once', () => {
      const shared = memoryStorage();
      const scheduler = virtualTime();
      shared.setItem(LEASE, JSON.stringify({ owner: 'ahead', expiresAt: scheduler.now() + 86_400_000 }));
      const a = tab('a', shared, scheduler);
      advance(scheduler, TTL);
      expect(a.seen).toEqual([false, true]);
      expect(a.problems).toEqual([{ kind: 'clock' }]);
      expect(record(shared)?.owner).toBe('a');
      a.close();
    });

    it('should respect a lease that expires up to TTL + SETTLE ahead (timer jitter)', () => {
      const shared = memoryStorage();
      const scheduler = virtualTime();
      shared.setItem(LEASE, JSON.stringify({ owner: 'rival', expiresAt: scheduler.now() + TTL + SETTLE }));
      const a = tab('a', shared, scheduler);
      advance(scheduler, TTL - 1);
      expect(a.seen).toEqual([false]);
      expect(a.problems).toEqual([]);
      a.close();
    });

    it('should hold, reporting once, when storage refuses writes: a duplicate send beats none', () => {
      const { storage, failures } = spyStorage();
      failures.setItem = domError('QuotaExceededError');
      const scheduler = virtualTime();
      const a = tab('a', storage, scheduler);
      advance(scheduler, TTL);
      expect(a.seen).toEqual([false, true]);
      expect(a.problems.map((p) => p.kind)).toEqual(['quota']);
      a.close();
    });

    it('should hold, reporting once, when storage cannot be read: there is nothing to coordinate through', () => {
      const { storage, failures } = spyStorage();
      failures.getItem = domError('SecurityError');
      const scheduler = virtualTime();
      const a = tab('a', storage, scheduler);
      advance(scheduler, TTL);
      expect(a.seen).toEqual([false, true]);
      expect(a.problems.map((p) => p.kind)).toEqual(['security']);
      a.close();
    });
  });
});
