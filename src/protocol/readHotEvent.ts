import { MAX_TEXT_LENGTH, type EncodingProgressEvent, type ProgressEvent } from './events.js';

/**
 * Hand-written twins of the `progress` and `encoding_progress` schemas, the two events a job
 * sends many times a second. Walking valibot's pipes field by field and building its result
 * objects was the largest per-event cost on the client; these read each field once and build
 * the output directly. They only ever accept what the schema accepts, with the same output (a
 * property test holds them to it); anything else returns `undefined` and goes through the
 * schema, which names the field and the reason.
 */
export const HOT_EVENT_READERS: {
  readonly progress: (payload: unknown) => ProgressEvent | undefined;
  readonly encoding_progress: (payload: unknown) => EncodingProgressEvent | undefined;
} = {
  progress(payload) {
    if (!isRecord(payload)) return undefined;
    const { step, clip_number, total_clips, percentage, message } = payload;
    return isText(step) && isCount(clip_number) && isCount(total_clips) && isPercentage(percentage) && isText(message)
      ? { type: 'progress', data: { step, clip_number, total_clips, percentage, message } }
      : undefined;
  },
  encoding_progress(payload) {
    if (!isRecord(payload)) return undefined;
    const { percentage, frames_processed, total_frames, estimated_remaining } = payload;
    return isPercentage(percentage) && isCount(frames_processed) && isCount(total_frames) && isSeconds(estimated_remaining)
      ? { type: 'encoding_progress', data: { percentage, frames_processed, total_frames, estimated_remaining } }
      : undefined;
  },
};

// Stricter than the schema on purpose (plain objects only): whatever is unusual takes the schema's path.
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_TEXT_LENGTH;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isSeconds = (value: unknown): value is number => Number.isFinite(value) && (value as number) >= 0;
const isPercentage = (value: unknown): value is number => isSeconds(value) && value <= 100;
