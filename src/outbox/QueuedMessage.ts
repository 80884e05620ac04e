/**
 * A message waiting in the outbox to be sent (`streams.outbox$` lists them). The plan's shape,
 * with `data` typed `unknown` instead of `any`: it holds a JSON-normalised, frozen copy of what
 * was enqueued, so the payload sent after a reload is byte for byte the one sent before it.
 *
 * @example
 * streams.outbox$.subscribe((waiting) => render(`${waiting.length} changes waiting to sync`));
 * // waiting[0]: { id: '…', timestamp: Date, event: 'cancel', data: {…}, retries: 0 }
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
  /**
   * Failed send attempts so far (no valid ack in time, or the link dropped first); past the
   * outbox's `maxRetries` it is dead-lettered.
   */
  retries: number;
}
