import type { JobState } from '../client/JobState.js';
import { useJobState } from './useJobState.js';

/**
 * A composition's {@link JobState}: status, percentage, frames, estimated time left, video URL.
 *
 * @example
 * const { percentage, estimatedRemaining } = useCompositionProgress(compositionId);
 */
export function useCompositionProgress(id: string): JobState {
  return useJobState('composition', id);
}
