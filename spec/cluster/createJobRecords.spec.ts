import { beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_STREAM } from '../../src/server/cluster/adapterBroadcast.js';
import { createJobRecords, type JobRecords } from '../../src/server/cluster/createJobRecords.js';
import { newRecord } from '../../src/server/newRecord.js';
import { planJob } from '../../src/server/planJob.js';
import { playStep } from '../../src/server/playStep.js';
import { timelineOf } from '../../src/server/timelineOf.js';
import { redisForSpec } from './redisForSpec.js';

const redis = redisForSpec();
let records: JobRecords;

beforeAll(() => {
  records = createJobRecords({ redis: redis.client, keyPrefix: 'jobstream:', maxLiveJobs: 2, maxFinishedJobs: 1 });
});

const job = (id: string, state: 'running' | 'idle' = 'running') =>
  newRecord(
    planJob('generation', { id, clips: 1, progressPerClip: 0 }, () => id),
    state,
  );

describe('createJobRecords', () => {
  it('should write a step only over the revision read, and only while the lease is the writer’s', async () => {
    const record = job('gen_1');
    expect(await records.create(record, 'a:1', 60_000)).toBe('ok');
    // Created with a's lease: nobody else can take it.
    expect(await records.claim('gen_1', 'b:1', 60_000)).toBe(false);
    expect(await redis.client.get('jobstream:lease:gen_1')).toBe('a:1');
    const first = playStep(record, timelineOf(record))!;

    // Another node took the lease (a's expired while a was paused, say): a's step must not land.
    await redis.client.set('jobstream:lease:gen_1', 'b:1');
    expect(await records.commit(1, first.record, first.event, 'a:1')).toBe('lost');
    expect(await records.commit(1, first.record, first.event, 'b:1')).toBe('ok');
    // a, still at revision 1, cannot write over b's step either, lease or not.
    expect(await records.commit(1, first.record, first.event)).toBe('conflict');
    expect(await records.load('gen_1')).toEqual({ rev: 2, record: first.record });
    // The step went out once, in the same script.
    expect(await redis.client.xLen(ADAPTER_STREAM.streamName)).toBe(1);
    expect(await records.commit(2, first.record, undefined, 'b:1')).toBe('ok');
    expect(await records.commit(1, first.record, undefined)).toBe('conflict');
    expect(await records.commit(9, job('gen_unknown'), undefined)).toBe('gone');
  });

  it('should refuse a taken id and a job beyond maxLiveJobs, and forget the ended ones beyond maxFinishedJobs', async () => {
    const create = (record: ReturnType<typeof job>) => records.create(record, 'a:1', 60_000);
    expect(await create(job('gen_1'))).toBe('ok');
    expect(await create(job('gen_1'))).toBe('exists');
    expect(await create(job('gen_2', 'idle'))).toBe('ok');
    expect(await create(job('gen_3'))).toBe('full');
    // A queued job has no lease: nobody plays it until it begins.
    expect(await redis.client.get('jobstream:lease:gen_2')).toBeNull();

    const end = async (id: string) => {
      const stored = await records.load(id);
      expect(await records.commit(stored!.rev, { ...stored!.record, state: 'done' }, undefined)).toBe('ok');
    };
    await end('gen_1');
    expect(await create(job('gen_3'))).toBe('ok');
    await end('gen_2');
    // One ended job kept: the first to end is forgotten, with its lease and its place in every set.
    expect(await records.load('gen_1')).toBeUndefined();
    expect((await records.recent(10)).map(({ id }) => id)).toEqual(['gen_2', 'gen_3']);
    expect(await redis.client.sMembers('jobstream:active')).toEqual(['gen_3']);
  });

  it('should renew the leases still held, report the lost ones, and claim the free ones of active jobs only', async () => {
    await records.create(job('gen_held'), 'a:1', 200);
    await records.create(job('gen_free'), 'c:1', 60_000);
    await records.create(job('gen_idle', 'idle'), 'a:1', 60_000);
    // c died: its lease is gone.
    await redis.client.del('jobstream:lease:gen_free');
    await redis.client.set('jobstream:lease:gen_lost', 'b:1');

    const beat = await records.beat('a:1', 60_000, ['gen_held', 'gen_lost']);
    expect(beat).toEqual({ lost: ['gen_lost'], claimed: ['gen_free'] });
    expect(await redis.client.pTTL('jobstream:lease:gen_held')).toBeGreaterThan(1000);
    await records.release('a:1', ['gen_held', 'gen_lost']);
    expect([await redis.client.get('jobstream:lease:gen_held'), await redis.client.get('jobstream:lease:gen_lost')]).toEqual([
      null,
      'b:1',
    ]);
  });
});
