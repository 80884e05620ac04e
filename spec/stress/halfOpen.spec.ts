import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJobStreams, type JobStreams } from '../../src/client/createJobStreams.js';
import { DEFAULT_JOB_STREAMS } from '../../src/client/resolveOptions.js';
import type { JobStreamsOptions } from '../../src/client/JobStreamsOptions.js';
import { HeartbeatTimeoutError } from '../../src/operators/HeartbeatTimeoutError.js';
import { outbox } from '../../src/outbox.js';
import type { WebSocketEvent } from '../../src/protocol/index.js';
import { createJobServer, type JobServer, type JobServerOptions } from '../../src/server/index.js';
import { createFaultProxy, type FaultProxy } from '../helpers/createFaultProxy.js';
import { followJob, type FollowedJob } from '../helpers/followJob.js';
import { countHandshakeAttempts } from '../helpers/handshakeAttempts.js';
import { jobViolations } from '../helpers/jobViolations.js';
import { FAST } from '../helpers/liveClient.js';
import { mulberry32 } from '../helpers/mulberry32.js';
import { printFigure } from '../helpers/printFigure.js';
import { stressSeeds } from '../helpers/stressSeeds.js';
import { trackProcessErrors, type ProcessErrors } from '../helpers/trackProcessErrors.js';
import { watchConnection, type ConnectionLog } from '../helpers/watchConnection.js';

interface Rig {
  server: JobServer;
  proxy: FaultProxy;
  client: JobStreams;
  connection: ConnectionLog;
  processErrors: ProcessErrors;
}

let rig: Rig | undefined;
afterEach(async () => {
  if (!rig) return;
  rig.processErrors.stop();
  rig.connection.stop();
  rig.client.dispose();
  await rig.proxy.close();
  await rig.server.close();
  rig = undefined;
});

/**
 * A server, a proxy in front of it, and a client (through the proxy unless its options say
 * otherwise), all closed after the test.
 */
async function setup(
  options: {
    seed?: number;
    server?: JobServerOptions;
    client?: (server: JobServer, proxy: FaultProxy) => JobStreamsOptions;
  } = {},
): Promise<Rig> {
  const server = await createJobServer(options.server);
  const proxy = await createFaultProxy(server.port, options.seed ?? 1);
  const processErrors = trackProcessErrors();
  const client = createJobStreams({ ...FAST, url: proxy.url, ...options.client?.(server, proxy) });
  rig = { server, proxy, client, connection: watchConnection(client), processErrors };
  return rig;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for a condition; these waits are bounds on recovery, not sleeps. */
const until = (condition: () => boolean, timeout: number) =>
  vi.waitFor(() => expect(condition()).toBe(true), { timeout, interval: 5 });

function expectExact(job: FollowedJob, server: JobServer, processErrors: ProcessErrors, connection: ConnectionLog): void {
  expect(jobViolations(job, server.jobs.get(job.id))).toEqual([]);
  expect(connection.errorsByName().ValidationError ?? 0).toBe(0);
  expect(processErrors.list).toEqual([]);
}

describe('createJobStreams on a half-open link', () => {
  describe('when the link turns into a blackhole both ways mid-job', () => {
    const heartbeat = { interval: 1000, timeout: 1000 };
    const bound = 1.1 * (heartbeat.interval + heartbeat.timeout);

    it.each(stressSeeds([1]))(
      'should detect it within interval + timeout (+10 %), poll REST meanwhile and reconnect once it passes again (seed %i)',
      async (seed) => {
        const random = mulberry32(seed);
        // Polling goes straight to the server, so it works while the proxied socket is dead.
        const {
          server,
          proxy,
          client,
          connection: log,
          processErrors,
        } = await setup({ seed, client: (server) => ({ heartbeat, apiUrl: server.url }) });
        const id = server.jobs.startGeneration({ clips: 10, progressPerClip: 5, stepMs: 250 });
        const job = followJob(client, id);
        const episodes: { detectionMs: number; pollingMs: number; reconnectMs: number }[] = [];

        for (let episode = 0; episode < 3; episode++) {
          await until(
            () => log.states.at(-1)?.state.status === 'connected' && job.states.at(-1)?.transport === 'websocket',
            10_000,
          );
          // A random point of the ping cycle: right after an ack is the worst case, mid-ping the best.
          await sleep(random() * heartbeat.interval);
          const seen = log.states.length;
          const polledBefore = job.states.filter((state) => state.transport === 'polling').length;
          proxy.set('both', { blackhole: true });
          const start = performance.now();

          await until(() => log.states.slice(seen).some(({ state }) => state.status !== 'connected'), 2 * bound);
          const left = log.states.slice(seen).find(({ state }) => state.status !== 'connected')!;
          const detectionMs = left.at - start;
          expect(left.state.lastError, `episode ${episode}`).toBeInstanceOf(HeartbeatTimeoutError);
          expect(detectionMs, `episode ${episode}: detected after ${Math.round(detectionMs)} ms`).toBeLessThanOrEqual(bound);

          await until(
            () => job.states.filter((state) => state.transport === 'polling').length > polledBefore || job.finished,
            5000,
          );
          const pollingMs = performance.now() - start - detectionMs;
          proxy.set('both', {});
          const lifted = performance.now();
          await until(() => log.states.at(-1)?.state.status === 'connected', 10_000);
          episodes.push({
            detectionMs: Math.round(detectionMs),
            pollingMs: Math.round(pollingMs),
            reconnectMs: Math.round(performance.now() - lifted),
          });
        }
        await job.done;

        printFigure({
          test: 'halfOpen.blackhole',
          seed,
          heartbeat,
          boundMs: bound,
          detectionMs: episodes.map((episode) => episode.detectionMs),
          maxDetectionMs: Math.max(...episodes.map((episode) => episode.detectionMs)),
          pollingTakeoverMs: episodes.map((episode) => episode.pollingMs),
          reconnectAfterLiftMs: episodes.map((episode) => episode.reconnectMs),
          eventsChecked: job.events.length,
          polledUpdates: job.states.filter((state) => state.transport === 'polling').length,
        });
        expectExact(job, server, processErrors, log);
      },
    );
  });

  describe('when the socket never opens', () => {
    it.each([
      { fault: 'the proxy refuses every connection', refuse: true },
      { fault: 'the server refuses every handshake (control.stopSocket)', refuse: false },
    ])('should carry the whole job by polling when $fault', async ({ fault, refuse }) => {
      // The library's default transports: neither websocket nor long-polling may get through.
      const {
        server,
        proxy,
        client,
        connection: log,
        processErrors,
      } = await setup({
        client: (server, proxy) => ({
          transports: ['websocket', 'polling'],
          url: refuse ? proxy.url : server.url,
          apiUrl: server.url,
        }),
      });
      const handshakes = countHandshakeAttempts(server);
      if (refuse) proxy.refuse(true);
      else server.control.stopSocket();
      const id = server.jobs.startGeneration({ clips: 4, progressPerClip: 3, stepMs: 100 });
      const started = performance.now();
      const job = followJob(client, id);
      await job.done;

      printFigure({
        test: 'halfOpen.neverOpens',
        fault,
        durationMs: Math.round(performance.now() - started),
        eventsChecked: job.events.length,
        clips: job.events.filter((event) => event.type === 'clip_completed').length,
        restHits: server.control.restHits(id),
        refused: refuse ? proxy.stats().refused : handshakes.refused,
        connectAttempts: Math.max(...log.states.map(({ state }) => state.reconnectAttempts)),
      });
      expectExact(job, server, processErrors, log);
      expect(job.states.slice(1).every((state) => state.transport === 'polling')).toBe(true);
      expect(log.states.some(({ state }) => state.status === 'connected')).toBe(false);
      expect(server.control.handshakes).toEqual([]);
      // The socket kept being probed all along.
      expect(refuse ? proxy.stats().refused : handshakes.refused).toBeGreaterThan(1);
    });
  });

  // SRC BUG (createLink.ts): socket.io-client tries the next transport only with `tryAllTransports`.
  describe('when only WebSocket upgrades are refused (a proxy that blocks WebSockets)', () => {
    it('should connect over long-polling with the default transports, so the outbox still sends', async () => {
      const { server, proxy, client, connection, processErrors } = await setup({
        client: () => ({ transports: [...DEFAULT_JOB_STREAMS.transports], outbox: outbox() }),
      });
      proxy.refuseUpgrades(true);
      const id = server.jobs.startGeneration({ clips: 3, progressPerClip: 3, stepMs: 100 });
      const started = performance.now();
      const job = followJob(client, id);
      const note = client.send('note', { from: 'behind a proxy' });
      await job.done;
      const applied = () => server.control.outbox.applied.map((envelope) => envelope.id);
      await vi.waitFor(() => expect(applied()).toContain(note), { timeout: 5000 }).catch(() => undefined);

      printFigure({
        test: 'halfOpen.upgradeRefused',
        durationMs: Math.round(performance.now() - started),
        refusedUpgrades: proxy.stats().refusedUpgrades,
        connected: connection.connects() > 0,
        engineConnections: server.control.engineConnections(),
        outboxApplied: applied().length,
        restHits: server.control.restHits(id),
        eventsChecked: job.events.length,
      });
      expectExact(job, server, processErrors, connection);
      expect(proxy.stats().refusedUpgrades).toBeGreaterThan(0);
      expect(connection.connects(), 'socket.io never fell back to long-polling').toBeGreaterThan(0);
      expect(applied(), 'the outbox message was never delivered').toEqual([note]);
    });
  });

  describe('on a slow link (200 ± 150 ms each way, 1-byte slices)', () => {
    // One way is at most 350 ms, so a round trip at most ~700 ms: a 1200 ms heartbeat timeout
    // holds, and half of it (600 ms) would not. engine.io's own ping is held to the same rule.
    const heartbeat = { interval: 500, timeout: 1200 };

    it.each(stressSeeds([1]))(
      'should raise no false heartbeat or idle disconnect and keep every event in order (seed %i)',
      async (seed) => {
        const { server, proxy, client, connection, processErrors } = await setup({
          seed,
          server: { socketOptions: { pingInterval: 1000, pingTimeout: 1500 } },
          client: () => ({
            heartbeat,
            // The first event comes after ~4 round trips of handshakes; idle is checked beyond that.
            idleTimeout: 8000,
            // Polling would hide a socket that is too slow: give the socket every chance.
            polling: { grace: 20_000, interval: 1000 },
            ackTimeout: 5000,
          }),
        });
        proxy.set('both', { delayMs: 200, jitterMs: 150, sliceBytes: 1 });
        const id = server.jobs.createGeneration({ clips: 3, progressPerClip: 3, stepMs: 300 });
        const sent: WebSocketEvent[] = [];
        server.jobs.events$.subscribe((notice) => notice.id === id && sent.push(notice.event));
        const latencies: number[] = [];
        client.connectionState$.subscribe((state) => state.latencyMs !== undefined && latencies.push(state.latencyMs));
        const job = followJob(client, id);
        await until(() => server.control.namespaceSockets(id) === 1, 15_000);
        server.jobs.start(id);
        await job.done;

        const statuses = connection.states.map(({ state }) => state.status);
        const firstConnected = statuses.indexOf('connected');
        printFigure({
          test: 'halfOpen.slowLink',
          seed,
          heartbeat,
          eventsInOrder: job.events.length,
          heartbeats: new Set(latencies).size,
          maxRttMs: Math.round(Math.max(...latencies)),
          minRttMs: Math.round(Math.min(...latencies)),
          bytesDown: proxy.stats().forwarded.down,
          piecesDown: proxy.stats().pieces.down,
          disconnects: statuses.slice(firstConnected).filter((status) => status !== 'connected').length,
          restHits: server.control.restHits(id),
        });
        expectExact(job, server, processErrors, connection);
        expect(job.events).toEqual(sent);
        expect(firstConnected).toBeGreaterThanOrEqual(0);
        expect(statuses.slice(firstConnected).every((status) => status === 'connected')).toBe(true);
        expect(connection.states.every(({ state }) => state.reconnectAttempts === 0 && state.lastError === undefined)).toBe(true);
        expect(server.control.restHits(id)).toBe(0);
        // The link really was slow: a timeout half as long would have declared it dead.
        expect(Math.max(...latencies)).toBeGreaterThan(heartbeat.timeout / 2);
        expect(Math.max(...latencies)).toBeLessThan(heartbeat.timeout);
        expect(proxy.stats().pieces.down).toBe(proxy.stats().forwarded.down);
      },
    );
  });
});
