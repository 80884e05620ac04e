import { asyncScheduler, catchError, defer, distinctUntilChanged } from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import { lockLease } from './lockLease.js';
import { DEFAULT_MESSAGE_QUEUE } from './MessageQueueConfig.js';
import { randomId } from './randomId.js';
import { reportOnce } from './reportOnce.js';
import { resolveStorage } from './resolveStorage.js';
import { storageLease } from './storageLease.js';
import { storageProblemKind } from './storageProblemKind.js';
import { withDefaults } from './withDefaults.js';
import type { LockManagerLike } from './LockManagerLike.js';
import type { StorageLike } from './StorageLike.js';
import type { StorageProblem } from './StorageProblem.js';

/** Options of {@link acquireSendLease}. */
export interface SendLeaseConfig {
  /**
   * The outbox's storage key; the lease (lock or record) is named `${key}:lease`. Use the key of
   * the queue it guards.
   * @default 'jobstream:outbox:v1'
   */
  key?: string;
  /**
   * The Web Locks manager. `null` forces the storage lease (to exercise it in a browser).
   * @default globalThis.navigator?.locks
   */
  locks?: LockManagerLike | null;
  /**
   * Storage of the fallback lease; must be the one the tabs share (not `sessionStorage`).
   * @default globalThis.localStorage when readable, else memoryStorage()
   */
  storage?: StorageLike;
  /**
   * Clock and timers of the storage lease; tests pass a virtual-time scheduler.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
  /**
   * This contender's name in the storage lease record.
   * @default randomId(), new for each subscription
   */
  ownerId?: string;
  /** Storage or Web Locks trouble, once per kind. Web Locks failing falls back to the storage lease. */
  onProblem?: (problem: StorageProblem) => void;
}

/** Defaults of {@link SendLeaseConfig}. */
export const DEFAULT_SEND_LEASE: Readonly<Required<Pick<SendLeaseConfig, 'key' | 'scheduler'>>> = {
  key: DEFAULT_MESSAGE_QUEUE.key,
  scheduler: asyncScheduler,
};

/**
 * Cross-tab exclusivity for sending the shared outbox: emits whether this subscriber may send.
 * Subscribing contends, unsubscribing releases; it starts with `false`, turns `true` while held,
 * and turns `false` again if the lease is lost. It never errors or completes. Each subscription
 * is a separate contender, so share it when several parts of one client need it.
 *
 * Uses Web Locks where present (exclusive, freed by the browser when a tab dies), else a storage
 * lease with expiry. Only Web Locks is airtight: a storage-lease holder whose timers a background
 * tab throttled past its 5 s expiry may overlap a successor briefly, which the server's dedupe by
 * message id absorbs.
 *
 * @example
 * acquireSendLease().pipe(switchMap((held) => (held ? flushOutbox$ : EMPTY))).subscribe();
 */
export function acquireSendLease(config: SendLeaseConfig = {}): Observable<boolean> {
  const { key, scheduler } = withDefaults(DEFAULT_SEND_LEASE, config);
  return defer(() => {
    const report = reportOnce(config.onProblem);
    const name = `${key}:lease`;
    const byStorage = (): Observable<boolean> =>
      storageLease({
        storage: resolveStorage(config.storage, report),
        key: name,
        ownerId: config.ownerId ?? randomId(),
        scheduler,
        report,
      });
    const locks = config.locks === undefined ? defaultLocks() : config.locks;
    const lease$ = locks
      ? lockLease(locks, name).pipe(
          catchError((error: unknown) => {
            report({ kind: storageProblemKind(error), error });
            return byStorage();
          }),
        )
      : byStorage();
    return lease$.pipe(distinctUntilChanged());
  });
}

function defaultLocks(): LockManagerLike | null {
  try {
    return (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks ?? null;
  } catch {
    return null;
  }
}
