import type { OutboundEnvelope } from '../protocol/index.js';
import type { JobSimulator } from './JobSimulator.js';

/**
 * What the server does with an applied outbound envelope: `cancel` with `{ generation_id }` or
 * `{ composition_id }` cancels that job; every other event is only recorded, which is enough
 * for tests of the client's outbox.
 *
 * @example
 * createOutboxLog({ apply: cancelAction(jobs) });
 */
export function cancelAction(jobs: JobSimulator): (envelope: OutboundEnvelope) => void {
  return ({ event, data }) => {
    if (event !== 'cancel' || typeof data !== 'object' || data === null) return;
    const { generation_id, composition_id } = data as Record<string, unknown>;
    const id = typeof generation_id === 'string' ? generation_id : composition_id;
    if (typeof id === 'string') jobs.cancel(id);
  };
}
