import type { JobState } from '../client/JobState.js';
import { useJobState } from './useJobState.js';

/**
 * A generation's {@link JobState}: status, percentage, step, clips, video URL, error.
 *
 * @example
 * function Progress({ id }: { id: string }) {
 *   const job = useGenerationProgress(id);
 *   return <p>{job.status}: {Math.round(job.percentage)} %</p>;
 * }
 */
export function useGenerationProgress(id: string): JobState {
  return useJobState('generation', id);
}
