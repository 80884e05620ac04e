import * as v from 'valibot';

/** Where the link stands. */
export const ConnectionStatusSchema = v.picklist(['connecting', 'connected', 'disconnected', 'error']);
/** `connecting | connected | disconnected | error`. */
export type ConnectionStatus = v.InferOutput<typeof ConnectionStatusSchema>;

/** What currently delivers updates. */
export const TransportSchema = v.picklist(['websocket', 'polling', 'none']);
/** `websocket | polling | none`. */
export type Transport = v.InferOutput<typeof TransportSchema>;

/** Everything a UI needs to explain the link. */
export const ConnectionStateSchema = v.object({
  status: ConnectionStatusSchema,
  transport: TransportSchema,
  reconnectAttempts: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  connectedAt: v.optional(v.date()),
  disconnectedAt: v.optional(v.date()),
  nextRetryAt: v.optional(v.date()),
  lastMessageAt: v.optional(v.date()),
  latencyMs: v.optional(v.pipe(v.number(), v.minValue(0))),
  lastError: v.optional(v.instance(Error)),
});
/** The link's state: status, transport, attempt, times, latency and last error. */
export type ConnectionState = v.InferOutput<typeof ConnectionStateSchema>;

/** The plan's connection settings (see `configFromEnv` for the `VITE_*` variables). */
export const WebSocketConfigSchema = v.object({
  url: v.string(),
  reconnectionAttempts: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
  reconnectionDelay: v.optional(v.pipe(v.number(), v.minValue(0))),
  timeout: v.optional(v.pipe(v.number(), v.minValue(0))),
  enablePollingFallback: v.optional(v.boolean()),
});
/** `{ url, reconnectionAttempts?, reconnectionDelay?, timeout?, enablePollingFallback? }`. */
export type WebSocketConfig = v.InferOutput<typeof WebSocketConfigSchema>;
