import { EVENT_DATA_SCHEMAS, MAX_ID_LENGTH, type WebSocketEvent, type WebSocketEventType } from './events.js';
import { safeParse } from './parse.js';
import { HOT_EVENT_READERS } from './readHotEvent.js';
import { ValidationError, type ParseResult } from './ValidationError.js';

/**
 * Validates one server-to-client event. Returns the typed event, or a {@link ValidationError}
 * naming the event, the field path and the reason; never throws, whatever `payload` is.
 * Unknown fields are dropped, so nothing but the schema's keys (never `__proto__`) is copied.
 *
 * @example
 * const result = parseEvent('progress', payload);
 * if (result.ok) render(result.value.data.percentage);
 * else report(result.error);
 */
export function parseEvent(name: string, payload: unknown): ParseResult<WebSocketEvent> {
  if (!isEventType(name)) {
    // `name` comes off the wire: whatever its type, the error must show it safely.
    const received: unknown = name;
    const shown =
      typeof received === 'string' || typeof received === 'number'
        ? String(received).slice(0, MAX_ID_LENGTH)
        : `(${typeof received})`;
    return { ok: false, error: new ValidationError('unknown_event', shown, '', `unknown event "${shown}"`) };
  }
  if (name === 'progress' || name === 'encoding_progress') {
    try {
      const event = HOT_EVENT_READERS[name](payload);
      if (event) return { ok: true, value: event };
    } catch {
      // A hostile getter or proxy: the schema below reports it.
    }
  }
  const result = safeParse(EVENT_DATA_SCHEMAS[name], payload, name, 'invalid_payload');
  return result.ok ? { ok: true, value: { type: name, data: result.value } as WebSocketEvent } : result;
}

/** Whether `name` is one of the six server-to-client events. */
export function isEventType(name: unknown): name is WebSocketEventType {
  return typeof name === 'string' && Object.hasOwn(EVENT_DATA_SCHEMAS, name);
}
