import type { ReactNode } from 'react';
import type { JobKind } from '../protocol/resources.js';
import { JobProgressView } from './JobProgressView.js';
import { useJobState } from './useJobState.js';

/** Props of {@link JobProgress}. */
export interface JobProgressProps {
  /** The job's id. */
  id: string;
  /** @default 'generation' */
  kind?: JobKind;
  /** The progress bar's accessible name. @default `${Kind} ${id}` */
  label?: string;
  /** Added to the root's `jobstream-progress` class. */
  className?: string;
}

/**
 * A job's live progress: an accessible progress bar, status, step, clips and the video link,
 * re-rendering at most once per throttled update (about 10 per second).
 *
 * @example
 * <JobProgress id="gen_123" />
 * <JobProgress id="cmp_9" kind="composition" label="Final cut" />
 */
export function JobProgress({ id, kind = 'generation', label, className }: JobProgressProps): ReactNode {
  const state = useJobState(kind, id);
  return <JobProgressView state={state} label={label} className={className} />;
}
