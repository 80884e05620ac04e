import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventHandlerError, WebSocketConnectError, WebSocketManager, type WebSocketManagerOptions } from '../../src/compat/index.js';
import { memoryStorage, outbox } from '../../src/outbox.js';
import type { ClipCompletedEvent, CompletedEvent, ProgressEvent, WebSocketConfig } from '../../src/protocol/index.js';
import { countHandshakeAttempts } from '../helpers/handshakeAttempts.js';
import { FAST, startHarness, type Harness } from '../helpers/liveClient.js';

let harness: Harness;
let managers: WebSocketManager[];
let problems: Error[];

beforeEach(async () => {
  harness = await startHarness();
  managers = [];
  problems = [];
});
afterEach(async () => {
  for (const manager of managers) manager.dispose();
  await harness.close();
});

/** A manager on the harness server, with the fast delays of the integration specs. */
function create(config: Partial<WebSocketConfig> = {}, options: WebSocketManagerOptions = {}): WebSocketManager {
  const manager = new WebSocketManager(
    { url: harness.server.url, ...config },
    { streams: { ...FAST, outbox: outbox({ storage: memoryStorage() }) }, onError: (error) => problems.push(error), ...options },
  );
  managers.push(manager);
  return manager;
}

/** A generation that starts only once a socket is subscribed to it, so every live event is seen. */
async function startWhenSubscribed(id: string): Promise<void> {
  await vi.waitFor(() => expect(harness.server.control.namespaceSockets(id)).toBe(1));
  harness.server.jobs.start(id);
}

function isNonDecreasing(values: readonly number[]): boolean {
  return values.every((value, index) => index === 0 || value >= (values[index - 1] ?? -Infinity));
}

describe('WebSocketManager', () => {
  describe('connect()', () => {
    it('should resolve once connected and report the connection as connected over websocket', async () => {
      const id = harness.server.jobs.createGeneration();
      const manager = create();
      expect(manager.getConnectionState()).toMatchObject({ status: 'disconnected', transport: 'none' });

      await manager.connect(`/ws/generations/${id}`);

      expect(manager.getConnectionState()).toMatchObject({ status: 'connected', transport: 'websocket', reconnectAttempts: 0 });
      await vi.waitFor(() => expect(harness.server.control.namespaceSockets(id)).toBe(1));
    });

    it('should return the same promise when called again for the same endpoint', () => {
      const id = harness.server.jobs.createGeneration();
      const manager = create();
      const first = manager.connect(`/ws/generations/${id}`);
      expect(manager.connect(`/ws/generations/${id}`)).toBe(first);
      return first;
    });

    it.each([
      ['an unknown kind', '/ws/jobs/gen_1'],
      ['no id', '/ws/generations/'],
      ['a full URL', 'http://127.0.0.1/ws/generations/gen_1'],
      ['an empty string', ''],
      ['a malformed escape', '/ws/generations/%E0%A4%A'],
    ])('should reject %s with a WebSocketConnectError', async (_, endpoint) => {
      const manager = create();
      const error = await manager.connect(endpoint).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WebSocketConnectError);
      expect(error).toMatchObject({ reason: 'invalid_endpoint', endpoint });
      expect((error as Error).message).toContain('/ws/generations/{generation_id}');
      expect(harness.server.control.engineConnections()).toBe(0);
    });

    it('should reject without an endpoint when none was given to the constructor', async () => {
      await expect(create().connect()).rejects.toMatchObject({ name: 'WebSocketConnectError', reason: 'invalid_endpoint' });
    });

    it('should reject with reason "disconnected" when disconnect() comes first', async () => {
      harness.server.control.stopSocket();
      const id = harness.server.jobs.createGeneration();
      const manager = create();
      const connecting = manager.connect(`/ws/generations/${id}`);
      manager.disconnect();
      await expect(connecting).rejects.toMatchObject({ reason: 'disconnected' });
    });

    it('should reject with reason "unreachable" after reconnectionAttempts, while polling still delivers the job', async () => {
      const { server } = harness;
      server.control.stopSocket();
      const id = server.jobs.startGeneration({ clips: 2, stepMs: 10 });
      const manager = create({ reconnectionAttempts: 1 });
      const completed = vi.fn();
      manager.subscribe('completed', completed);

      const error = await manager.connect(`/ws/generations/${id}`).catch((caught: unknown) => caught);

      expect(error).toMatchObject({ name: 'WebSocketConnectError', reason: 'unreachable' });
      expect((error as Error).cause).toBeInstanceOf(Error);
      await vi.waitFor(() => expect(completed).toHaveBeenCalledTimes(1), { timeout: 5000 });
      expect(completed).toHaveBeenCalledWith(expect.objectContaining({ video_url: server.jobs.get(id)?.video_url }));
      expect(server.control.restHits(id)).toBeGreaterThan(0);
    });
  });

  describe('subscribe()', () => {
    it('should give the handlers every event of a generation, in order, the terminal one once', async () => {
      const id = harness.server.jobs.createGeneration({ clips: 3, stepMs: 10 });
      const manager = create();
      const percentages: number[] = [];
      const clips: string[] = [];
      const completed: CompletedEvent['data'][] = [];
      manager.subscribe<ProgressEvent['data']>('progress', (data) => percentages.push(data.percentage));
      manager.subscribe<ClipCompletedEvent['data']>('clip_completed', (data) => clips.push(data.clip_id));
      manager.subscribe<CompletedEvent['data']>('completed', (data) => completed.push(data));

      await manager.connect(`/ws/generations/${id}`);
      await startWhenSubscribed(id);

      await vi.waitFor(() => expect(completed).toHaveLength(1), { timeout: 5000 });
      expect(completed[0]?.video_url).toBe(harness.server.jobs.get(id)?.video_url);
      expect(clips).toEqual([`${id}_clip_1`, `${id}_clip_2`, `${id}_clip_3`]);
      expect(percentages.length).toBeGreaterThanOrEqual(12);
      expect(isNonDecreasing(percentages)).toBe(true);
    });

    it('should deliver a composition\'s encoding_progress and completed', async () => {
      const id = harness.server.jobs.createComposition({ frames: 40, framesPerStep: 10, stepMs: 10 });
      const manager = create();
      const frames: number[] = [];
      const completed = vi.fn();
      manager.subscribe<{ frames_processed: number }>('encoding_progress', (data) => frames.push(data.frames_processed));
      manager.subscribe('completed', completed);

      await manager.connect(`/ws/compositions/${id}`);
      await startWhenSubscribed(id);

      await vi.waitFor(() => expect(completed).toHaveBeenCalledTimes(1), { timeout: 5000 });
      expect(frames).toEqual([10, 20, 30, 40]);
    });

    it('should keep handlers across disconnect() and connect(), without repeating what they got', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration({ clips: 4, stepMs: 15 });
      const manager = create();
      const clips: string[] = [];
      manager.subscribe<ClipCompletedEvent['data']>('clip_completed', (data) => clips.push(data.clip_id));
      await manager.connect(`/ws/generations/${id}`);
      await startWhenSubscribed(id);
      await vi.waitFor(() => expect(clips.length).toBeGreaterThanOrEqual(1));

      manager.disconnect();
      await vi.waitFor(() => expect(server.control.namespaceSockets(id)).toBe(0));
      await manager.connect(`/ws/generations/${id}`);

      await vi.waitFor(() => expect(server.jobs.get(id)?.status).toBe('completed'), { timeout: 5000 });
      await vi.waitFor(() => expect(clips).toHaveLength(4));
      expect(clips).toEqual([1, 2, 3, 4].map((n) => `${id}_clip_${n}`));
    });

    it('should report a handler that throws as an EventHandlerError and still call the others', async () => {
      const id = harness.server.jobs.createGeneration({ clips: 2, stepMs: 10 });
      const manager = create();
      const after = vi.fn();
      manager.subscribe('progress', () => {
        throw new Error('boom');
      });
      manager.subscribe('progress', after);
      const completed = vi.fn();
      manager.subscribe('completed', completed);

      await manager.connect(`/ws/generations/${id}`);
      await startWhenSubscribed(id);

      await vi.waitFor(() => expect(completed).toHaveBeenCalledTimes(1), { timeout: 5000 });
      const thrown = problems.filter((problem) => problem instanceof EventHandlerError);
      expect(thrown.length).toBe(after.mock.calls.length);
      expect(thrown[0]).toMatchObject({ eventType: 'progress', cause: new Error('boom') });
    });
  });

  describe('unsubscribe()', () => {
    it('should remove one handler, even from inside a dispatch, and leave the others', async () => {
      const id = harness.server.jobs.createGeneration({ clips: 2, stepMs: 10 });
      const manager = create();
      const once = vi.fn(() => manager.unsubscribe('progress', once));
      const every = vi.fn();
      const completed = vi.fn();
      manager.subscribe('progress', once);
      manager.subscribe('progress', every);
      manager.subscribe('completed', completed);

      await manager.connect(`/ws/generations/${id}`);
      await startWhenSubscribed(id);

      await vi.waitFor(() => expect(completed).toHaveBeenCalledTimes(1), { timeout: 5000 });
      expect(once).toHaveBeenCalledTimes(1);
      expect(every.mock.calls.length).toBeGreaterThanOrEqual(8);
    });

    it('should remove every handler of the event when no handler is given', async () => {
      const id = harness.server.jobs.createGeneration({ clips: 2, stepMs: 10 });
      const manager = create();
      const first = vi.fn();
      const second = vi.fn();
      const completed = vi.fn();
      manager.subscribe('progress', first);
      manager.subscribe('progress', second);
      manager.subscribe('completed', completed);
      manager.unsubscribe('progress');

      await manager.connect(`/ws/generations/${id}`);
      await startWhenSubscribed(id);

      await vi.waitFor(() => expect(completed).toHaveBeenCalledTimes(1), { timeout: 5000 });
      expect(first).not.toHaveBeenCalled();
      expect(second).not.toHaveBeenCalled();
    });
  });

  describe('send()', () => {
    it('should deliver a message to the server once', async () => {
      const { server } = harness;
      const manager = create();
      await manager.connect(`/ws/generations/${server.jobs.createGeneration()}`);

      const id = manager.send('note', { text: 'hello' });

      await vi.waitFor(() => expect(server.control.outbox.applied).toEqual([{ id, event: 'note', data: { text: 'hello' } }]));
      expect(server.control.outbox.received).toHaveLength(1);
    });

    it('should queue while the socket is down and deliver after it returns, even before connect()', async () => {
      const { server } = harness;
      const attempts = countHandshakeAttempts(server);
      server.control.stopSocket();
      const job = server.jobs.startGeneration({ clips: 50, stepMs: 100 });
      const manager = create();

      manager.send('cancel', { generation_id: job });
      await vi.waitFor(() => expect(attempts.refused).toBeGreaterThanOrEqual(2));
      expect(server.control.outbox.received).toHaveLength(0);
      server.control.startSocket();

      await vi.waitFor(() => expect(server.jobs.get(job)?.status).toBe('cancelled'), { timeout: 5000 });
      expect(server.control.outbox.applied).toHaveLength(1);
    });
  });

  describe('getConnectionState() and disconnect()', () => {
    it('should follow the socket going down and report disconnected after disconnect()', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration();
      const manager = create();
      await manager.connect(`/ws/generations/${id}`);

      server.control.stopSocket();
      await vi.waitFor(() => expect(manager.getConnectionState().status).not.toBe('connected'));
      expect(manager.getConnectionState().disconnectedAt).toBeInstanceOf(Date);
      server.control.startSocket();
      await vi.waitFor(() => expect(manager.getConnectionState().status).toBe('connected'), { timeout: 5000 });

      manager.disconnect();
      expect(manager.getConnectionState()).toMatchObject({ status: 'disconnected', transport: 'none' });
    });

    it('should close the job\'s namespace socket on the server after the linger', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 20, stepMs: 50 });
      const manager = create();
      const progress = vi.fn();
      manager.subscribe('progress', progress);
      await manager.connect(`/ws/generations/${id}`);
      await vi.waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));

      manager.disconnect();

      await vi.waitFor(() => expect(server.control.namespaceSockets(id)).toBe(0));
      await vi.waitFor(() => expect(server.control.engineConnections()).toBe(0));
      const calls = progress.mock.calls.length;
      const step = server.jobs.info(id)?.step ?? 0;
      await vi.waitFor(() => expect(server.jobs.info(id)?.step).toBeGreaterThanOrEqual(step + 3));
      expect(progress.mock.calls.length).toBe(calls);
    });
  });

  describe('with its config', () => {
    it.each([
      ['a URL that is not http(s)/ws(s)', { url: 'ftp://example.com' }],
      ['a negative reconnectionDelay', { reconnectionDelay: -1 }],
      ['a fractional reconnectionAttempts', { reconnectionAttempts: 1.5 }],
    ])('should throw a TypeError for %s', (_, config) => {
      expect(() => new WebSocketManager({ url: 'http://127.0.0.1:1', ...config })).toThrow(TypeError);
    });

    it.each([
      [true, 'poll'],
      [false, 'not poll'],
    ])('with enablePollingFallback %s should %s while the socket is down', async (enabled) => {
      const { server } = harness;
      server.control.stopSocket();
      const id = server.jobs.startGeneration({ clips: 20, stepMs: 50 });
      const manager = create({ enablePollingFallback: enabled });
      manager.connect(`/ws/generations/${id}`).catch(() => {});

      await vi.waitFor(() => expect(manager.getConnectionState().reconnectAttempts).toBeGreaterThanOrEqual(3), { timeout: 5000 });
      if (enabled) expect(server.control.restHits(id)).toBeGreaterThan(0);
      else expect(server.control.restHits(id)).toBe(0);
    });
  });

  describe('startPolling()', () => {
    it('should poll REST while the socket is up, give each update once, and stop on stopPolling()', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration({ clips: 6, stepMs: 30 });
      const manager = create();
      const clips: string[] = [];
      const completed = vi.fn();
      manager.subscribe<ClipCompletedEvent['data']>('clip_completed', (data) => clips.push(data.clip_id));
      manager.subscribe('completed', completed);
      await manager.connect(`/ws/generations/${id}`);
      await startWhenSubscribed(id);

      manager.startPolling(20);
      await vi.waitFor(() => expect(server.control.restHits(id)).toBeGreaterThanOrEqual(3));
      manager.stopPolling();
      const hits = server.control.restHits(id);

      await vi.waitFor(() => expect(completed).toHaveBeenCalledTimes(1), { timeout: 5000 });
      expect(new Set(clips).size).toBe(clips.length);
      expect(clips).toHaveLength(6);
      expect(server.control.restHits(id)).toBeLessThanOrEqual(hits + 1);
    });

    it('should carry the job by REST alone when the socket is down and the fallback is off', async () => {
      const { server } = harness;
      server.control.stopSocket();
      const id = server.jobs.startGeneration({ clips: 2, stepMs: 10 });
      const manager = create({ enablePollingFallback: false });
      const completed = vi.fn();
      manager.subscribe('completed', completed);
      manager.connect(`/ws/generations/${id}`).catch(() => {});
      await vi.waitFor(() => expect(server.jobs.get(id)?.status).toBe('completed'));
      expect(server.control.restHits(id)).toBe(0);

      manager.startPolling(20);

      await vi.waitFor(() => expect(completed).toHaveBeenCalledTimes(1));
      expect(server.control.restHits(id)).toBeGreaterThan(0);
    });

    it('should not repeat what REST delivered when the socket comes back and resyncs', async () => {
      const { server } = harness;
      server.control.stopSocket();
      const id = server.jobs.startGeneration({ clips: 4, stepMs: 30 });
      const manager = create({ enablePollingFallback: false });
      const clips: string[] = [];
      const completed = vi.fn();
      manager.subscribe<ClipCompletedEvent['data']>('clip_completed', (data) => clips.push(data.clip_id));
      manager.subscribe('completed', completed);
      manager.connect(`/ws/generations/${id}`).catch(() => {});
      manager.startPolling(20);
      await vi.waitFor(() => expect(clips.length).toBeGreaterThanOrEqual(2), { timeout: 5000 });

      server.control.startSocket();

      await vi.waitFor(() => expect(completed).toHaveBeenCalledTimes(1), { timeout: 5000 });
      expect(server.control.handshakes.some(({ namespace }) => namespace === `/ws/generations/${id}`)).toBe(true);
      expect(clips).toEqual([1, 2, 3, 4].map((n) => `${id}_clip_${n}`));
    });

    it('should throw a TypeError for an interval that is not above 0', () => {
      expect(() => create().startPolling(0)).toThrow(TypeError);
    });
  });

  describe('with a shared client', () => {
    it('should carry two managers over one connection and leave the client undisposed', async () => {
      const { server } = harness;
      const client = harness.client({ outbox: outbox({ storage: memoryStorage() }) });
      const [a, b] = [create({}, { client }), create({}, { client })];
      await Promise.all([a.connect(`/ws/generations/${server.jobs.createGeneration()}`), b.connect(`/ws/generations/${server.jobs.createGeneration()}`)]);

      expect(server.control.engineConnections()).toBe(1);
      a.dispose();
      expect(() => client.send('still', {})).not.toThrow();
    });
  });
});
