import type { WebSocketEvent } from '../protocol/index.js';
import type { JobRecord } from './JobRecord.js';

/**
 * The event that cancels a job: a generation sends `status_change` → `cancelled`; a composition,
 * whose statuses have no `cancelled`, a non-recoverable `error` with code `CANCELLED`.
 *
 * @example
 * publish(job, cancelEvent(job.record));
 */
export function cancelEvent({ kind, snapshot }: Pick<JobRecord, 'kind' | 'snapshot'>): WebSocketEvent {
  return kind === 'generation'
    ? { type: 'status_change', data: { old_status: snapshot.status, new_status: 'cancelled', message: 'Cancelled' } }
    : { type: 'error', data: { code: 'CANCELLED', message: 'The composition was cancelled', recoverable: false } };
}
