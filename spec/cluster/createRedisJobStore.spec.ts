import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { startNode } from '../../demo/cluster/startNode.js';
import type { JobSnapshot, WebSocketEvent } from '../../src/protocol/index.js';
import { ADAPTER_STREAM, adapterBroadcast } from '../../src/server/cluster/adapterBroadcast.js';
import { createJobServer, timelineOf, type JobServer, type JobServerOptions } from '../../src/server/index.js';
import { connect, fold, subscribeTo } from '../server/helpers.js';
import { redisForSpec } from './redisForSpec.js';

const redis = redisForSpec();
const servers: JobServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(nodeId: string, options: JobServerOptions = {}): Promise<JobServer> {
  const server = await createJobServer({ redis: redis.url, nodeId, ...options });
  servers.push(server);
  return server;
}

/** A raw socket subscribed to the job on `server`: its ack and every event it receives (before the ack too). */
async function follow(server: JobServer, id: string, kind: 'generation' | 'composition' = 'generation') {
  const socket = connect(server, `/ws/${kind}s/${id}`);
  sockets.push(socket);
  return subscribeTo(socket, kind, id);
}

/** The job's whole timeline, as the cluster's record plans it. */
async function timelineOfJob(server: JobServer, id: string): Promise<WebSocketEvent[]> {
  const record = await server.store.find(id);
  if (!record) throw new Error(`no job ${id}`);
  return [...timelineOf(record)];
}

const ended = (events: readonly { type: string }[]) =>
  events.some((event) => event.type === 'completed' || event.type === 'error');

/**
 * Each event of the timeline at most once, in order, none skipped after the first: what a
 * subscriber may receive of a job (it may have joined after the first steps).
 */
function expectSuffixOf(received: readonly { type: string; data: unknown }[], timeline: readonly WebSocketEvent[]): void {
  expect(received.length).toBeGreaterThan(0);
  expect(received).toEqual(timeline.slice(timeline.length - received.length));
}

describe('createJobServer with redis: jobs in Redis', () => {
  it('should append the very stream entry the adapter appends for a broadcast to a job namespace room', async () => {
    const server = await serve('alpha');
    const namespace = '/ws/generations/gen_probe';
    const payload = { step: 'generating_clip', percentage: 12.5, message: 'é ✓' };
    server.io.of(namespace).emit('progress', payload);
    await vi.waitFor(async () => expect(await redis.client.xLen(ADAPTER_STREAM.streamName)).toBeGreaterThan(0));
    const [entry] = await redis.client.xRevRange(ADAPTER_STREAM.streamName, '+', '-', { COUNT: 1 });
    const ours = Object.fromEntries(pairs(adapterBroadcast(namespace, 'progress', payload)));
    // The same fields and values, but the sender: the adapter's random uid, the store's fixed one.
    expect({ ...entry?.message, uid: 'either' }).toEqual({ ...ours, uid: 'either' });
  });

  it('should answer subscribe and REST with the same snapshot on every node, and send each event to the subscribers of every node', async () => {
    const [a, b] = await Promise.all([serve('a'), serve('b')]);
    const { id } = await a.store.start('generation', { clips: 3, progressPerClip: 2, stepMs: 40 });
    expect(a.cluster?.runningHere()).toEqual([id]);
    const [onA, onB] = await Promise.all([follow(a, id), follow(b, id)]);
    await vi.waitFor(() => expect([ended(onA.events), ended(onB.events)]).toEqual([true, true]), { timeout: 5000 });

    const timeline = await timelineOfJob(b, id);
    expectSuffixOf(onA.events, timeline);
    expectSuffixOf(onB.events, timeline);
    const rest = await Promise.all(
      [a, b].map(async (server) => (await fetch(`${server.url}/api/v1/generations/${id}`)).json() as Promise<JobSnapshot>),
    );
    expect(rest[0]).toEqual(rest[1]);
    expect(rest[0]).toMatchObject({ id, status: 'completed', clips: [{}, {}, {}] });
    expect([a.cluster?.runningHere(), b.cluster?.runningHere()]).toEqual([[], []]);
  });

  it('should send a subscriber no event before its subscribe ack, and every later one after it, in order', async () => {
    const [a, b] = await Promise.all([serve('a'), serve('b')]);
    const { id } = await a.store.start('generation', { clips: 40, progressPerClip: 1, stepMs: 5 });
    const subscribers = await Promise.all(
      Array.from({ length: 30 }, async (_, index) => {
        await new Promise((resolve) => setTimeout(resolve, index * 10));
        const socket = connect(b, `/ws/generations/${id}`);
        sockets.push(socket);
        const events: { type: string; data: unknown }[] = [];
        socket.onAny((type: string, data: unknown) => events.push({ type, data }));
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        // The ack callback runs as its packet is read, so `events` holds exactly what came before it.
        return new Promise<{ before: number; ack: JobSnapshot; events: typeof events }>((resolve) => {
          socket.emit('subscribe', { type: 'subscribe', generation_id: id }, (ack: JobSnapshot) =>
            resolve({ before: events.length, ack, events }),
          );
        });
      }),
    );
    await vi.waitFor(() => expect(subscribers.every(({ events }) => ended(events))).toBe(true), { timeout: 10_000 });
    const final = (await b.store.find(id))?.snapshot;
    expect(subscribers.map(({ before }) => before)).toEqual(subscribers.map(() => 0));
    for (const { ack, events } of subscribers) expect(fold(ack, events)).toEqual(final);
  });

  it('should create a job through any node, refuse an id taken on another, and count live jobs cluster-wide', async () => {
    const [a, b] = await Promise.all([serve('a', { maxLiveJobs: 2 }), serve('b', { maxLiveJobs: 2 })]);
    const post = (server: JobServer, body: object) =>
      fetch(`${server.url}/api/v1/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post(a, { id: 'gen_shared', stepMs: 60_000 })).status).toBe(201);
    const taken = await post(b, { id: 'gen_shared' });
    expect([taken.status, await taken.json()]).toEqual([
      400,
      { error: { code: 'BAD_REQUEST', message: 'A job with id "gen_shared" already exists.' } },
    ]);
    expect((await post(b, { id: 'gen_second', stepMs: 60_000 })).status).toBe(201);
    expect((await post(a, { id: 'gen_third' })).status).toBe(429);
    expect(((await (await fetch(`${a.url}/api/v1/generations/gen_second`)).json()) as JobSnapshot).status).toBe('queued');
  });

  it('should keep a created job queued on every node until one begins it', async () => {
    const [a, b] = await Promise.all([serve('a'), serve('b')]);
    const { id } = await a.store.create('generation', { clips: 1, stepMs: 20 });
    const on = await follow(b, id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([on.ack, on.events, a.cluster?.runningHere(), b.cluster?.runningHere()]).toEqual([
      { id, status: 'queued' },
      [],
      [],
      [],
    ]);
    expect(await b.store.begin(id)).toBe(true);
    expect(await a.store.begin(id)).toBe(false);
    expect(b.cluster?.runningHere()).toEqual([id]);
    await vi.waitFor(() => expect(ended(on.events)).toBe(true));
    expect(on.events).toEqual(await timelineOfJob(a, id));
  });

  it('should cancel a job from the node a request reaches while another runs it: the runner stops, subscribers get it once', async () => {
    const [a, b] = await Promise.all([serve('a'), serve('b')]);
    const { id } = await a.store.start('generation', { clips: 20, stepMs: 30 });
    const onA = await follow(a, id);
    await vi.waitFor(() => expect(onA.events.length).toBeGreaterThan(3));
    const cancelled = await fetch(`${b.url}/api/v1/generations/${id}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(((await cancelled.json()) as JobSnapshot).status).toBe('cancelled');
    await vi.waitFor(() => expect(a.cluster?.runningHere()).toEqual([]));
    const isCancel = (event: { data: unknown }) => (event.data as { new_status?: string }).new_status === 'cancelled';
    await vi.waitFor(() => expect(onA.events.some(isCancel)).toBe(true));
    // Nothing after the cancel, and the cancel once.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onA.events.filter(isCancel)).toHaveLength(1);
    expect(isCancel(onA.events.at(-1)!)).toBe(true);
  });

  it('should stall and resume a job from any node', async () => {
    const [a, b] = await Promise.all([serve('a'), serve('b')]);
    const { id } = await a.store.start('generation', { clips: 2, stepMs: 30 });
    const on = await follow(b, id);
    await vi.waitFor(() => expect(on.events.length).toBeGreaterThan(1));
    expect(await b.store.stall(id)).toBe(true);
    await vi.waitFor(() => expect(a.cluster?.runningHere()).toEqual([]));
    const frozen = on.events.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([on.events.length, (await a.store.find(id))?.state]).toEqual([frozen, 'stalled']);
    expect(await b.store.stall(id)).toBe(false);

    expect(await b.store.resume(id)).toBe(true);
    await vi.waitFor(() => expect(ended(on.events)).toBe(true), { timeout: 5000 });
    expectSuffixOf(on.events, await timelineOfJob(a, id));
  });

  it('should apply an outbox message resent to another node once, and list it in the cluster’s applied ids', async () => {
    const [a, b] = await Promise.all([serve('a'), serve('b')]);
    const [toA, toB] = [connect(a), connect(b)];
    sockets.push(toA, toB);
    const envelope = { id: 'msg_1', event: 'note', data: { n: 1 } };
    expect(await toA.emitWithAck('message', envelope)).toEqual({ id: 'msg_1' });
    expect(await toB.emitWithAck('message', envelope)).toEqual({ id: 'msg_1' });
    expect(await toB.emitWithAck('message', { ...envelope, id: 'msg_2' })).toEqual({ id: 'msg_2' });

    expect([a.control.outbox.applied.map(({ id }) => id), b.control.outbox.applied.map(({ id }) => id)]).toEqual([
      ['msg_1'],
      ['msg_2'],
    ]);
    expect(await a.cluster?.appliedMessages()).toEqual(['msg_1', 'msg_2']);
    expect(b.control.outbox.received).toHaveLength(2);
  });

  it('should hand a job over at once when its node closes, and go on from its step', async () => {
    const [a, b] = await Promise.all([serve('a', { leaseTtlMs: 6000 }), serve('b', { leaseTtlMs: 6000 })]);
    const { id } = await a.store.start('generation', { clips: 3, stepMs: 40 });
    const on = await follow(b, id);
    await vi.waitFor(() => expect(on.events.length).toBeGreaterThan(2));
    servers.splice(servers.indexOf(a), 1);
    await a.close();
    // b looks for jobs without a lease every second; had a kept its lease, b would wait for it to expire (5 s or more).
    await vi.waitFor(() => expect(b.cluster?.runningHere()).toEqual([id]), { timeout: 3500 });
    await vi.waitFor(() => expect(ended(on.events)).toBe(true), { timeout: 5000 });
    expectSuffixOf(on.events, await timelineOfJob(b, id));
  });

  it('should stop playing a job whose lease another took (found at its next beat), and let the new holder go on, no step twice', async () => {
    const [a, b] = await Promise.all([serve('a', { leaseTtlMs: 600 }), serve('b', { leaseTtlMs: 600 })]);
    const { id } = await a.store.start('generation', { clips: 4, stepMs: 50 });
    const on = await follow(b, id);
    await vi.waitFor(() => expect(on.events.length).toBeGreaterThan(2));
    // As if a's lease had expired during a long pause and an unknown node had taken it: a's next
    // beat finds it lost (and a step, its lease check). That node never plays it, so its lease
    // expires and b or a takes it.
    await redis.client.set(`jobstream:lease:${id}`, 'elsewhere:0', { PX: 300 });
    await vi.waitFor(() => expect(a.cluster?.runningHere()).toEqual([]), { timeout: 2000 });
    await vi.waitFor(() => expect(ended(on.events)).toBe(true), { timeout: 5000 });
    expectSuffixOf(on.events, await timelineOfJob(b, id));
  });

  it('should refuse what cannot work with redis, saying what to do', async () => {
    await expect(createJobServer({ redis: redis.url, stateFile: '/tmp/x.json' })).rejects.toThrow(
      new TypeError('stateFile and redis do not go together: in a cluster, Redis holds the jobs and the dedupe ids.'),
    );
    await expect(createJobServer({ redis: redis.url, leaseTtlMs: 10 })).rejects.toThrow(/^leaseTtlMs must be an integer >= 60/);
    const server = await serve('a');
    expect(() => server.jobs.get('gen_1')).toThrow(/with redis the jobs live in Redis: use server\.store/);
  });
});

describe('createJobServer with redis: a node SIGKILLed mid-job', () => {
  it('should let another node take the job within the lease TTL and play it on from its recorded step, no step twice or skipped', async () => {
    const doomed = await startNode({ watchdog: redis.watchdog, id: 'doomed', redis: redis.url });
    const survivor = await serve('survivor');
    const created = await fetch(`${doomed.url}/api/v1/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'gen_orphan', clips: 4, progressPerClip: 3, stepMs: 100 }),
    });
    expect(created.status).toBe(201);
    const on = await follow(survivor, 'gen_orphan');
    await vi.waitFor(() => expect(on.events.length).toBeGreaterThan(3));
    expect(survivor.cluster?.runningHere()).toEqual([]);

    await doomed.process.stop('SIGKILL');
    const killedAt = performance.now();
    const before = on.events.length;
    await vi.waitFor(() => expect(on.events.length).toBeGreaterThan(before), { timeout: 6000, interval: 10 });
    const gapMs = performance.now() - killedAt;
    expect(survivor.cluster?.runningHere()).toEqual(['gen_orphan']);
    await vi.waitFor(() => expect(ended(on.events)).toBe(true), { timeout: 10_000 });
    expectSuffixOf(on.events, await timelineOfJob(survivor, 'gen_orphan'));
    // The lease lasts 3 s from its last renewal; beats are 500 ms apart; then one step (and a loaded machine's slack).
    expect(gapMs).toBeLessThan(3000 + 500 + 100 + 1000);
  });
});

function pairs(fields: readonly string[]): [string, string][] {
  return Array.from({ length: fields.length / 2 }, (_, index) => [fields[2 * index]!, fields[2 * index + 1]!]);
}
