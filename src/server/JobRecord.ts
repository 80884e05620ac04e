import type { JobSnapshot, WebSocketEvent } from '../protocol/index.js';
import type { CompositionPlan } from './CompositionOptions.js';
import type { GenerationPlan } from './GenerationOptions.js';

/**
 * Where a simulated job stands: `idle` (created, waiting for `start`), `running` (a timer
 * plays its timeline), `stalled` (timer stopped by `stall`, snapshot frozen) or `done` (a
 * terminal event was sent; the snapshot stays readable).
 */
export type JobState = 'idle' | 'running' | 'stalled' | 'done';

/** A job's plan with the kind that tells which timeline plays it. */
export type JobPlan = { kind: 'generation'; plan: GenerationPlan } | { kind: 'composition'; plan: CompositionPlan };

/**
 * Everything the simulator knows about a job, and exactly what the state file persists: the
 * timeline is rebuilt from `plan`, and `step` (events already sent) says where to resume.
 */
export type JobRecord = JobPlan & {
  /** The job id, also `snapshot.id`. */
  id: string;
  /** The REST resource: every sent event folded in with `applyEvent`. */
  snapshot: JobSnapshot;
  /** How many events of the timeline were sent. */
  step: number;
  /** See {@link JobState}. */
  state: JobState;
};

/** One event a job sent, as the simulator publishes it on `events$`. */
export interface JobNotice {
  /** The job that sent it. */
  id: string;
  /** Generation or composition, which picks the namespace. */
  kind: JobRecord['kind'];
  /** The event, already folded into the job's snapshot. */
  event: WebSocketEvent;
}
