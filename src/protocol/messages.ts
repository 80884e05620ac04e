import * as v from 'valibot';
import { MAX_ID_LENGTH } from './events.js';
import { JobFailureSchema } from './resources.js';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH));

/** The client's first message on a job namespace; acked with the job's snapshot. */
export const SubscribeMessageSchema = v.union([
  v.object({ type: v.literal('subscribe'), generation_id: Id }),
  v.object({ type: v.literal('subscribe'), composition_id: Id }),
]);
/** `{ type: 'subscribe', generation_id }` or `{ type: 'subscribe', composition_id }`. */
export type SubscribeMessage = v.InferOutput<typeof SubscribeMessageSchema>;

/** Ack of a `subscribe` the server could not honour (an unknown job, say). */
export const SubscribeRefusalSchema = v.object({ error: JobFailureSchema });
/** `{ error: { code, message } }`, acked instead of a snapshot. */
export type SubscribeRefusal = v.InferOutput<typeof SubscribeRefusalSchema>;

/** A client-to-server message: the server acts on each `id` once and acks it. */
export const OutboundEnvelopeSchema = v.object({
  id: Id,
  event: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH)),
  data: v.unknown(),
});
/** `{ id, event, data }`. */
export type OutboundEnvelope = v.InferOutput<typeof OutboundEnvelopeSchema>;

/** The server's ack of an {@link OutboundEnvelope}. */
export const OutboundAckSchema = v.object({ id: Id });
/** `{ id }`. */
export type OutboundAck = v.InferOutput<typeof OutboundAckSchema>;
