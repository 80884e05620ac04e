/**
 * A message waiting in the {@link MessageQueue} to be sent. The plan's shape, with `data` typed
 * `unknown` instead of `any`: it holds a JSON-normalised, frozen copy of what was enqueued, so the
 * payload sent after a reload is byte for byte the one sent before it.
 *
 * @example
 * const next = queue.peek(); // { id: '…', timestamp: Date, event: 'cancel', data: {…}, retries: 0 }
 */
export interface QueuedMessage {
  /** Unique per message; the server acks by it and ignores an id it has already acted on. */
  id: string;
  /** When it was enqueued (by the queue's scheduler clock); TTL counts from here. */
  timestamp: Date;
  /** The Socket.io event name to emit. */
  event: string;
  /** The payload, JSON-safe (`undefined` became `null`). */
  data: unknown;
  /** Failed send attempts so far (see {@link MessageQueue.incrementRetries}). */
  retries: number;
}
