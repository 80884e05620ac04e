import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Subject, type Subscription } from 'rxjs';
import type { JobStreams } from '../../src/client/createJobStreams.js';
import type { JobStreamsOptions } from '../../src/client/JobStreamsOptions.js';
import type { ConnectionState, WebSocketEvent } from '../../src/protocol/index.js';
import { countHandshakeAttempts } from '../helpers/handshakeAttempts.js';
import { collect, startHarness, type Harness } from '../helpers/liveClient.js';

/** The brief's short delays: two failed attempts, then `error`, probing every 200 ms. */
const OPTIONS: JobStreamsOptions = {
  reconnection: { delay: 50, maxDelay: 200, jitter: 0, attempts: 2 },
  heartbeat: { interval: 200, timeout: 300 },
  polling: { interval: 100, grace: 100 },
  linger: 0,
  throttle: 0,
  transports: ['websocket'],
};

/** A connection state, and when (wall clock) the client published it. */
interface Seen {
  state: ConnectionState;
  at: number;
}

/** Records every connection state as it is published. */
function watchStates(client: JobStreams): Seen[] {
  const seen: Seen[] = [];
  client.connectionState$.subscribe((state) => seen.push({ state, at: Date.now() }));
  return seen;
}

/** Consecutive duplicates removed: the story a status badge tells. */
function statusStory(seen: readonly Seen[]): string[] {
  return seen.map(({ state }) => state.status).filter((status, index, all) => index === 0 || status !== all[index - 1]);
}

const latest = (seen: readonly Seen[]): ConnectionState | undefined => seen.at(-1)?.state;

describe('connectionState$', () => {
  let harness: Harness;
  const subscriptions: Subscription[] = [];

  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(async () => {
    for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
    await harness.close();
  });

  /** Keeps a job's events flowing into `events` until the spec ends. */
  const follow = (events$: ReturnType<JobStreams['generationProgress$']>, events: WebSocketEvent[] = []): WebSocketEvent[] => {
    subscriptions.push(events$.subscribe((event) => events.push(event)));
    return events;
  };

  describe('with a running server', () => {
    it('should go disconnected → connecting → connected, then report latency and the last message time', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 3, stepMs: 20 });
      const client = harness.client(OPTIONS);
      const seen = watchStates(client);
      expect(latest(seen)).toStrictEqual({ status: 'disconnected', transport: 'none', reconnectAttempts: 0 });
      const start = Date.now();

      const events = collect(client.generationProgress$(id));
      await vi.waitFor(() => expect(latest(seen)?.status).toBe('connected'));

      expect(statusStory(seen)).toEqual(['disconnected', 'connecting', 'connected']);
      const connected = latest(seen);
      expect(connected).toMatchObject({ transport: 'websocket', reconnectAttempts: 0 });
      expect(connected?.connectedAt?.getTime()).toBeGreaterThanOrEqual(start);
      expect(connected?.connectedAt?.getTime()).toBeLessThanOrEqual(Date.now());

      // The heartbeat pings at once on connect; its round trip is the latency.
      await vi.waitFor(() => expect(latest(seen)?.latencyMs).toBeDefined());
      expect(latest(seen)?.latencyMs).toBeGreaterThanOrEqual(0);
      expect(latest(seen)?.latencyMs).toBeLessThan(300);

      await events;
      const lastMessageAt = latest(seen)?.lastMessageAt;
      expect(lastMessageAt).toBeInstanceOf(Date);
      expect(lastMessageAt?.getTime()).toBeGreaterThanOrEqual(connected?.connectedAt?.getTime() ?? Infinity);
    });

    it('should not open a connection for a watcher of the state alone', async () => {
      const { server } = harness;
      const attempts = countHandshakeAttempts(server);
      const client = harness.client(OPTIONS);
      const seen = watchStates(client);
      // Another client, started at the same time, follows a whole job meanwhile: had the watcher
      // opened a connection, its handshake would be in long before that job ends.
      const other = harness.client(OPTIONS);
      const id = server.jobs.startGeneration({ clips: 2, stepMs: 10 });

      await collect(other.generationProgress$(id));

      expect(statusStory(seen)).toEqual(['disconnected']);
      expect(attempts.accepted).toBe(1);
      expect(server.control.handshakes.map(({ namespace }) => namespace)).toEqual(['/', `/ws/generations/${id}`]);
    });
  });

  describe('when the socket server stops', () => {
    it('should count attempts, turn to error after `attempts` failures, keep probing while polling carries the job, then reconnect', async () => {
      const { server } = harness;
      const attempts = countHandshakeAttempts(server);
      const id = server.jobs.startGeneration({ clips: 60, stepMs: 25 });
      const client = harness.client(OPTIONS);
      const seen = watchStates(client);
      const transports: string[] = [];
      subscriptions.push(client.generationState$(id).subscribe((job) => transports.push(job.transport)));
      await vi.waitFor(() => expect(latest(seen)?.status).toBe('connected'));
      await vi.waitFor(() => expect(transports.at(-1)).toBe('websocket'));
      const stoppedFrom = seen.length;

      server.control.stopSocket();

      await vi.waitFor(() => expect(latest(seen)?.status).toBe('error'), { timeout: 3000 });
      const outage = seen.slice(stoppedFrom);
      const firstError = outage.findIndex(({ state }) => state.status === 'error');
      const beforeError = outage.slice(0, firstError);
      // Attempts 1 and 2 (= `attempts`) wait as `connecting`, each announcing a retry in the future.
      expect([...new Set(beforeError.map(({ state }) => state.reconnectAttempts))]).toEqual([0, 1, 2]);
      expect(beforeError.every(({ state }) => state.status === 'disconnected' || state.status === 'connecting')).toBe(true);
      const announced = beforeError.filter(({ state }, index) => state.reconnectAttempts !== beforeError[index - 1]?.state.reconnectAttempts);
      // While a retry waits it announces when it will run; the attempt itself clears the time.
      for (const { state, at } of announced.filter(({ state }) => state.reconnectAttempts > 0)) {
        expect(state.nextRetryAt?.getTime()).toBeGreaterThan(at);
      }
      expect(outage[firstError]?.state).toMatchObject({ status: 'error', reconnectAttempts: 3, lastError: expect.any(Error) });
      expect(outage[firstError]?.state.nextRetryAt?.getTime()).toBeGreaterThan(outage[firstError]?.at ?? Infinity);

      // Never given up: the socket is still probed (every maxDelay), and polling carries the job.
      const refusedAtError = attempts.refused;
      await vi.waitFor(() => expect(attempts.refused).toBeGreaterThanOrEqual(refusedAtError + 2), { timeout: 3000 });
      expect(latest(seen)?.reconnectAttempts).toBeGreaterThan(3);
      await vi.waitFor(() => expect(latest(seen)?.transport).toBe('polling'));
      const pollingFrom = seen.length - 1;
      await vi.waitFor(() => expect(transports.at(-1)).toBe('polling'));
      const hits = server.control.restHits(id);
      await vi.waitFor(() => expect(server.control.restHits(id)).toBeGreaterThan(hits + 1));
      expect(statusStory(seen.slice(stoppedFrom + firstError))).not.toContain('connecting');
      // Each failed probe keeps the state in `error`: no flicker through `disconnected`.
      expect(statusStory(seen.slice(stoppedFrom + firstError))).not.toContain('disconnected');

      // Failed probes while the job polls never flicker the transport back to `none`.
      const refusedWhilePolling = attempts.refused;
      await vi.waitFor(() => expect(attempts.refused).toBeGreaterThan(refusedWhilePolling));
      expect(new Set(seen.slice(pollingFrom).map(({ state }) => state.transport))).toEqual(new Set(['polling']));

      server.control.startSocket();

      await vi.waitFor(() => expect(latest(seen)?.status).toBe('connected'), { timeout: 3000 });
      expect(latest(seen)).toMatchObject({ transport: 'websocket', reconnectAttempts: 0, nextRetryAt: undefined, lastError: undefined });
      await vi.waitFor(() => expect(transports.at(-1)).toBe('websocket'));
    });

    it('should retry at once on reconnect(), well before nextRetryAt', async () => {
      const { server } = harness;
      const attempts = countHandshakeAttempts(server);
      const client = harness.client({ ...OPTIONS, reconnection: { delay: 5000, maxDelay: 5000, jitter: 0, attempts: 2 } });
      const seen = watchStates(client);
      follow(client.generationProgress$(server.jobs.createGeneration()));
      await vi.waitFor(() => expect(latest(seen)?.status).toBe('connected'));

      server.control.stopSocket();
      await vi.waitFor(() => expect(latest(seen)?.reconnectAttempts).toBe(1));
      const firstRetryAt = latest(seen)?.nextRetryAt?.getTime() ?? 0;
      expect(attempts.refused).toBe(0);

      client.reconnect();
      await vi.waitFor(() => expect(attempts.refused).toBe(1));
      await vi.waitFor(() => expect(latest(seen)?.reconnectAttempts).toBe(2));
      expect(Date.now()).toBeLessThan(firstRetryAt);
      const secondRetryAt = latest(seen)?.nextRetryAt?.getTime() ?? 0;

      server.control.startSocket();
      client.reconnect();
      await vi.waitFor(() => expect(latest(seen)?.status).toBe('connected'));
      expect(Date.now()).toBeLessThan(secondRetryAt);
    });

    it('should retry at once when wake$ emits, as on `online` or a tab turning visible', async () => {
      const { server } = harness;
      const wake$ = new Subject<void>();
      const client = harness.client({ ...OPTIONS, reconnection: { delay: 5000, maxDelay: 5000, jitter: 0, attempts: 0 }, wake$ });
      const seen = watchStates(client);
      follow(client.generationProgress$(server.jobs.createGeneration()));
      await vi.waitFor(() => expect(latest(seen)?.status).toBe('connected'));

      server.control.stopSocket();
      // With `attempts: 0` the first failure is already past the attempts: `error`, yet woken at once.
      await vi.waitFor(() => expect(latest(seen)).toMatchObject({ status: 'error', reconnectAttempts: 1 }));
      const retryAt = latest(seen)?.nextRetryAt?.getTime() ?? 0;
      server.control.startSocket();
      wake$.next();

      await vi.waitFor(() => expect(latest(seen)?.status).toBe('connected'));
      expect(Date.now()).toBeLessThan(retryAt);
      expect(latest(seen)?.transport).toBe('websocket');
    });
  });

  describe('with a linger', () => {
    it("should keep a job's namespace socket across a resubscription within the linger, and close it after", async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration();
      const client = harness.client({ ...OPTIONS, linger: 500 });
      const first = client.generationProgress$(id).subscribe();
      await vi.waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));
      const handshakes = server.control.handshakes.length;

      first.unsubscribe();
      const events = follow(client.generationProgress$(id));
      // A live event reaching the new subscriber proves it is served; by then a new socket would
      // have shaken hands.
      server.control.emitRaw(id, 'progress', { step: 'generating_clip', clip_number: 1, total_clips: 3, percentage: 12, message: 'Live' });
      await vi.waitFor(() => expect(events).toContainEqual(expect.objectContaining({ type: 'progress' })));

      expect(server.control.handshakes.length).toBe(handshakes);
      expect(server.control.namespaceSockets(id)).toBe(1);

      const left = Date.now();
      for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
      await vi.waitFor(() => expect(server.control.namespaceSockets(id)).toBe(0), { timeout: 3000 });
      // Timers may fire a millisecond early by Date.now()'s rounding; the rest is margin for none.
      expect(Date.now() - left).toBeGreaterThanOrEqual(495);
      // The connection itself lingers too, counted from when its last job let go of it.
      expect(server.control.engineConnections()).toBe(1);
      await vi.waitFor(() => expect(server.control.engineConnections()).toBe(0), { timeout: 3000 });
    });
  });
});
