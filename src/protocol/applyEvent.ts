import type { WebSocketEvent } from './events.js';
import type { JobSnapshot } from './resources.js';

/**
 * Folds one event into a job snapshot, as the server would have: the inverse of
 * {@link snapshotToEvents}. Returns a new snapshot; `snapshot` is not changed.
 *
 * @example
 * const next = applyEvent(generation, { type: 'clip_completed', data: clip });
 */
export function applyEvent<S extends JobSnapshot>(snapshot: S, event: WebSocketEvent): S {
  switch (event.type) {
    case 'progress':
    case 'encoding_progress':
      return { ...snapshot, progress: event.data };
    case 'clip_completed': {
      const clips = 'clips' in snapshot ? (snapshot.clips ?? []) : [];
      if (clips.some((clip) => clip.clip_id === event.data.clip_id)) return snapshot;
      return { ...snapshot, clips: [...clips, event.data] };
    }
    case 'status_change':
      return { ...snapshot, status: event.data.new_status };
    case 'completed':
      return { ...snapshot, status: 'completed', ...event.data };
    case 'error':
      if (event.data.recoverable) return snapshot;
      return { ...snapshot, status: 'failed', error: { code: event.data.code, message: event.data.message } };
  }
}
