import type { QueuedMessage } from './QueuedMessage.js';

/**
 * A message that left the queue without being delivered, and why. Nothing leaves the queue
 * silently: every such removal reaches `onDrop` with one of these.
 *
 * - `overflow`: the queue was full and this was the oldest message;
 * - `expired`: older than the TTL (or the `maxAge` given to `removeOldMessages`);
 * - `retries_exhausted`: `incrementRetries` went past `maxRetries`;
 * - `rejected`: the sender gave up on it for good (`reject`, e.g. the server refused it).
 *
 * @example
 * new MessageQueue({ onDrop: ({ message, reason }) => toast(`${message.event} not sent: ${reason}`) });
 */
export interface DeadLetter {
  message: QueuedMessage;
  reason: 'overflow' | 'expired' | 'retries_exhausted' | 'rejected';
  /** The last send error, when the sender passed one. */
  error?: unknown;
}
