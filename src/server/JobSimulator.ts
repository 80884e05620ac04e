import type { Observable } from 'rxjs';
import type { JobSnapshot, WebSocketEvent } from '../protocol/index.js';
import type { CompositionOptions } from './CompositionOptions.js';
import type { GenerationOptions } from './GenerationOptions.js';
import type { JobNotice, JobRecord } from './JobRecord.js';

/**
 * Plays simulated jobs: each job sends one event of its timeline every `stepMs`, folds it into
 * its snapshot and publishes it on {@link JobSimulator.events$}. Every method taking an id
 * returns `false` (or `undefined`) for an unknown job instead of throwing, so a test can probe.
 *
 * @example
 * const id = server.jobs.startGeneration({ clips: 2, stepMs: 10 });
 * server.jobs.get(id); // { id, status: 'queued' }
 */
export interface JobSimulator {
  /**
   * Creates a generation and starts its timeline at once. Returns its id. Throws a `RangeError`
   * naming the option for bad options (or a job of more than `MAX_JOB_STEPS` events), and a
   * `TooManyJobsError` when `maxLiveJobs` jobs are live.
   */
  startGeneration(options?: GenerationOptions): string;
  /** Creates a composition and starts its timeline at once. Returns its id; throws as `startGeneration`. */
  startComposition(options?: CompositionOptions): string;
  /** Creates a generation that stays `queued` until {@link JobSimulator.start}; throws as `startGeneration`. */
  createGeneration(options?: GenerationOptions): string;
  /** Creates a composition that stays `queued` until {@link JobSimulator.start}; throws as `startGeneration`. */
  createComposition(options?: CompositionOptions): string;
  /** Starts a created (`idle`) job. `false` if unknown or already started. */
  start(id: string): boolean;
  /** The job's current snapshot (the REST resource), kept after it finished (up to `maxFinishedJobs`). */
  get(id: string): JobSnapshot | undefined;
  /** The job's full record: kind, plan, step, state and snapshot (a copy). */
  info(id: string): JobRecord | undefined;
  /** Every job's snapshot, in creation order. */
  list(): JobSnapshot[];
  /**
   * Cancels a job that has not ended: a generation sends `status_change` → `cancelled`; a
   * composition, whose statuses have no `cancelled`, sends a non-recoverable `error` with code
   * `CANCELLED`. `false` if unknown or already ended.
   */
  cancel(id: string): boolean;
  /**
   * Ends a job with a non-recoverable `error`.
   * @default code `GENERATION_FAILED` or `COMPOSITION_FAILED`, message `'Failed by the test server'`
   */
  fail(id: string, code?: string, message?: string): boolean;
  /** Stops a running job's timer: it sends nothing and its snapshot freezes. */
  stall(id: string): boolean;
  /** Restarts a stalled job's timer where it stopped. */
  resume(id: string): boolean;
  /**
   * Folds an arbitrary (valid) event into a job and publishes it, outside its timeline: a
   * duplicate clip, a recoverable error, a late progress. A terminal event ends the job.
   */
  emit(id: string, event: WebSocketEvent): boolean;
  /** Every event any job sends, after it was folded into the snapshot (and persisted). */
  readonly events$: Observable<JobNotice>;
  /** Copies of every job's record, for persistence. */
  records(): JobRecord[];
  /** Stops every timer and completes `events$`; job states are left as they were. */
  dispose(): void;
}
