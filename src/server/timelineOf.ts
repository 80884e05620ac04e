import { compositionTimeline } from './compositionTimeline.js';
import { generationTimeline } from './generationTimeline.js';
import type { JobPlan } from './JobRecord.js';
import type { JobTimeline } from './JobTimeline.js';

/**
 * The timeline of a planned job of either kind: step `i` of a job is a pure function of its plan,
 * `origin` and `i`, so whoever holds a job's record can send its next event.
 *
 * @param origin Prefix of the media URLs: `''` for root-relative ones.
 * @example
 * const record = server.jobs.info(id);
 * const next = record && timelineOf(record).at(record.step);
 */
export function timelineOf(job: JobPlan, origin = ''): JobTimeline {
  return job.kind === 'generation' ? generationTimeline(job.plan, origin) : compositionTimeline(job.plan, origin);
}
