import type { JobKind, WebSocketEvent } from '../../protocol/index.js';
import type { JobRecord } from '../JobRecord.js';
import { ADAPTER_STREAM, adapterBroadcast } from './adapterBroadcast.js';
import { COMMIT_JOB, CREATE_JOB, jobKeys, LEASE_TICK, RELEASE_LEASES } from './jobScripts.js';
import type { RedisCommands } from './redisScript.js';

/** Options of {@link createJobRecords}. */
export interface JobRecordsConfig {
  redis: RedisCommands;
  /** Prefix of every key. */
  keyPrefix: string;
  /** Live jobs the whole cluster may hold (`Infinity`: no limit). */
  maxLiveJobs: number;
  /** Ended jobs the whole cluster keeps (`Infinity`: all). */
  maxFinishedJobs: number;
}

/** A job's record as stored, with the revision a write must find to succeed. */
export interface StoredRecord {
  rev: number;
  record: JobRecord;
}

/**
 * What a write of a record answers: `ok`; `conflict` (another write came first: read it again);
 * `lost` (the lease is no longer the writer's); `gone` (the job was forgotten).
 */
export type CommitAnswer = 'ok' | 'conflict' | 'lost' | 'gone';

/** The job records and leases of a cluster in Redis, one script per change. */
export interface JobRecords {
  /** The record and its revision, or `undefined` for an unknown job. */
  load(id: string): Promise<StoredRecord | undefined>;
  /**
   * Stores a new job, a running one with its lease held by `token` for `ttlMs`; `exists` when its
   * id is taken, `full` when `maxLiveJobs` are live.
   */
  create(record: JobRecord, token: string, ttlMs: number): Promise<'ok' | 'exists' | 'full'>;
  /**
   * Writes `record` over revision `rev` and appends `event`'s broadcast to the adapter's stream,
   * in one script; with `token`, only while the job's lease is that token's.
   */
  commit(rev: number, record: JobRecord, event: WebSocketEvent | undefined, token?: string): Promise<CommitAnswer>;
  /** The last `count` jobs created, oldest first. */
  recent(count: number): Promise<JobRecord[]>;
  /** Takes the lease of a job that has none, for `ttlMs`; whether it was taken. */
  claim(id: string, token: string, ttlMs: number): Promise<boolean>;
  /** Renews the leases of `held` still `token`'s and takes those of active jobs that have none. */
  beat(token: string, ttlMs: number, held: readonly string[]): Promise<{ lost: string[]; claimed: string[] }>;
  /** Gives back the leases of `ids` still `token`'s. */
  release(token: string, ids: readonly string[]): Promise<void>;
}

/**
 * The Redis side of a cluster's job store: each read is one command and each change one of the
 * scripts of `jobScripts.ts`, so no change of another node can fall between a check and a write.
 *
 * @example
 * const records = createJobRecords({ redis, keyPrefix: 'jobstream:', maxLiveJobs: 1000, maxFinishedJobs: 1000 });
 * const stored = await records.load('gen_1');
 */
export function createJobRecords(config: JobRecordsConfig): JobRecords {
  const { redis, keyPrefix, maxLiveJobs, maxFinishedJobs } = config;
  const keys = jobKeys(keyPrefix);
  const limit = (value: number) => String(Number.isFinite(value) ? value : -1);

  async function load(id: string): Promise<StoredRecord | undefined> {
    const [rev, record] = (await redis.sendCommand(['HMGET', keys.job(id), 'rev', 'record'])) as (string | null)[];
    return rev == null || record == null ? undefined : { rev: Number(rev), record: JSON.parse(record) as JobRecord };
  }

  return {
    load,
    async create(record, token, ttlMs) {
      const { id, state } = record;
      const answer = await CREATE_JOB.run(
        redis,
        [keys.job(id), keys.live, keys.active, keys.jobs, keys.seq, keys.lease(id)],
        [id, JSON.stringify(record), state === 'running' ? '1' : '0', limit(maxLiveJobs), token, String(ttlMs)],
      );
      return answer as 'ok' | 'exists' | 'full';
    },
    async commit(rev, record, event, token = '') {
      const { id, kind } = record;
      const entry = event ? adapterBroadcast(namespaceOf(kind, id), event.type, event.data) : [];
      const answer = await COMMIT_JOB.run(
        redis,
        [keys.job(id), keys.lease(id), keys.live, keys.active, keys.ended, keys.jobs, keys.seq, ADAPTER_STREAM.streamName],
        [
          ...[id, String(rev), JSON.stringify(record), record.state, token],
          ...[keyPrefix, limit(maxFinishedJobs), String(ADAPTER_STREAM.maxLen), ...entry],
        ],
      );
      return answer as CommitAnswer;
    },
    async recent(count) {
      const ids = (await redis.sendCommand(['ZRANGE', keys.jobs, String(-count), '-1'])) as string[];
      const loaded = await Promise.all(ids.map(load));
      return loaded.flatMap((stored) => (stored ? [stored.record] : []));
    },
    async claim(id, token, ttlMs) {
      return (await redis.sendCommand(['SET', keys.lease(id), token, 'NX', 'PX', String(ttlMs)])) === 'OK';
    },
    async beat(token, ttlMs, held) {
      const reply = await LEASE_TICK.run(redis, [keys.active], [token, String(ttlMs), keyPrefix, ...held]);
      const [lost, claimed] = reply as [string[], string[]];
      return { lost, claimed };
    },
    async release(token, ids) {
      if (ids.length > 0) await RELEASE_LEASES.run(redis, [], [token, keyPrefix, ...ids]);
    },
  };
}

function namespaceOf(kind: JobKind, id: string): string {
  return `/ws/${kind === 'generation' ? 'generations' : 'compositions'}/${id}`;
}
