import type { WebSocketEvent } from '../protocol/events.js';
import { isTerminalStatus } from '../protocol/guards.js';
import type { JobSnapshot } from '../protocol/resources.js';

/**
 * Whether `event` tells a handler something `seen` (the job as already dispatched, folded with
 * `applyEvent`) does not: a later progress, an unseen clip, a new status, the terminal event once.
 * It lets one handler map take events from two sources, the job's stream and a manual REST poll,
 * without a repeat and without progress going backwards.
 *
 * @example
 * if (isNewEvent(seen, event)) { seen = applyEvent(seen, event); dispatch(event); }
 */
export function isNewEvent(seen: JobSnapshot, event: WebSocketEvent): boolean {
  if (hasEnded(seen)) return false;
  switch (event.type) {
    case 'progress':
    case 'encoding_progress': {
      const last = seen.progress;
      return last === undefined || (event.data.percentage >= last.percentage && !sameFields(event.data, last));
    }
    case 'clip_completed':
      return !('clips' in seen && seen.clips?.some((clip) => clip.clip_id === event.data.clip_id));
    case 'status_change':
      return event.data.new_status !== seen.status;
    case 'completed':
    case 'error':
      return true;
  }
}

/** A `completed` status without the video still waits for its `completed` event. */
function hasEnded(seen: JobSnapshot): boolean {
  if (seen.status === 'completed') return seen.video_url !== undefined;
  return isTerminalStatus(seen.status);
}

function sameFields(a: object, b: object): boolean {
  const keys = Object.keys(a) as (keyof typeof a)[];
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
