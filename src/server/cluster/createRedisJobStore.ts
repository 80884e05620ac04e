import { asyncScheduler, type Observable, type SchedulerLike } from 'rxjs';
import { isTerminalStatus, type JobKind, type WebSocketEvent } from '../../protocol/index.js';
import { cancelEvent } from '../cancelEvent.js';
import { checkLimit } from '../checkLimit.js';
import type { CompositionOptions } from '../CompositionOptions.js';
import { DEFAULT_JOB_SIMULATOR } from '../createJobSimulator.js';
import { foldEvent } from '../foldEvent.js';
import type { GenerationOptions } from '../GenerationOptions.js';
import type { JobNotice, JobRecord } from '../JobRecord.js';
import type { JobStore } from '../JobStore.js';
import { newRecord } from '../newRecord.js';
import { planJob } from '../planJob.js';
import { timelineOf } from '../timelineOf.js';
import { TooManyJobsError } from '../TooManyJobsError.js';
import { createJobRecords } from './createJobRecords.js';
import { createLeasePlayer } from './createLeasePlayer.js';
import type { RedisCommands } from './redisScript.js';

/** Options of {@link createRedisJobStore}. */
export interface RedisJobStoreConfig {
  /** A connected client (`redis` v5), shared with the adapter. */
  redis: RedisCommands;
  /**
   * The job events this node's adapter reads from the stream (`ClusterNode.jobEvents$`): the
   * store's `events$`, which the server sends to each job's subscribers on this node.
   */
  events$: Observable<JobNotice>;
  /** This node's id: the first part of its lease token, so a lease tells which node runs a job. */
  nodeId: string;
  /**
   * How long a job's lease lasts unless renewed. A node renews its leases every sixth of it and
   * looks for jobs without one as often, so a job whose node died runs again on another within
   * the TTL plus a sixth of it.
   * @default 3000
   */
  leaseTtlMs?: number;
  /** @default asyncScheduler */
  scheduler?: SchedulerLike;
  /** Live jobs the whole cluster may hold; see `JobServerOptions.maxLiveJobs`. @default 1000 */
  maxLiveJobs?: number;
  /** Ended jobs the whole cluster keeps; see `JobServerOptions.maxFinishedJobs`. @default 1000 */
  maxFinishedJobs?: number;
  /** Prefix of media URLs; the same on every node. @default '' */
  mediaOrigin?: string;
  /** Makes a job id from its prefix when the options give none. @default `${prefix}_${12 random hex digits}` */
  newId?: (prefix: 'gen' | 'comp') => string;
  /** Prefix of every key. @default 'jobstream:' */
  keyPrefix?: string;
}

/** Defaults of {@link RedisJobStoreConfig}. */
export const DEFAULT_REDIS_JOB_STORE = {
  leaseTtlMs: 3000,
  scheduler: asyncScheduler,
  maxLiveJobs: DEFAULT_JOB_SIMULATOR.maxLiveJobs,
  maxFinishedJobs: DEFAULT_JOB_SIMULATOR.maxFinishedJobs,
  mediaOrigin: '',
  newId: DEFAULT_JOB_SIMULATOR.newId,
  keyPrefix: 'jobstream:',
} as const satisfies Omit<Required<RedisJobStoreConfig>, 'redis' | 'nodeId' | 'events$'>;

/** The jobs of a cluster, in Redis, and the ones this node runs. */
export interface RedisJobStore extends JobStore {
  /** Ids of the jobs this node runs now (it holds their lease; a job just taken over may still be read). */
  held(): string[];
  /** Stops running jobs here and gives their leases back, so other nodes take them at once. */
  close(): Promise<void>;
}

// Times a change of a job by another node's request is tried again when a step wrote first.
const MUTATE_ATTEMPTS = 20;

/**
 * The {@link JobStore} of a cluster node: every job's record lives in Redis, so any node answers
 * `subscribe` and REST alike, and each running job is played by the one node holding its lease
 * (`SET NX PX`, renewed; see {@link createLeasePlayer}). A step is one Lua script that checks the
 * lease and the record's revision, writes the next record and appends the event to the Redis
 * streams adapter's stream, which every node's adapter reads, in that order, into `events$`. When
 * a node dies its leases expire, another node takes them and plays each job on from its recorded
 * step: a step is recorded and broadcast together or not at all, and none is played twice, since
 * a stale holder's write fails its checks. A change a request brings to another node (cancel,
 * stall, resume) is written the same way, over the revision it read.
 *
 * @example
 * const node = await connectCluster({ redis: url });
 * node.attach(io);
 * const store = createRedisJobStore({ redis: node.redis, events$: node.jobEvents$, nodeId: node.id });
 * const snapshot = await store.start('generation', { clips: 2 });
 * await store.close();
 */
export function createRedisJobStore(config: RedisJobStoreConfig): RedisJobStore {
  const { redis, events$, nodeId, leaseTtlMs, scheduler, maxLiveJobs, maxFinishedJobs, mediaOrigin, newId, keyPrefix } = {
    ...DEFAULT_REDIS_JOB_STORE,
    ...config,
  };
  checkLeaseTtl(leaseTtlMs);
  checkLimit('maxLiveJobs', maxLiveJobs);
  checkLimit('maxFinishedJobs', maxFinishedJobs);
  const records = createJobRecords({ redis, keyPrefix, maxLiveJobs, maxFinishedJobs });
  const player = createLeasePlayer({ records, nodeId, leaseTtlMs, scheduler, mediaOrigin });

  async function create(kind: JobKind, options: GenerationOptions | CompositionOptions, state: 'running' | 'idle') {
    const record = newRecord(
      planJob(kind, options, () => newId(kind === 'generation' ? 'gen' : 'comp')),
      state,
    );
    const created = await records.create(record, player.token, leaseTtlMs);
    if (created === 'exists') throw new RangeError(`A job with id "${record.id}" already exists.`);
    if (created === 'full') throw new TooManyJobsError(maxLiveJobs);
    return record.snapshot;
  }

  /**
   * Changes a job for a request this node received: reads the record, asks `change` for the next
   * one and the event it sends, and writes it unless another write came first (then again).
   */
  async function mutate(
    id: string,
    change: (record: JobRecord) => { record: JobRecord; event?: WebSocketEvent } | undefined,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const stored = await records.load(id);
      const next = stored && change(stored.record);
      if (!stored || !next) return false;
      const answer = await records.commit(stored.rev, next.record, next.event);
      if (answer === 'ok') return true;
      if (answer === 'gone') return false;
      if (attempt === MUTATE_ATTEMPTS) throw new Error(`Job "${id}" kept changing while ${nodeId} tried to change it.`);
    }
  }

  /** Moves a job from state `from` to `running` and plays it here if its lease is free. */
  async function run(id: string, from: 'idle' | 'stalled'): Promise<boolean> {
    const done = await mutate(id, (record) => (record.state === from ? { record: { ...record, state: 'running' } } : undefined));
    if (done) await player.claim(id);
    return done;
  }

  return {
    find: async (id) => (await records.load(id))?.record,
    async start(kind, options) {
      // Created with this node's lease: played here, from the first step.
      const snapshot = await create(kind, options, 'running');
      await player.play(snapshot.id);
      return snapshot;
    },
    create: (kind, options) => create(kind, options, 'idle'),
    begin: (id) => run(id, 'idle'),
    cancel: (id) =>
      mutate(id, (record) => {
        if (isTerminalStatus(record.snapshot.status)) return undefined;
        const event = cancelEvent(record);
        return { record: foldEvent(record, event, timelineOf(record, mediaOrigin)), event };
      }),
    stall: (id) => mutate(id, (record) => (record.state === 'running' ? { record: { ...record, state: 'stalled' } } : undefined)),
    resume: (id) => run(id, 'stalled'),
    recent: (count) => records.recent(count),
    events$,
    held: () => player.held(),
    close: () => player.close(),
  };
}

/** Throws a `RangeError` unless `leaseTtlMs` is a whole number of at least 60 ms. */
export function checkLeaseTtl(leaseTtlMs: unknown): void {
  if (!Number.isSafeInteger(leaseTtlMs) || (leaseTtlMs as number) < 60) {
    throw new RangeError(
      `leaseTtlMs must be an integer >= 60 (a node renews its leases every sixth of it), got ${String(leaseTtlMs)}.`,
    );
  }
}
