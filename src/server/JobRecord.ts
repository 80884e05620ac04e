import type { JobSnapshot, WebSocketEvent } from '../protocol/index.js';
import type { CompositionPlan } from './CompositionOptions.js';
import type { GenerationPlan } from './GenerationOptions.js';

/**
 * Where a simulated job stands: `idle` (created, waiting for `start`), `running` (a timer
 * plays its timeline), `stalled` (timer stopped by `stall`, snapshot frozen) or `done` (a
 * terminal event was sent; the snapshot stays readable). Not to be confused with the core's
 * `JobState`, a job's progress as a client sees it.
 */
export type SimulatedJobState = 'idle' | 'running' | 'stalled' | 'done';

/** A job's plan with the kind that tells which timeline plays it. */
export type JobPlan = { kind: 'generation'; plan: GenerationPlan } | { kind: 'composition'; plan: CompositionPlan };

/**
 * Everything the simulator knows about a job, and exactly what the state file persists: the
 * next event is `timelineOf(record).at(record.step)`, computed from `plan` alone, so whoever
 * holds the record resumes the job where it stopped.
 */
export type JobRecord = JobPlan & {
  /** The job id, also `snapshot.id`. */
  id: string;
  /** The REST resource: every sent event folded in with `applyEvent`. */
  snapshot: JobSnapshot;
  /** How many events of the timeline were sent: the index of the next one. */
  step: number;
  /** See {@link SimulatedJobState}. */
  state: SimulatedJobState;
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
