import type { ErrorEvent } from '../protocol/events.js';
import { SubscribeRefusalSchema } from '../protocol/messages.js';
import { safeParse } from '../protocol/parse.js';

/**
 * The `{ error }` a server acks instead of a snapshot, as the job's `error` event: recoverable
 * (refused for now, so subscribing again may work) unless the job does not exist (`NOT_FOUND`).
 * A failed job's snapshot carries an `error` too, but also a `status`, so it is never taken for one.
 */
export function subscribeRefusal(payload: unknown): ErrorEvent | undefined {
  if (typeof payload !== 'object' || payload === null || 'status' in payload) return undefined;
  const parsed = safeParse(SubscribeRefusalSchema, payload, 'subscribe', 'invalid_snapshot');
  if (!parsed.ok) return undefined;
  const { code, message } = parsed.value.error;
  return { type: 'error', data: { code, message, recoverable: code !== 'NOT_FOUND' } };
}
