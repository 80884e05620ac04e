import { randomBytes } from 'node:crypto';
import {
  asyncScheduler,
  catchError,
  EMPTY,
  exhaustMap,
  firstValueFrom,
  from,
  noop,
  race,
  timer,
  type Observable,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { isTerminalStatus, type JobKind, type JobSnapshot, type WebSocketEvent } from '../../protocol/index.js';
import type { CompositionOptions } from '../CompositionOptions.js';
import type { GenerationOptions } from '../GenerationOptions.js';
import { cancelEvent } from '../cancelEvent.js';
import { checkLimit } from '../checkLimit.js';
import { DEFAULT_JOB_SIMULATOR } from '../createJobSimulator.js';
import { foldEvent } from '../foldEvent.js';
import type { JobNotice, JobRecord } from '../JobRecord.js';
import type { JobStore } from '../JobStore.js';
import type { JobTimeline } from '../JobTimeline.js';
import { newRecord } from '../newRecord.js';
import { planJob } from '../planJob.js';
import { playStep } from '../playStep.js';
import { timelineOf } from '../timelineOf.js';
import { TooManyJobsError } from '../TooManyJobsError.js';
import { ADAPTER_STREAM, adapterBroadcast } from './adapterBroadcast.js';
import { COMMIT_JOB, CREATE_JOB, jobKeys, LEASE_TICK, RELEASE_LEASES } from './jobScripts.js';
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

/** A job this node plays. `stale`: its record must be read again before the next step. */
interface Held {
  rev: number;
  record: JobRecord;
  timeline: JobTimeline;
  stale: boolean;
  steps?: Subscription;
}

type CommitAnswer = 'ok' | 'conflict' | 'lost' | 'gone';

// Times a change of a job by another node's request is tried again when a step wrote first.
const MUTATE_ATTEMPTS = 20;
// How long closing waits for Redis to take the leases back before leaving them to expire.
const RELEASE_WAIT_MS = 1000;

/**
 * The {@link JobStore} of a cluster node: every job's record lives in Redis, so any node answers
 * `subscribe` and REST alike, and each running job is played by the one node holding its lease
 * (`SET NX PX`, renewed). A step is one Lua script that checks the lease and the record's
 * revision, writes the next record and appends the event to the Redis streams adapter's stream,
 * which every node's adapter reads, in that order, into `events$`. When a node dies its
 * leases expire, another node takes them and plays each job on from its recorded step: a step is
 * recorded and broadcast together or not at all, and none is played twice, since a stale holder's
 * write fails its checks.
 *
 * @example
 * const store = createRedisJobStore({ redis: client, nodeId: 'node-1' });
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
  const keys = jobKeys(keyPrefix);
  // Unique per process: a node restarted under the same id must not think it holds its past leases.
  const token = `${nodeId}:${randomBytes(6).toString('hex')}`;
  const ttl = String(leaseTtlMs);
  const held = new Map<string, Held>();
  // Leases taken whose record is being read: renewed like the others, played once read.
  const adopting = new Set<string>();
  let closed = false;

  const limit = (value: number) => String(Number.isFinite(value) ? value : -1);

  async function load(id: string): Promise<{ rev: number; record: JobRecord } | undefined> {
    const [rev, record] = (await redis.sendCommand(['HMGET', keys.job(id), 'rev', 'record'])) as (string | null)[];
    return rev == null || record == null ? undefined : { rev: Number(rev), record: JSON.parse(record) as JobRecord };
  }

  async function commit(
    rev: number,
    record: JobRecord,
    event: WebSocketEvent | undefined,
    lease: boolean,
  ): Promise<CommitAnswer> {
    const { id, kind } = record;
    const entry = event ? adapterBroadcast(namespaceOf(kind, id), event.type, event.data) : [];
    const answer = await COMMIT_JOB.run(
      redis,
      [keys.job(id), keys.lease(id), keys.live, keys.active, keys.ended, keys.jobs, keys.seq, ADAPTER_STREAM.streamName],
      [
        ...[id, String(rev), JSON.stringify(record), record.state, lease ? token : ''],
        ...[keyPrefix, limit(maxFinishedJobs), String(ADAPTER_STREAM.maxLen), ...entry],
      ],
    );
    return answer as CommitAnswer;
  }

  const release = (ids: readonly string[]) =>
    ids.length === 0 ? Promise.resolve() : RELEASE_LEASES.run(redis, [], [token, keyPrefix, ...ids]).then(() => undefined);

  const ours = () => [...held.keys(), ...adopting];

  function drop(id: string, giveBack: boolean): void {
    adopting.delete(id);
    held.get(id)?.steps?.unsubscribe();
    held.delete(id);
    if (giveBack) release([id]).catch(noop);
  }

  /** Plays a job this node just took the lease of, from its recorded step. */
  async function adopt(id: string): Promise<void> {
    // A job claimed twice (by a start and a beat) is played once.
    if (closed || held.has(id) || adopting.has(id)) return;
    adopting.add(id);
    const loaded = await load(id).catch(() => undefined);
    // Dropped meanwhile (the lease was lost, the store closed): not this node's to play.
    if (!adopting.delete(id)) return;
    if (loaded?.record.state !== 'running') return void release([id]).catch(noop);
    const job: Held = { ...loaded, timeline: timelineOf(loaded.record, mediaOrigin), stale: false };
    held.set(id, job);
    const { stepMs } = loaded.record.plan;
    const played = () =>
      from(step(id, job)).pipe(
        catchError(() => {
          // Redis did not answer: whether the step was written is unknown until the record is read again.
          job.stale = true;
          return EMPTY;
        }),
      );
    job.steps = timer(stepMs, stepMs, scheduler).pipe(exhaustMap(played)).subscribe();
  }

  async function step(id: string, job: Held): Promise<void> {
    if (job.stale) {
      const fresh = await load(id);
      // Stalled or ended by another node's request, or forgotten: this node's part is over.
      if (fresh?.record.state !== 'running') {
        drop(id, fresh !== undefined);
        return;
      }
      Object.assign(job, { ...fresh, stale: false });
    }
    // A timeline with no step left ends the job (it cannot happen with a record `playStep` wrote).
    const played = playStep(job.record, job.timeline) ?? { event: undefined, record: { ...job.record, state: 'done' as const } };
    const answer = await commit(job.rev, played.record, played.event, true);
    if (held.get(id) !== job) return;
    if (answer === 'conflict') job.stale = true;
    else if (answer !== 'ok') drop(id, false);
    else {
      job.rev++;
      job.record = played.record;
      // The script gave the lease of an ended job back.
      if (played.record.state !== 'running') drop(id, false);
    }
  }

  async function claim(id: string): Promise<void> {
    const taken = await redis.sendCommand(['SET', keys.lease(id), token, 'NX', 'PX', ttl]);
    if (taken === 'OK') await adopt(id);
  }

  /**
   * Changes a job for a request this node received (cancel, stall, resume): reads the record,
   * asks `change` for the next one and the event it sends, and writes it if no step came first.
   */
  async function mutate(
    id: string,
    change: (record: JobRecord) => { record: JobRecord; event?: WebSocketEvent } | undefined,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await load(id);
      const next = loaded && change(loaded.record);
      if (!loaded || !next) return false;
      const answer = await commit(loaded.rev, next.record, next.event, false);
      if (answer === 'ok') return true;
      if (answer === 'gone') return false;
      if (attempt === MUTATE_ATTEMPTS) throw new Error(`Job "${id}" kept changing while ${nodeId} tried to change it.`);
    }
  }

  async function create(
    kind: JobKind,
    options: GenerationOptions | CompositionOptions,
    state: 'running' | 'idle',
  ): Promise<JobSnapshot> {
    const planned = planJob(kind, options, () => newId(kind === 'generation' ? 'gen' : 'comp'));
    const record = newRecord(planned, state);
    const { id } = record;
    const created = await CREATE_JOB.run(
      redis,
      [keys.job(id), keys.live, keys.active, keys.jobs, keys.seq],
      [id, JSON.stringify(record), state === 'running' ? '1' : '0', limit(maxLiveJobs)],
    );
    if (created === 'exists') throw new RangeError(`A job with id "${id}" already exists.`);
    if (created === 'full') throw new TooManyJobsError(maxLiveJobs);
    return record.snapshot;
  }

  async function beat(): Promise<void> {
    const reply = await LEASE_TICK.run(redis, [keys.active], [token, ttl, keyPrefix, ...ours()]);
    const [lost, claimed] = reply as [string[], string[]];
    for (const id of lost) drop(id, false);
    for (const id of claimed) void adopt(id);
  }

  const beats = timer(0, leaseTtlMs / 6, scheduler)
    .pipe(exhaustMap(() => from(beat()).pipe(catchError(() => EMPTY))))
    .subscribe();

  return {
    find: async (id) => (await load(id))?.record,
    async start(kind, options) {
      const snapshot = await create(kind, options, 'running');
      // Played here if it can be; else (another node was quicker) where its lease is.
      await claim(snapshot.id);
      return snapshot;
    },
    create: (kind, options) => create(kind, options, 'idle'),
    async begin(id) {
      const begun = await mutate(id, (record) =>
        record.state === 'idle' ? { record: { ...record, state: 'running' } } : undefined,
      );
      if (begun) await claim(id);
      return begun;
    },
    cancel: (id) =>
      mutate(id, (record) => {
        if (isTerminalStatus(record.snapshot.status)) return undefined;
        const event = cancelEvent(record);
        return { record: foldEvent(record, event, timelineOf(record, mediaOrigin)), event };
      }),
    stall: (id) => mutate(id, (record) => (record.state === 'running' ? { record: { ...record, state: 'stalled' } } : undefined)),
    async resume(id) {
      const resumed = await mutate(id, (record) =>
        record.state === 'stalled' ? { record: { ...record, state: 'running' } } : undefined,
      );
      if (resumed) await claim(id);
      return resumed;
    },
    async recent(count) {
      const ids = (await redis.sendCommand(['ZRANGE', keys.jobs, String(-count), '-1'])) as string[];
      const loaded = await Promise.all(ids.map(load));
      return loaded.flatMap((entry) => (entry ? [entry.record] : []));
    },
    events$,
    held: ours,
    async close() {
      closed = true;
      beats.unsubscribe();
      const ids = ours();
      for (const id of ids) drop(id, false);
      // A Redis that is away would keep this waiting: the leases then expire by themselves.
      await firstValueFrom(race(from(release(ids).catch(noop)), timer(RELEASE_WAIT_MS, scheduler)));
    },
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

function namespaceOf(kind: JobKind, id: string): string {
  return `/ws/${kind === 'generation' ? 'generations' : 'compositions'}/${id}`;
}
