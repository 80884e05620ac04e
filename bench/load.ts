/**
 * Sustained load over one connection: N jobs (default 1,000) each receiving R progress events a
 * second (default 10) for S seconds (default 30), on loopback, with the server in a child process
 * so `process.cpuUsage()` here is the client's. Prints one JSON object: delivered/sent (must be
 * exactly 1, else exit 1), event latency p50/p99/max and client CPU, for jobstream
 * (`generationProgress$` of every job, validation on, `throttle: 0`) and, in the same run and
 * on the same load, raw socket.io-client namespace sockets as the baseline.
 *
 * Latency: the server stamps each event with `process.hrtime.bigint()` (the machine's monotonic
 * clock, the same in both processes) just before emitting it; the client subtracts it from its
 * own reading when the event reaches its handler (jobstream: the subscriber; raw: `on('progress')`).
 *
 *   npm run bench:load
 *   LOAD_JOBS=200 LOAD_SECONDS=5 tsx bench/load.ts      # a quick run
 */
import { loadavg } from 'node:os';
import { Manager } from 'socket.io-client';
import type { Subscription } from 'rxjs';
import { createJobStreams } from '../src/client/createJobStreams.js';
import { STAMP, startLoadServer, type LoadServer, type PlayReply } from './loadProtocol.js';
import { round, waitUntil } from './stats.js';

const JOBS = Number(process.env.LOAD_JOBS ?? 1000);
const RATE = Number(process.env.LOAD_RATE ?? 10);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
/** An unreported pass of each side first, so neither measures the other's JIT warm-up. */
const WARMUP_SECONDS = Number(process.env.LOAD_WARMUP_SECONDS ?? 3);
/** `raw` or `jobstream` measures one side only (to profile it with `--cpu-prof`); no ratio then. */
const ONLY = process.env.LOAD_ONLY as Side | undefined;
/** A client whose last event came later than this after the play fell behind the load. */
const KEPT_UP_DRAIN_MS = 500;
/** Longest wait for the last events after the server sent them (a client that fell behind drains late). */
const DRAIN_MS = Number(process.env.LOAD_DRAIN_MS ?? 60_000);

type Side = 'raw' | 'jobstream';

/** Latencies (ms) of the load events a client received, in arrival order. */
interface Recorder {
  record(message: string): void;
  readonly count: number;
  samples(): Float64Array;
}

function recorder(capacity: number): Recorder {
  const samples = new Float64Array(capacity);
  let count = 0;
  return {
    record(message) {
      if (!message.startsWith(STAMP)) return;
      const latencyMs = Number(process.hrtime.bigint() - BigInt(message.slice(STAMP.length))) / 1e6;
      if (count < capacity) samples[count] = latencyMs;
      count++;
    },
    get count() {
      return count;
    },
    samples: () => samples.subarray(0, Math.min(count, capacity)),
  };
}

/** Subscribes every job; `close()` leaves nothing open. */
function subscribe(
  side: Side,
  url: string,
  ids: readonly string[],
  recording: Recorder,
): { errors: () => number; close(): void } {
  if (side === 'raw') {
    const manager = new Manager(url, { transports: ['websocket'], reconnection: false });
    const sockets = ids.map((id) => {
      const socket = manager.socket(`/ws/generations/${id}`);
      socket.on('connect', () => socket.emit('subscribe', { type: 'subscribe', generation_id: id }, () => undefined));
      socket.on('progress', (data: { message: string }) => recording.record(data.message));
      return socket;
    });
    return {
      errors: () => 0,
      close() {
        sockets.forEach((socket) => socket.disconnect());
        manager.engine.close();
      },
    };
  }
  const client = createJobStreams({ url, transports: ['websocket'], throttle: 0 });
  let errors = 0;
  const subscriptions: Subscription[] = [client.errors$.subscribe(() => errors++)];
  for (const id of ids) {
    subscriptions.push(
      client.generationProgress$(id).subscribe((event) => event.type === 'progress' && recording.record(event.data.message)),
    );
  }
  return {
    errors: () => errors,
    close() {
      subscriptions.forEach((subscription) => subscription.unsubscribe());
      client.dispose();
    },
  };
}

function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
}

async function measure(server: LoadServer, side: Side, seconds = SECONDS) {
  const { ids } = await server.request<{ ids: string[] }>({ op: 'create', count: JOBS });
  const expected = Math.round(JOBS * RATE * seconds);
  const recording = recorder(expected);
  const receiver = subscribe(side, server.url, ids, recording);
  try {
    await waitUntil(
      async () => (await server.request<{ total: number }>({ op: 'audience', ids })).total === JOBS,
      `${side}: every job subscribed`,
      60_000,
      20,
    );
    const { value: connections } = await server.request<{ value: number }>({ op: 'engineConnections' });
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const played = await server.request<PlayReply>({ op: 'play', ids, rate: RATE, seconds });
    const reached = played.sent - played.unreached;
    const playedAt = performance.now();
    await waitUntil(() => recording.count >= reached, `${side}: the last events`, DRAIN_MS, 5).catch(() => undefined);
    const wallMs = performance.now() - started;
    const drainMs = performance.now() - playedAt;
    const cpu = process.cpuUsage(cpuBefore);
    const sorted = Float64Array.from(recording.samples()).sort();
    return {
      side,
      sent: played.sent,
      delivered: recording.count,
      deliveredRatio: round(recording.count / played.sent, 6),
      unreached: played.unreached,
      drainMs: round(drainMs, 1),
      keptUp: drainMs < KEPT_UP_DRAIN_MS,
      latencyMs: { p50: round(percentile(sorted, 0.5)), p99: round(percentile(sorted, 0.99)), max: round(sorted.at(-1) ?? NaN) },
      clientCpuPercent: round(((cpu.user + cpu.system) / 1000 / wallMs) * 100, 1),
      clientCpuUsPerEvent: round((cpu.user + cpu.system) / Math.max(1, recording.count), 2),
      serverCpuPercent: round((played.cpuUs / 1000 / played.wallMs) * 100, 1),
      serverLateTicks: played.lateTicks,
      engineConnections: connections,
      errors: receiver.errors(),
    };
  } finally {
    receiver.close();
    await waitUntil(
      async () => (await server.request<{ value: number }>({ op: 'engineConnections' })).value === 0,
      `${side}: the client to disconnect`,
      15_000,
      20,
    );
  }
}

async function main(): Promise<void> {
  const server = await startLoadServer();
  const [loadBefore = NaN] = loadavg();
  try {
    if (ONLY) {
      process.stdout.write(
        `${JSON.stringify({ bench: 'load', jobs: JOBS, eventsPerJobPerSecond: RATE, seconds: SECONDS, only: await measure(server, ONLY) })}\n`,
      );
      return;
    }
    if (WARMUP_SECONDS > 0) {
      await measure(server, 'raw', WARMUP_SECONDS);
      await measure(server, 'jobstream', WARMUP_SECONDS);
    }
    const raw = await measure(server, 'raw');
    const jobstream = await measure(server, 'jobstream');
    const pass = jobstream.deliveredRatio === 1 && jobstream.engineConnections === 1 && jobstream.errors === 0;
    const output = {
      bench: 'load',
      jobs: JOBS,
      eventsPerJobPerSecond: RATE,
      seconds: SECONDS,
      eventsPerSecond: JOBS * RATE,
      /** 1-minute load average before and after: this machine is shared, and 2 cores. */
      loadAverage: [round(loadBefore, 2), round(loadavg()[0] ?? NaN, 2)],
      jobstream,
      raw,
      ratio: {
        p50: round(jobstream.latencyMs.p50 / raw.latencyMs.p50, 2),
        p99: round(jobstream.latencyMs.p99 / raw.latencyMs.p99, 2),
        max: round(jobstream.latencyMs.max / raw.latencyMs.max, 2),
        clientCpu: round(jobstream.clientCpuPercent / raw.clientCpuPercent, 2),
      },
      targets: { deliveredRatio: 1, engineConnections: 1, errors: 0 },
      pass,
      definition: {
        latencyMs:
          "server hrtime just before socket.emit → client hrtime in the event's handler (same monotonic clock); over every load event",
        clientCpuPercent:
          'process.cpuUsage() (user+system) of this process from the start of the play to the last event received, / wall time',
        deliveredRatio: 'load events received / events the server sent (each job has exactly one subscriber)',
        drainMs: 'from the end of the play until the last event was received: more than a few ms means the client fell behind',
        keptUp: `drainMs < ${KEPT_UP_DRAIN_MS}: the client processed the load as fast as it came (not part of pass)`,
      },
    };
    process.stdout.write(`${JSON.stringify(output)}\n`);
    if (!pass) process.exitCode = 1;
  } finally {
    await server.close();
  }
}

await main();
