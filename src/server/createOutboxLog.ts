import { asyncScheduler, noop, type SchedulerLike } from 'rxjs';
import { OutboundEnvelopeSchema, type OutboundEnvelope } from '../protocol/index.js';
import { safeParse } from '../protocol/parse.js';
import { appendBounded } from './appendBounded.js';
import { checkLimit } from './checkLimit.js';
import type { MaybePromise } from './JobStore.js';

/** An outbound payload the server refused, and why. */
export interface RejectedEnvelope {
  /** The payload as received. */
  payload: unknown;
  /** What failed validation. */
  reason: string;
}

/** One id of the dedupe log: a delivery of it before `expiresAt` is acked but not acted on again. */
export interface DedupeEntry {
  /** The envelope id. */
  id: string;
  /** When the id is forgotten, in the scheduler's time (`Date.now()` with the default one). */
  expiresAt: number;
}

/**
 * What the server saw of the client's outbound messages. The arrays are live, in arrival order,
 * and keep the last `recordLimit` entries each.
 */
export interface OutboxLog {
  /** Valid deliveries, resends included. */
  readonly received: readonly OutboundEnvelope[];
  /** Envelopes acted on, each id once (by this process: a restored id has no payload here). */
  readonly applied: readonly OutboundEnvelope[];
  /** Payloads that were not an `{ id, event, data }` envelope. */
  readonly rejected: readonly RejectedEnvelope[];
  /**
   * The dedupe log: every id that a resend would not apply again, oldest first, restored ones
   * included. This is what the state file persists. Empty with a shared `claim` (a cluster's
   * ids are in Redis).
   */
  dedupe(): DedupeEntry[];
}

/** The answer to one delivery: `{ id }`, or `{ error }` for an invalid envelope. */
export type OutboxAck = { id: string } | { error: { code: 'INVALID_ENVELOPE'; message: string } };

/** Options of {@link createOutboxLog}. */
export interface OutboxLogConfig {
  /** Acts on an envelope, called once per id (while the id is remembered). */
  apply: (envelope: OutboundEnvelope) => void;
  /**
   * Called after an id was applied for the first time, so the dedupe log can be persisted.
   * @default no-op
   */
  onChange?: () => void;
  /**
   * Dedupe entries from before a restart: those ids must not act again until they expire.
   * @default []
   */
  restore?: readonly DedupeEntry[];
  /**
   * How long an id is remembered after it was applied: a resend after that acts again. Match
   * the clients' outbox `ttl`, past which they give a message up.
   * @default 3_600_000 (1 h, the outbox plugin's default `ttl`)
   */
  dedupeTtlMs?: number;
  /**
   * Most ids remembered at once; beyond it the oldest is forgotten early.
   * @default 100_000
   */
  dedupeLimit?: number;
  /**
   * Entries kept in each of `received`, `applied` and `rejected`.
   * @default 1000
   */
  recordLimit?: number;
  /**
   * Gives `now` for the expiry of ids.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
  /**
   * A dedupe store shared by several servers (a cluster's, in Redis): resolves `true` for the
   * first delivery of an id among them all, `false` for a resend. It replaces the in-memory log
   * (`restore`, `dedupeTtlMs` and `dedupeLimit` are then the store's business), and `deliver`
   * answers with a promise.
   * @default undefined (the in-memory log)
   */
  claim?: (id: string) => Promise<boolean>;
}

/** Defaults of {@link OutboxLogConfig}. */
export const DEFAULT_OUTBOX_LOG = {
  onChange: noop,
  restore: [],
  dedupeTtlMs: 3_600_000,
  dedupeLimit: 100_000,
  recordLimit: 1000,
  scheduler: asyncScheduler,
} as const satisfies Omit<Required<OutboxLogConfig>, 'apply' | 'claim'>;

/**
 * The server side of the outbox: validates each delivery, applies each id once, acks every
 * delivery (resends too, since a resend means the client missed the first ack). The dedupe log is
 * a map of id → expiry in arrival order; since every id lives equally long, expired ids are at
 * its front and are dropped from there, in O(1) per delivery.
 *
 * @example
 * const outbox = createOutboxLog({ apply: (envelope) => act(envelope) });
 * socket.on('message', (payload, ack) => ack(outbox.deliver(payload)));
 */
export function createOutboxLog(config: OutboxLogConfig): OutboxLog & { deliver(payload: unknown): MaybePromise<OutboxAck> } {
  const { apply, onChange, restore, dedupeTtlMs, dedupeLimit, recordLimit, scheduler, claim } = {
    ...DEFAULT_OUTBOX_LOG,
    ...config,
  };
  checkLimit('dedupeTtlMs', dedupeTtlMs, 0);
  checkLimit('dedupeLimit', dedupeLimit);
  checkLimit('recordLimit', recordLimit, 0);
  const received: OutboundEnvelope[] = [];
  const applied: OutboundEnvelope[] = [];
  const rejected: RejectedEnvelope[] = [];
  const seen = new Map<string, number>();
  for (const { id, expiresAt } of [...restore].sort((a, b) => a.expiresAt - b.expiresAt).slice(-dedupeLimit)) {
    seen.set(id, expiresAt);
  }

  function forgetExpired(): void {
    const now = scheduler.now();
    for (const [id, expiresAt] of seen) {
      if (expiresAt > now) break;
      seen.delete(id);
    }
  }

  /** Whether `id` is delivered for the first time (while remembered), noting it if so. */
  function claimHere(id: string): boolean {
    forgetExpired();
    if (seen.has(id)) return false;
    seen.set(id, scheduler.now() + dedupeTtlMs);
    // Full: the oldest id goes early, which only matters if that message is ever resent.
    for (const oldest of seen.keys()) {
      if (seen.size <= dedupeLimit) break;
      seen.delete(oldest);
    }
    return true;
  }

  function settle(envelope: OutboundEnvelope, first: boolean): OutboxAck {
    if (first) {
      appendBounded(applied, envelope, recordLimit);
      // Recorded before acting, so an action that throws still counts as applied and a
      // resend cannot retry a half-done side effect.
      onChange();
      apply(envelope);
    }
    return { id: envelope.id };
  }

  return {
    received,
    applied,
    rejected,
    dedupe() {
      forgetExpired();
      return Array.from(seen, ([id, expiresAt]) => ({ id, expiresAt }));
    },
    deliver(payload) {
      const parsed = safeParse(OutboundEnvelopeSchema, payload, 'message', 'invalid_payload');
      if (!parsed.ok) {
        appendBounded(rejected, { payload, reason: parsed.error.message }, recordLimit);
        return { error: { code: 'INVALID_ENVELOPE', message: parsed.error.message } };
      }
      const envelope = parsed.value;
      appendBounded(received, envelope, recordLimit);
      return claim ? claim(envelope.id).then((first) => settle(envelope, first)) : settle(envelope, claimHere(envelope.id));
    },
  };
}
