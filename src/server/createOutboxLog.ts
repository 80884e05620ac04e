import { noop } from 'rxjs';
import { OutboundEnvelopeSchema, type OutboundEnvelope } from '../protocol/index.js';
import { safeParse } from '../protocol/parse.js';

/** An outbound payload the server refused, and why. */
export interface RejectedEnvelope {
  /** The payload as received. */
  payload: unknown;
  /** What failed validation. */
  reason: string;
}

/** What the server saw of the client's outbound messages; arrays are live and append-only. */
export interface OutboxLog {
  /** Every valid delivery in arrival order, resends included. */
  readonly received: OutboundEnvelope[];
  /** Each id once, in the order first received: what the server acted on. */
  readonly applied: OutboundEnvelope[];
  /** Payloads that were not an `{ id, event, data }` envelope. */
  readonly rejected: RejectedEnvelope[];
}

/** The answer to one delivery: `{ id }`, or `{ error }` for an invalid envelope. */
export type OutboxAck = { id: string } | { error: { code: 'INVALID_ENVELOPE'; message: string } };

/** Options of {@link createOutboxLog}. */
export interface OutboxLogConfig {
  /** Acts on an envelope, called once per id. */
  apply: (envelope: OutboundEnvelope) => void;
  /**
   * Called after an id was applied for the first time, so the dedupe log can be persisted.
   * @default no-op
   */
  onChange?: () => void;
  /**
   * Envelopes applied before a restart, which must not act again.
   * @default []
   */
  restore?: readonly OutboundEnvelope[];
}

/**
 * The server side of the outbox: validates each delivery, applies each id once, acks every
 * delivery (resends too, since a resend means the client missed the first ack).
 *
 * @example
 * const outbox = createOutboxLog({ apply: (envelope) => act(envelope) });
 * socket.on('message', (payload, ack) => ack(outbox.deliver(payload)));
 */
export function createOutboxLog(config: OutboxLogConfig): OutboxLog & { deliver(payload: unknown): OutboxAck } {
  const { apply, onChange = noop, restore = [] } = config;
  const received: OutboundEnvelope[] = [];
  const applied: OutboundEnvelope[] = [...restore];
  const rejected: RejectedEnvelope[] = [];
  const seen = new Set(restore.map((envelope) => envelope.id));

  return {
    received,
    applied,
    rejected,
    deliver(payload) {
      const parsed = safeParse(OutboundEnvelopeSchema, payload, 'message', 'invalid_payload');
      if (!parsed.ok) {
        rejected.push({ payload, reason: parsed.error.message });
        return { error: { code: 'INVALID_ENVELOPE', message: parsed.error.message } };
      }
      const envelope = parsed.value;
      received.push(envelope);
      if (!seen.has(envelope.id)) {
        seen.add(envelope.id);
        applied.push(envelope);
        // Recorded before acting, so an action that throws still counts as applied and a
        // resend cannot retry a half-done side effect.
        onChange();
        apply(envelope);
      }
      return { id: envelope.id };
    },
  };
}
