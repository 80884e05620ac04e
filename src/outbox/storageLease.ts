import { defer, distinctUntilChanged, exhaustMap, finalize, map, of, startWith, timer } from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import * as v from 'valibot';
import { createStorageSlot } from './createStorageSlot.js';
import type { StorageLike } from './StorageLike.js';
import type { StorageProblem } from './StorageProblem.js';

/** Options of {@link storageLease}, all resolved by `acquireSendLease`. */
export interface StorageLeaseConfig {
  storage: StorageLike;
  key: string;
  ownerId: string;
  scheduler: SchedulerLike;
  report: (problem: StorageProblem) => void;
}

/** Ms a lease stays valid unrenewed: how long a tab that died holding it blocks the others. */
const LEASE_TTL = 5000;
/** Ms between a claim and reading it back; shorter than the renewal period, `LEASE_TTL / 3`. */
const SETTLE_DELAY = 100;

const LeaseRecordSchema = v.strictObject({
  owner: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  expiresAt: v.pipe(v.number(), v.finite()),
});

/**
 * A lease in shared storage, for browsers without Web Locks: the record `{ owner, expiresAt }`
 * under `key`, valid for 5 s, renewed every third of that while held and removed on unsubscribe.
 * Another owner's record is taken over only once expired (its tab died without releasing), or at
 * once when it expires further ahead than any tab writes (a clock that ran ahead), reported as
 * `clock`. A claim is read back after 100 ms: storage has no compare-and-set, so when two tabs
 * claim at once the last write wins and the other sees it lost. Emits `false`, then `true` while
 * held, `false` if lost.
 *
 * When storage cannot be read or written at all, it holds: refusing would strand every message,
 * while a duplicate send is harmless because the server dedupes by id.
 */
export function storageLease(config: StorageLeaseConfig): Observable<boolean> {
  const { storage, key, ownerId, scheduler, report } = config;
  return defer(() => {
    const slot = createStorageSlot(storage, key, report);
    const read = (): v.InferOutput<typeof LeaseRecordSchema> | null | undefined => {
      const raw = slot.read();
      if (raw === undefined || raw === null) return raw;
      const parsed = v.safeParse(LeaseRecordSchema, parseJson(raw));
      if (parsed.success) return parsed.output;
      report({ kind: 'corrupt' });
      return null;
    };
    const ours = (): boolean => read()?.owner === ownerId;
    const attempt = (): Observable<boolean> => {
      const record = read();
      const now = scheduler.now();
      if (record === undefined) return of(true);
      if (record !== null && record.owner !== ownerId && record.expiresAt > now) {
        // No tab on this clock writes an expiry further ahead (SETTLE_DELAY absorbs float and timer
        // jitter): a clock that ran ahead or a forged record did, and would block sending until then.
        if (record.expiresAt - now <= LEASE_TTL + SETTLE_DELAY) return of(false);
        report({ kind: 'clock' });
      }
      if (!slot.write(JSON.stringify({ owner: ownerId, expiresAt: now + LEASE_TTL }))) return of(true);
      // A renewal of our own record needs no settle: a rival only writes over an expired record.
      return record?.owner === ownerId ? of(ours()) : timer(SETTLE_DELAY, scheduler).pipe(map(ours));
    };
    return timer(0, LEASE_TTL / 3, scheduler).pipe(
      exhaustMap(attempt),
      startWith(false),
      distinctUntilChanged(),
      finalize(() => ours() && slot.remove()),
    );
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
