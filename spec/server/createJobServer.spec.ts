import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { createJobServer, type JobServer } from '../../src/server/index.js';
import { parseEvent, parseSnapshot, type JobSnapshot } from '../../src/protocol/index.js';
import { connect, connected, ended, fold, getJson, manager, postJson, subscribeTo } from './helpers.js';

describe('createJobServer', () => {
  let server: JobServer;
  const sockets: Socket[] = [];
  const open = (path = '', options = {}): Socket => {
    const socket = connect(server, path, options);
    sockets.push(socket);
    return socket;
  };

  beforeEach(async () => {
    server = await createJobServer();
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await server.close();
  });

  describe('subscribe', () => {
    it('should ack the snapshot, then deliver every live event in order until completed', async () => {
      const id = server.jobs.createGeneration({ clips: 3, stepMs: 5 });
      const { ack, events } = await subscribeTo(open(`/ws/generations/${id}`), 'generation', id);
      expect(ack).toEqual({ id, status: 'queued' });
      server.jobs.start(id);

      await vi.waitFor(() => expect(ended(events)).toBe(true));
      expect(events.every(({ type, data }) => parseEvent(type, data).ok)).toBe(true);
      expect(events.at(-1)?.type).toBe('completed');
      const clips = events.filter((event) => event.type === 'clip_completed').map((event) => event.data);
      expect(clips.map((clip) => (clip as { clip_id: string }).clip_id)).toEqual([
        `${id}_clip_1`,
        `${id}_clip_2`,
        `${id}_clip_3`,
      ]);
      const percentages = events.filter((event) => event.type === 'progress').map((e) => (e.data as { percentage: number }).percentage);
      expect(percentages).toEqual([...percentages].sort((a, b) => a - b));

      const rest = await getJson(server, `/api/v1/generations/${id}`);
      expect(rest).toEqual({ status: 200, body: fold(ack as JobSnapshot, events) });
      expect(rest.body).toMatchObject({ status: 'completed', video_url: `/api/v1/videos/${id}.mp4` });
    });

    it('should lose nothing between the snapshot and live events when joining mid-job', async () => {
      const id = server.jobs.startGeneration({ clips: 20, stepMs: 2, progressPerClip: 6 });
      await vi.waitFor(() => expect(server.jobs.get(id)?.status).toBe('processing'));
      const { ack, events } = await subscribeTo(open(`/ws/generations/${id}`), 'generation', id);
      expect((ack as JobSnapshot).status).toBe('processing');

      await vi.waitFor(() => expect(ended(events)).toBe(true), { timeout: 5000 });
      const final = fold(ack as JobSnapshot, events);
      expect(final).toEqual(server.jobs.get(id));
      expect('clips' in final && final.clips?.map((clip) => clip.clip_id)).toEqual(
        Array.from({ length: 20 }, (_, n) => `${id}_clip_${n + 1}`),
      );
    });

    it('should ack NOT_FOUND for an unknown job, which REST answers with 404', async () => {
      const { ack } = await subscribeTo(open('/ws/generations/gen_nope'), 'generation', 'gen_nope');
      expect(ack).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
      expect(await getJson(server, '/api/v1/generations/gen_nope')).toEqual({
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: expect.any(String) } },
      });
    });

    it('should ack NOT_FOUND for a job of the other kind', async () => {
      const id = server.jobs.createComposition();
      const { ack } = await subscribeTo(open(`/ws/generations/${id}`), 'generation', id);
      expect(ack).toMatchObject({ error: { code: 'NOT_FOUND' } });
      expect((await getJson(server, `/api/v1/generations/${id}`)).status).toBe(404);
    });

    it('should refuse a subscribe naming another job than its namespace', async () => {
      const id = server.jobs.createGeneration();
      const socket = open(`/ws/generations/${id}`);
      await connected(socket);
      expect(await socket.emitWithAck('subscribe', { type: 'subscribe', generation_id: 'gen_other' })).toMatchObject({
        error: { code: 'INVALID_SUBSCRIBE' },
      });
      expect(await socket.emitWithAck('subscribe', { type: 'nope' })).toMatchObject({ error: { code: 'INVALID_SUBSCRIBE' } });
      expect(server.control.namespaceSockets(id)).toBe(0);
    });

    it('should play a composition: encoding, encoding_progress per step, completed', async () => {
      const id = server.jobs.createComposition({ frames: 40, framesPerStep: 10, stepMs: 5 });
      const { ack, events } = await subscribeTo(open(`/ws/compositions/${id}`), 'composition', id);
      server.jobs.start(id);
      await vi.waitFor(() => expect(ended(events)).toBe(true));

      expect(ack).toEqual({ id, status: 'queued' });
      expect(events.map((event) => event.type)).toEqual([
        'status_change',
        'encoding_progress',
        'encoding_progress',
        'encoding_progress',
        'encoding_progress',
        'completed',
      ]);
      expect(events[0]?.data).toMatchObject({ old_status: 'queued', new_status: 'encoding' });
      expect(events.map((event) => (event.data as { frames_processed?: number }).frames_processed)).toEqual([
        undefined, 10, 20, 30, 40, undefined,
      ]);
      const rest = await getJson(server, `/api/v1/compositions/${id}`);
      expect(parseSnapshot('composition', rest.body).ok).toBe(true);
      expect(rest.body).toEqual(fold(ack as JobSnapshot, events));
    });

    it('should fail a generation at failAtClip, keeping the clips before it', async () => {
      const id = server.jobs.createGeneration({ clips: 3, stepMs: 5, progressPerClip: 2, failAtClip: 2 });
      const { events } = await subscribeTo(open(`/ws/generations/${id}`), 'generation', id);
      server.jobs.start(id);
      await vi.waitFor(() => expect(ended(events)).toBe(true));

      expect(events.map((event) => event.type)).toEqual(['status_change', 'progress', 'progress', 'clip_completed', 'error']);
      expect(events.at(-1)?.data).toMatchObject({ code: 'GENERATION_FAILED', recoverable: false });
      expect((await getJson(server, `/api/v1/generations/${id}`)).body).toMatchObject({
        status: 'failed',
        clips: [{ clip_id: `${id}_clip_1` }],
        error: { code: 'GENERATION_FAILED' },
      });
    });

    it('should count subscribed sockets, and one engine connection per Manager', async () => {
      const [a, b] = [server.jobs.createGeneration(), server.jobs.createGeneration()];
      const shared = manager(server);
      const root = shared.socket('/');
      const sockets = [root, shared.socket(`/ws/generations/${a}`), shared.socket(`/ws/generations/${b}`)];
      await Promise.all(sockets.map(connected));
      await sockets[1]?.emitWithAck('subscribe', { type: 'subscribe', generation_id: a });
      await sockets[2]?.emitWithAck('subscribe', { type: 'subscribe', generation_id: b });

      expect(server.control.engineConnections()).toBe(1);
      expect([server.control.namespaceSockets(a), server.control.namespaceSockets(b)]).toEqual([1, 1]);
      sockets[1]?.disconnect();
      await vi.waitFor(() => expect(server.control.namespaceSockets(a)).toBe(0));
      expect(server.control.namespaceSockets(b)).toBe(1);
      shared.engine.close();
      await vi.waitFor(() => expect(server.control.engineConnections()).toBe(0));
    });
  });

  describe('heartbeat', () => {
    it('should ack at once on the root and on job namespaces, and not while acks are stopped', async () => {
      const root = await connected(open());
      expect(await root.timeout(2000).emitWithAck('heartbeat')).toEqual({ t: expect.any(Number) });
      const job = await connected(open('/ws/generations/gen_x'));
      expect(await job.timeout(2000).emitWithAck('heartbeat', { sent: 1 })).toEqual({ t: expect.any(Number) });

      expect(server.control.heartbeatAcks).toBe(true);
      server.control.stopHeartbeatAcks();
      expect(server.control.heartbeatAcks).toBe(false);
      // The one deliberate wait of this suite: proving an ack does NOT come needs a deadline.
      await expect(root.timeout(100).emitWithAck('heartbeat')).rejects.toThrow(/timed out/);
      server.control.resumeHeartbeatAcks();
      expect(server.control.heartbeatAcks).toBe(true);
      expect(await root.timeout(2000).emitWithAck('heartbeat')).toEqual({ t: expect.any(Number) });
    });
  });

  describe('outbound messages', () => {
    it('should ack { id } on every delivery and apply an id once', async () => {
      const id = server.jobs.startGeneration({ clips: 50, stepMs: 20 });
      const shared = manager(server);
      const root = shared.socket('/');
      const job = shared.socket(`/ws/generations/${id}`);
      const { events } = await subscribeTo(job, 'generation', id);
      await connected(root);

      const envelope = { id: 'msg-1', event: 'cancel', data: { generation_id: id } };
      expect(await root.emitWithAck('message', envelope)).toEqual({ id: 'msg-1' });
      expect(await root.emitWithAck('message', envelope)).toEqual({ id: 'msg-1' });
      // Same engine connection: any event the resend had caused would have arrived before its ack.
      await vi.waitFor(() => expect(ended(events)).toBe(true));
      expect(events.filter((event) => event.type === 'status_change' && (event.data as { new_status: string }).new_status === 'cancelled')).toHaveLength(1);
      expect(server.jobs.get(id)?.status).toBe('cancelled');
      expect(server.control.outbox.received.map((e) => e.id)).toEqual(['msg-1', 'msg-1']);
      expect(server.control.outbox.applied).toEqual([envelope]);
      shared.engine.close();
    });

    it('should record other events, and ack an invalid envelope with an error', async () => {
      const root = await connected(open());
      expect(await root.emitWithAck('message', { id: 'n-1', event: 'note', data: [1] })).toEqual({ id: 'n-1' });
      expect(await root.emitWithAck('message', { event: 'note' })).toEqual({
        error: { code: 'INVALID_ENVELOPE', message: expect.any(String) },
      });
      expect(server.control.outbox.applied).toEqual([{ id: 'n-1', event: 'note', data: [1] }]);
      expect(server.control.outbox.rejected).toEqual([{ payload: { event: 'note' }, reason: expect.any(String) }]);
    });

    it('should apply but not ack while message acks are stopped, and report it', async () => {
      const root = await connected(open());
      expect(server.control.messageAcks).toBe(true);
      server.control.stopMessageAcks();
      expect(server.control.messageAcks).toBe(false);
      // Proving an ack does NOT come needs a deadline.
      await expect(root.timeout(100).emitWithAck('message', { id: 'q-1', event: 'note', data: null })).rejects.toThrow(/timed out/);
      expect(server.control.outbox.applied).toEqual([{ id: 'q-1', event: 'note', data: null }]);
      server.control.resumeMessageAcks();
      expect(server.control.messageAcks).toBe(true);
      expect(await root.emitWithAck('message', { id: 'q-1', event: 'note', data: null })).toEqual({ id: 'q-1' });
      expect(server.control.outbox.applied).toHaveLength(1);
    });
  });

  describe('handshakes', () => {
    it('should record the X-Request-ID from the header, else from auth', async () => {
      await connected(open('', { extraHeaders: { 'x-request-id': 'from-header' } }));
      await connected(open('/ws/generations/gen_1', { auth: { requestId: 'from-auth', token: 't' } }));
      await connected(open());

      expect(server.control.requestIds).toEqual(['from-header', 'from-auth']);
      expect(server.control.handshakes).toEqual([
        { requestId: 'from-header', namespace: '/' },
        { requestId: 'from-auth', namespace: '/ws/generations/gen_1' },
        { requestId: undefined, namespace: '/' },
      ]);
    });
  });

  describe('REST', () => {
    it('should create, read and cancel jobs', async () => {
      const created = await postJson(server, '/api/v1/generations', { clips: 2, stepMs: 1000 });
      expect(created.status).toBe(201);
      const { id } = created.body as { id: string };
      expect(server.jobs.info(id)).toMatchObject({ kind: 'generation', state: 'running', plan: { clips: 2 } });

      const cancelled = await postJson(server, `/api/v1/generations/${id}/cancel`, {});
      expect(cancelled.body).toEqual({ id, status: 'cancelled' });

      const composition = await postJson(server, '/api/v1/compositions', { frames: 20 });
      expect(composition.status).toBe(201);
      const bad = await postJson(server, '/api/v1/generations', { clips: -1 });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('clips') } });
    });

    it('should serve placeholder thumbnails and videos', async () => {
      const thumbnail = await fetch(`${server.url}/api/v1/thumbnails/gen_1/2.svg`);
      expect(thumbnail.headers.get('content-type')).toBe('image/svg+xml');
      expect(await thumbnail.text()).toMatch(/^<svg .*Clip 2.*<\/svg>$/);
      const video = await fetch(`${server.url}/api/v1/videos/gen_1.mp4`);
      expect([video.status, video.headers.get('content-type')]).toEqual([200, 'video/mp4']);
      expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(0);
    });

    it('should let a requestHandler answer first', async () => {
      await server.close();
      server = await createJobServer({
        requestHandler: (req, res) => req.url === '/' && (res.end('demo'), true),
      });
      expect(await (await fetch(`${server.url}/`)).text()).toBe('demo');
      expect((await fetch(`${server.url}/api/v1/generations/x`)).status).toBe(404);
    });
  });

  describe('close', () => {
    it('should leave no handle open', async () => {
      await server.close();
      const before = handleCounts();
      server = await createJobServer();
      const id = server.jobs.startGeneration({ clips: 100, stepMs: 5 });
      await subscribeTo(open(`/ws/generations/${id}`), 'generation', id);
      await connected(open());
      await getJson(server, `/api/v1/generations/${id}`);
      await server.close();
      for (const socket of sockets.splice(0)) socket.close();

      await vi.waitFor(() => expect(exceeding(before, handleCounts())).toEqual({}), { interval: 5 });
    });
  });
});

const WATCHED = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];

function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    if (WATCHED.includes(type)) counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

// vi.waitFor's own timers are active while it polls, hence "no more than before, plus one".
function exceeding(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const extra: Record<string, number> = {};
  for (const [type, count] of Object.entries(after)) {
    const allowed = (before[type] ?? 0) + (type === 'Timeout' ? 2 : 0);
    if (count > allowed) extra[type] = count - allowed;
  }
  return extra;
}
