import * as v from 'valibot';
import { OutboundEnvelopeSchema } from '../protocol/messages.js';
import { normalizeData } from './normalizeData.js';
import type { QueuedMessage } from './QueuedMessage.js';

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** Epoch ms inside the range a `Date` can hold. */
const Timestamp = v.pipe(Count, v.maxValue(8.64e15));

/** One persisted message: the wire envelope plus its bookkeeping, and nothing else. */
const EntrySchema = v.strictObject({ ...OutboundEnvelopeSchema.entries, timestamp: Timestamp, retries: Count });

/** The persisted document; unknown top-level keys are ignored but flag the document as tampered. */
const DocumentSchema = v.object({ version: v.literal(1), messages: v.array(v.unknown()) });

/** What {@link decodeQueue} recovered, and whether anything had to be thrown away. */
export interface DecodedQueue {
  messages: QueuedMessage[];
  corrupt: boolean;
}

/**
 * Parses what {@link encodeQueue} wrote, trusting nothing: storage is shared with every script on
 * the origin and with older or newer versions of this library. Valid entries are rebuilt as fresh
 * objects (so no stored key ever reaches a prototype), invalid ones and duplicate ids are dropped,
 * and any loss sets `corrupt` so the caller reports it.
 */
export function decodeQueue(raw: string): DecodedQueue {
  let corrupt = false;
  let document: unknown;
  try {
    document = JSON.parse(raw, (key, value: unknown) => {
      if (key !== '__proto__') return value;
      corrupt = true;
      return undefined;
    });
  } catch {
    return { messages: [], corrupt: true };
  }
  const parsed = v.safeParse(DocumentSchema, document);
  if (!parsed.success) return { messages: [], corrupt: true };
  if (Object.keys(document as object).length !== 2) corrupt = true;

  const messages: QueuedMessage[] = [];
  const seen = new Set<string>();
  for (const candidate of parsed.output.messages) {
    const entry = v.safeParse(EntrySchema, candidate);
    if (!entry.success || seen.has(entry.output.id)) {
      corrupt = true;
      continue;
    }
    const { id, timestamp, event, data, retries } = entry.output;
    seen.add(id);
    messages.push({ id, timestamp: new Date(timestamp), event, data: normalizeData(data), retries });
  }
  return { messages, corrupt };
}
