import type { ClipCompletedEvent, WebSocketEvent } from './events.js';
import { isTerminalStatus } from './guards.js';
import type { JobSnapshot } from './resources.js';

/** Code of the `error` event made from a failed snapshot that carries no error of its own. */
export const JOB_FAILED = 'JOB_FAILED';

/**
 * The events a socket would have sent to turn `previous` into `snapshot`, in the order it would
 * have sent them: a status change, the latest progress, the clips not seen yet, then the terminal
 * event (`completed`, a non-recoverable `error`, or a `status_change` to `cancelled`). A consumer
 * fed these cannot tell REST or a resync from live events. `previous` undefined means nothing was
 * seen yet (a `queued` job).
 *
 * @example
 * const events = snapshotToEvents(lastSeen, await fetchGeneration(id));
 */
export function snapshotToEvents(previous: JobSnapshot | undefined, snapshot: JobSnapshot): WebSocketEvent[] {
  const base: JobSnapshot = previous ?? { id: snapshot.id, status: 'queued' };
  if (hasEnded(base)) return [];
  const events: WebSocketEvent[] = [];
  const { status } = snapshot;

  if (status !== base.status && !isTerminalStatus(status)) {
    events.push({ type: 'status_change', data: { old_status: base.status, new_status: status, message: '' } });
  }
  if (snapshot.progress && !shallowEqual(snapshot.progress, base.progress)) {
    const { progress } = snapshot;
    events.push('step' in progress ? { type: 'progress', data: progress } : { type: 'encoding_progress', data: progress });
  }
  events.push(...newClips(base, snapshot));

  if (status === 'completed') {
    const { video_url, thumbnail_url, duration } = snapshot;
    if (video_url !== undefined && thumbnail_url !== undefined && duration !== undefined) {
      events.push({ type: 'completed', data: { video_url, thumbnail_url, duration } });
    } else if (base.status !== 'completed') {
      // A backend that reports completion without the video still moves the status on.
      events.push({ type: 'status_change', data: { old_status: base.status, new_status: status, message: '' } });
    }
  } else if (status === 'failed') {
    const { code, message } = snapshot.error ?? { code: JOB_FAILED, message: 'The job failed.' };
    events.push({ type: 'error', data: { code, message, recoverable: false } });
  } else if (status === 'cancelled') {
    events.push({ type: 'status_change', data: { old_status: base.status, new_status: status, message: '' } });
  }
  return events;
}

/**
 * Whether `snapshot` already carries its terminal event. A `completed` status without the video
 * does not: it comes from a `status_change` to completed, and the `completed` event still follows.
 */
export function hasEnded(snapshot: JobSnapshot): boolean {
  if (snapshot.status !== 'completed') return isTerminalStatus(snapshot.status);
  return snapshot.video_url !== undefined && snapshot.thumbnail_url !== undefined && snapshot.duration !== undefined;
}

function newClips(base: JobSnapshot, snapshot: JobSnapshot): ClipCompletedEvent[] {
  if (!('clips' in snapshot) || !snapshot.clips) return [];
  const seen = new Set('clips' in base ? base.clips?.map((clip) => clip.clip_id) : []);
  return snapshot.clips
    .filter((clip) => !seen.has(clip.clip_id) && seen.add(clip.clip_id))
    .map((data) => ({ type: 'clip_completed', data }));
}

function shallowEqual(a: object, b: object | undefined): boolean {
  if (!b) return false;
  const keys = Object.keys(a) as (keyof typeof a)[];
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
