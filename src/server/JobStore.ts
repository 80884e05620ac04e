import type { Observable } from 'rxjs';
import type { JobKind, JobSnapshot } from '../protocol/index.js';
import type { CompositionOptions } from './CompositionOptions.js';
import type { GenerationOptions } from './GenerationOptions.js';
import type { JobNotice, JobRecord } from './JobRecord.js';

/** A value, or a promise of it: what a {@link JobStore} answers in memory and in Redis. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Where the server's requests read and change jobs: the in-memory simulator (one process), or
 * Redis when the server is a node of a cluster (`createJobServer({ redis })`). The in-memory store
 * answers at once, so the single-process server stays synchronous; Redis answers with promises.
 * `await` works on both.
 *
 * @example
 * const snapshot = await server.store.start('generation', { clips: 2, stepMs: 100 });
 * const record = await server.store.find(snapshot.id);
 */
export interface JobStore {
  /** A copy of the job's record (kind, plan, snapshot, step, state), or `undefined` for an unknown id. */
  find(id: string): MaybePromise<JobRecord | undefined>;
  /**
   * Creates a job and starts its timeline; answers its snapshot (`queued`). Throws (or rejects
   * with) a `RangeError` naming a bad option or an id already taken, and a `TooManyJobsError`
   * when `maxLiveJobs` jobs are live.
   */
  start(kind: JobKind, options: GenerationOptions | CompositionOptions): MaybePromise<JobSnapshot>;
  /** Creates a job that stays `queued` until {@link JobStore.begin}; answers and throws as `start`. */
  create(kind: JobKind, options: GenerationOptions | CompositionOptions): MaybePromise<JobSnapshot>;
  /** Starts a created job's timeline; `false` if unknown or already started. */
  begin(id: string): MaybePromise<boolean>;
  /** Cancels a job that has not ended (see `JobSimulator.cancel`); `false` if unknown or ended. */
  cancel(id: string): MaybePromise<boolean>;
  /** Freezes a running job; `false` if unknown or not running. */
  stall(id: string): MaybePromise<boolean>;
  /** Lets a stalled job go on from its step; `false` if unknown or not stalled. */
  resume(id: string): MaybePromise<boolean>;
  /** Copies of the records of the last `count` jobs created, oldest first. */
  recent(count: number): MaybePromise<JobRecord[]>;
  /**
   * Events the server must send to each job's subscribers itself. A store that publishes each
   * event through the Redis streams adapter as it records it (a cluster's) never emits here.
   */
  readonly events$: Observable<JobNotice>;
}
