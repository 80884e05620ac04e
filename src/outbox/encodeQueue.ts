import type { QueuedMessage } from './QueuedMessage.js';

/**
 * Serialises the queue for storage: `{ version: 1, messages: [{ id, timestamp, event, data,
 * retries }] }` with `timestamp` as epoch ms, the format {@link decodeQueue} reads back.
 */
export function encodeQueue(messages: readonly QueuedMessage[]): string {
  return JSON.stringify({
    version: 1,
    messages: messages.map(({ id, timestamp, event, data, retries }) => ({
      id,
      timestamp: timestamp.getTime(),
      event,
      data,
      retries,
    })),
  });
}
