/**
 * Storage trouble, reported once per kind through `onProblem`; the outbox carries on in memory.
 *
 * - `unavailable`: no usable `localStorage` (SSR, a worker) or a storage call failed otherwise;
 * - `security`: access threw a `SecurityError` (private mode, blocked third-party storage);
 * - `quota`: a write threw `QuotaExceededError`: messages stay queued in memory only;
 * - `corrupt`: what was stored was not valid JSON, had the wrong shape, or held hostile keys
 *   (`__proto__`, `constructor`); the invalid part was dropped;
 * - `clock`: another tab's send lease expired further ahead than a lease lasts (its clock ran ahead,
 *   or the record was forged); it was taken over rather than block sending until then.
 *
 * @example
 * new MessageQueue({ onProblem: ({ kind }) => kind === 'quota' && warn('offline changes may not survive a reload') });
 */
export interface StorageProblem {
  kind: 'unavailable' | 'security' | 'quota' | 'corrupt' | 'clock';
  /** What was thrown, when something was. */
  error?: unknown;
}
