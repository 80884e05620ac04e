import { isTerminalEvent, MAX_ID_LENGTH, parseEvent, type JobStatus, type WebSocketEvent } from '../../src/protocol/index.js';
import type { HostileCase } from './hostileArbitraries.js';

/** What one batch of messages must produce on a job's streams. */
export interface Expected {
  /** Cases to emit, in order: the batch less valid terminal events (they would end the job). */
  send: HostileCase[];
  /** The `event` of each `ValidationError` on `errors$`, in order: one per invalid case. */
  errors: string[];
  /** The events `generationProgress$` must emit, in order. */
  events: WebSocketEvent[];
  /** Valid cases left out because they would end the job. */
  skippedTerminal: number;
}

/**
 * The expected outcome of hostile messages on one subscribed job, computed apart from the client:
 * each payload is put through the wire (JSON, as socket.io encodes it) and `parseEvent`; what is
 * valid then meets DESIGN.md's rules (progress never goes backwards nor repeats, a clip and a
 * status arrive once), kept here as a small model for the job's whole life.
 */
export function createDeliveryModel(): (batch: readonly HostileCase[]) => Expected {
  let highest = -Infinity;
  let lastProgress: Record<string, unknown> | undefined;
  let status: JobStatus | undefined;
  const clips = new Set<string>();

  const isNew = (event: WebSocketEvent): boolean => {
    switch (event.type) {
      case 'progress':
      case 'encoding_progress': {
        const data = event.data as Record<string, unknown>;
        const same = lastProgress !== undefined && Object.keys(data).every((key) => data[key] === lastProgress?.[key]);
        if (event.data.percentage < highest || same) return false;
        highest = event.data.percentage;
        lastProgress = data;
        return true;
      }
      case 'clip_completed':
        if (clips.has(event.data.clip_id)) return false;
        clips.add(event.data.clip_id);
        return true;
      case 'status_change':
        if (event.data.new_status === status) return false;
        status = event.data.new_status;
        return true;
      default:
        return true;
    }
  };

  return (batch) => {
    const expected: Expected = { send: [], errors: [], events: [], skippedTerminal: 0 };
    for (const message of batch) {
      // Typed for strings, parseEvent takes whatever socket.io hands to `onAny`, numbers included.
      const parsed = parseEvent(message.name as string, throughTheWire(message.payload));
      if (parsed.ok && isTerminalEvent(parsed.value)) {
        expected.skippedTerminal++;
        continue;
      }
      expected.send.push(message);
      if (!parsed.ok) expected.errors.push(String(message.name).slice(0, MAX_ID_LENGTH));
      else if (isNew(parsed.value)) expected.events.push(parsed.value);
    }
    return expected;
  };
}

/** `payload` as a socket.io client decodes it: JSON round trip, binary left as it is. */
export function throughTheWire(payload: unknown): unknown {
  return hasBinary(payload, 0) ? payload : JSON.parse(JSON.stringify(payload));
}

function hasBinary(value: unknown, depth: number): boolean {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return true;
  if (typeof value !== 'object' || value === null || depth > 10) return false;
  return Object.values(value).some((inner) => hasBinary(inner, depth + 1));
}
