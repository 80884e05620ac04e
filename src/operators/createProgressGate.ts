import type { JobStatus, WebSocketEvent } from '../protocol/events.js';

/**
 * The check behind {@link monotonicProgress}, for callers that run it without an operator (a job
 * feed runs one per job and cannot afford an operator chain each): returns whether `event` is
 * news, noting it when it is.
 *
 * @example
 * const isNew = createProgressGate();
 * if (isNew(event)) render(event);
 */
export function createProgressGate(): (event: WebSocketEvent) => boolean {
  let highest = -Infinity;
  let lastProgress: Record<string, unknown> | undefined;
  let status: JobStatus | undefined;
  const clips = new Set<string>();

  return (event) => {
    switch (event.type) {
      case 'progress':
      case 'encoding_progress': {
        const { data } = event;
        if (data.percentage < highest || (lastProgress && sameFields(data, lastProgress))) return false;
        highest = data.percentage;
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
}

function sameFields(a: object, b: Record<string, unknown>): boolean {
  // for…in, not Object.entries: this runs on every progress event and must not allocate.
  for (const key in a) if ((a as Record<string, unknown>)[key] !== b[key]) return false;
  return true;
}
