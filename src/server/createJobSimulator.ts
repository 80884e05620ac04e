import { asyncScheduler, noop, Subject, timer, type SchedulerLike, type Subscription } from 'rxjs';
import { randomBytes } from 'node:crypto';
import { isTerminalStatus, type WebSocketEvent } from '../protocol/index.js';
import { cancelEvent } from './cancelEvent.js';
import { foldEvent } from './foldEvent.js';
import { newRecord } from './newRecord.js';
import type { CompositionOptions } from './CompositionOptions.js';
import type { GenerationOptions } from './GenerationOptions.js';
import type { JobNotice, JobPlan, JobRecord } from './JobRecord.js';
import type { JobSimulator } from './JobSimulator.js';
import { timelineOf } from './timelineOf.js';
import type { JobTimeline } from './JobTimeline.js';
import { checkLimit } from './checkLimit.js';
import { planJob } from './planJob.js';
import { playStep } from './playStep.js';
import { TooManyJobsError } from './TooManyJobsError.js';

/** Options of {@link createJobSimulator}. */
export interface JobSimulatorConfig {
  /**
   * Schedules every job step. Tests may pass a `TestScheduler` or a virtual-time scheduler.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
  /**
   * Makes a job id from its prefix (`gen` or `comp`) when the options give none.
   * @default `${prefix}_${12 random hex digits}`
   */
  newId?: (prefix: 'gen' | 'comp') => string;
  /**
   * Called synchronously after every change of any job (a sent event, a start, a stall),
   * before the event is published: the server persists the state file here.
   * @default no-op
   */
  onChange?: () => void;
  /**
   * Jobs to restore (from a state file). `running` jobs resume at their step at once.
   * @default []
   */
  restore?: readonly JobRecord[];
  /**
   * Jobs that may be live (not ended: idle, running or stalled) at once; creating one more
   * throws a {@link TooManyJobsError}. `Infinity` for no limit.
   * @default 1000
   */
  maxLiveJobs?: number;
  /**
   * Ended jobs kept readable (`get`, REST, `subscribe`); beyond it the one that ended first is
   * forgotten (REST then answers 404). `Infinity` to keep them all.
   * @default 1000
   */
  maxFinishedJobs?: number;
  /**
   * Prefix of the media URLs in events and snapshots: `''` sends root-relative URLs, an origin
   * (`https://api.example`) absolute ones.
   * @default ''
   */
  mediaOrigin?: string;
}

/** Defaults of {@link JobSimulatorConfig}. */
export const DEFAULT_JOB_SIMULATOR = {
  scheduler: asyncScheduler,
  /** `gen_` or `comp_` and 12 random hex digits. */
  newId: (prefix: 'gen' | 'comp') => `${prefix}_${randomBytes(6).toString('hex')}`,
  /** Nothing to persist. */
  onChange: noop,
  restore: [],
  maxLiveJobs: 1000,
  maxFinishedJobs: 1000,
  mediaOrigin: '',
} as const satisfies Required<JobSimulatorConfig>;

interface Job {
  record: JobRecord;
  timeline: JobTimeline;
  timer?: Subscription;
}

/**
 * Creates the job simulator the reference server plays its jobs with.
 *
 * @example
 * const jobs = createJobSimulator({ scheduler });
 * jobs.events$.subscribe(({ id, event }) => broadcast(id, event));
 * jobs.startGeneration({ clips: 2, stepMs: 10 });
 */
export function createJobSimulator(config: JobSimulatorConfig = {}): JobSimulator {
  const { scheduler, newId, onChange, restore, maxLiveJobs, maxFinishedJobs, mediaOrigin } = {
    ...DEFAULT_JOB_SIMULATOR,
    ...config,
  };
  checkLimit('maxLiveJobs', maxLiveJobs);
  checkLimit('maxFinishedJobs', maxFinishedJobs);
  const jobs = new Map<string, Job>();
  // Ids of ended jobs, in the order they ended: the first is the first forgotten.
  const finished = new Set<string>();
  const events$ = new Subject<JobNotice>();

  function add(record: JobRecord): Job {
    // A timeline is a few closures over the plan: its events are built one step at a time.
    const job: Job = { record, timeline: timelineOf(record, mediaOrigin) };
    jobs.set(record.id, job);
    if (record.state === 'running') run(job);
    if (record.state === 'done') finish(job);
    return job;
  }

  function create(kind: JobPlan['kind'], options: GenerationOptions | CompositionOptions): string {
    const prefix = kind === 'generation' ? 'gen' : 'comp';
    const planned = planJob(kind, options, () => newId(prefix));
    const id = planned.plan.id;
    if (jobs.has(id)) throw new RangeError(`A job with id "${id}" already exists.`);
    if (jobs.size - finished.size >= maxLiveJobs) throw new TooManyJobsError(maxLiveJobs);
    add(newRecord(planned, 'idle'));
    onChange();
    return id;
  }

  function run(job: Job): void {
    const { stepMs } = job.record.plan;
    job.timer = timer(stepMs, stepMs, scheduler).subscribe(() => {
      const played = playStep(job.record, job.timeline);
      if (played === undefined) return stop(job, 'done');
      publish(job, played.event, played.record);
    });
  }

  function stop(job: Job, state: JobRecord['state']): void {
    job.timer?.unsubscribe();
    job.timer = undefined;
    job.record.state = state;
    if (state === 'done') finish(job);
  }

  function finish({ record }: Job): void {
    finished.add(record.id);
    for (const id of finished) {
      if (finished.size <= maxFinishedJobs) break;
      finished.delete(id);
      jobs.delete(id);
    }
  }

  // Fold, persist, then publish: a server killed between the two never sent an event it would
  // forget, so a restart cannot send the same clip twice.
  function publish(job: Job, event: WebSocketEvent, record = foldEvent(job.record, event, job.timeline)): void {
    job.record = record;
    if (record.state === 'done') stop(job, 'done');
    onChange();
    events$.next({ id: record.id, kind: record.kind, event });
  }

  function start(id: string): boolean {
    const job = jobs.get(id);
    if (job?.record.state !== 'idle') return false;
    job.record.state = 'running';
    run(job);
    onChange();
    return true;
  }

  for (const record of restore) add(structuredClone(record));

  const live = (id: string): Job | undefined => {
    const job = jobs.get(id);
    return job && !isTerminalStatus(job.record.snapshot.status) ? job : undefined;
  };

  return {
    startGeneration(options = {}) {
      const id = create('generation', options);
      start(id);
      return id;
    },
    startComposition(options = {}) {
      const id = create('composition', options);
      start(id);
      return id;
    },
    createGeneration: (options = {}) => create('generation', options),
    createComposition: (options = {}) => create('composition', options),
    start,
    get: (id) => jobs.get(id)?.record.snapshot,
    info: (id) => {
      const record = jobs.get(id)?.record;
      return record && structuredClone(record);
    },
    list: () => [...jobs.values()].map((job) => job.record.snapshot),
    cancel(id) {
      const job = live(id);
      if (!job) return false;
      publish(job, cancelEvent(job.record));
      return true;
    },
    fail(id, code, message = 'Failed by the test server') {
      const job = live(id);
      if (!job) return false;
      const fallback = job.record.kind === 'generation' ? 'GENERATION_FAILED' : 'COMPOSITION_FAILED';
      publish(job, { type: 'error', data: { code: code ?? fallback, message, recoverable: false } });
      return true;
    },
    stall(id) {
      const job = jobs.get(id);
      if (job?.record.state !== 'running') return false;
      stop(job, 'stalled');
      onChange();
      return true;
    },
    resume(id) {
      const job = jobs.get(id);
      if (job?.record.state !== 'stalled') return false;
      job.record.state = 'running';
      run(job);
      onChange();
      return true;
    },
    emit(id, event) {
      const job = live(id);
      if (!job) return false;
      publish(job, event);
      return true;
    },
    events$: events$.asObservable(),
    records: () => [...jobs.values()].map((job) => structuredClone(job.record)),
    dispose() {
      for (const job of jobs.values()) job.timer?.unsubscribe();
      events$.complete();
    },
  };
}
