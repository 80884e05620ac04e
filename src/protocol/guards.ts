// No valibot here: the operators entry imports these guards and must stay free of schemas.
import type { JobStatus, WebSocketEvent } from './events.js';

/** Statuses after which a job never changes again. */
export function isTerminalStatus(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/**
 * Whether `event` ends its job: `completed`, a `status_change` to `failed` or `cancelled`, or a
 * non-recoverable `error`. A `status_change` to `completed` is not terminal: the `completed`
 * event carrying the video URL follows it and must not be cut off.
 */
export function isTerminalEvent(event: WebSocketEvent): boolean {
  switch (event.type) {
    case 'completed':
      return true;
    case 'error':
      return !event.data.recoverable;
    case 'status_change':
      return event.data.new_status === 'failed' || event.data.new_status === 'cancelled';
    default:
      return false;
  }
}

/** Whether `event` reports progress (`progress` or `encoding_progress`), which may be throttled. */
export function isProgressEvent(event: { type: string }): boolean {
  return event.type === 'progress' || event.type === 'encoding_progress';
}
