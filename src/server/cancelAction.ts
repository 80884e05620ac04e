import { noop } from 'rxjs';
import type { OutboundEnvelope } from '../protocol/index.js';
import type { JobStore } from './JobStore.js';
import { thenMaybe } from './thenMaybe.js';

/**
 * What the server does with an applied outbound envelope: `cancel` with `{ generation_id }` or
 * `{ composition_id }` cancels that job; every other event is only recorded, which is enough
 * for tests of the client's outbox. A cancel the store could not record is lost, as an action
 * applied at most once may be.
 *
 * @example
 * createOutboxLog({ apply: cancelAction(store) });
 */
export function cancelAction(jobs: Pick<JobStore, 'cancel'>): (envelope: OutboundEnvelope) => void {
  return ({ event, data }) => {
    if (event !== 'cancel' || typeof data !== 'object' || data === null) return;
    const { generation_id, composition_id } = data as Record<string, unknown>;
    const id = typeof generation_id === 'string' ? generation_id : composition_id;
    if (typeof id === 'string') thenMaybe(jobs.cancel(id), noop, noop);
  };
}
