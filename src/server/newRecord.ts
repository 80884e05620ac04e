import type { JobPlan, JobRecord, SimulatedJobState } from './JobRecord.js';

/**
 * The record of a job just planned: `queued`, nothing sent yet.
 *
 * @example
 * const record = newRecord(planJob('generation', { clips: 2 }, () => 'gen_1'), 'running');
 */
export function newRecord(planned: JobPlan, state: SimulatedJobState): JobRecord {
  const { id } = planned.plan;
  return { ...planned, id, snapshot: { id, status: 'queued' }, step: 0, state };
}
