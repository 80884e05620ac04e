/**
 * CPU time per event of `generationProgress$(id)` (validation on, throttle off) against raw
 * socket.io-client `socket.on('progress')` handlers, on the same server (a child process, so
 * `process.cpuUsage()` here is client work only) in the same run. Prints one JSON object.
 *
 * Each measurement: a fresh client subscribes to a fresh job, then the server is told to send
 * N progress events; client CPU (user + system) is taken from that request to the moment the
 * N-th event is counted. Rounds alternate the order (raw first, then jobstream first, …); the
 * figure per side is the median over rounds.
 *
 *   BENCH_EVENTS=20000 node --expose-gc --import tsx bench/throughput.ts
 *   BENCH_ONLY=jobstream node --cpu-prof --import tsx bench/throughput.ts   # profile one side
 */
import { io, type Socket } from 'socket.io-client';
import { createJobStreams } from '../src/client/createJobStreams.js';
import { startServerProcess, type ServerProcess } from './startServerProcess.js';
import { median, round, waitUntil } from './stats.js';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 500);
/** `raw` or `jobstream` measures one side only (for `--cpu-prof`); the JSON then has no ratio. */
const ONLY = process.env['BENCH_ONLY'] as Side | undefined;
const TARGET = 1.1;
/** Longest silence tolerated while events are expected. */
const STALL_MS = 15_000;

type Side = 'raw' | 'jobstream';

interface Measurement {
  side: Side;
  events: number;
  delivered: number;
  cpuUs: number;
  wallMs: number;
  cpuUsPerEvent: number;
  errors: number;
}

/** A client subscribed to one job, counting its progress events. */
interface Receiver {
  /** Progress events counted so far. */
  readonly counted: () => number;
  /** Problems reported on `errors$` (jobstream; always 0 for raw). */
  readonly errors: () => number;
  /** Resolves when `events` progress events have been counted (or rejects on a stall). */
  untilAll(events: number): Promise<void>;
  close(): Promise<void>;
}

function counter(): { hit: () => void; count: () => number; untilAll: (events: number) => Promise<void> } {
  let count = 0;
  let target = Infinity;
  let done: (() => void) | undefined;
  return {
    hit() {
      if (++count === target) done?.();
    },
    count: () => count,
    untilAll(events) {
      target = events;
      if (count >= events) return Promise.resolve();
      return new Promise((resolve, reject) => {
        let last = count;
        const watchdog = setInterval(() => {
          if (count === last) {
            clearInterval(watchdog);
            reject(new Error(`stalled at ${count}/${events} events`));
          }
          last = count;
        }, STALL_MS);
        done = () => {
          clearInterval(watchdog);
          resolve();
        };
      });
    },
  };
}

async function rawReceiver(server: ServerProcess, id: string): Promise<Receiver> {
  const events = counter();
  const socket: Socket = io(`${server.url}/ws/generations/${id}`, { transports: ['websocket'], forceNew: true, reconnection: false });
  socket.on('progress', events.hit);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () => socket.emit('subscribe', { type: 'subscribe', generation_id: id }, () => resolve()));
  });
  return {
    counted: events.count,
    errors: () => 0,
    untilAll: events.untilAll,
    async close() {
      socket.disconnect();
    },
  };
}

async function jobstreamReceiver(server: ServerProcess, id: string): Promise<Receiver> {
  const events = counter();
  let errors = 0;
  const streams = createJobStreams({ url: server.url, throttle: 0, transports: ['websocket'] });
  const errorsSubscription = streams.errors$.subscribe(() => errors++);
  const subscription = streams.generationProgress$(id).subscribe((event) => {
    if (event.type === 'progress') events.hit();
  });
  await waitUntil(async () => (await server.request<{ total: number; empty: number }>({ op: 'audience', ids: [id] })).total === 1, 'the jobstream subscribe');
  return {
    counted: events.count,
    errors: () => errors,
    untilAll: events.untilAll,
    async close() {
      subscription.unsubscribe();
      errorsSubscription.unsubscribe();
      streams.dispose();
    },
  };
}

async function measure(server: ServerProcess, side: Side, events: number): Promise<Measurement> {
  const { ids } = await server.request<{ ids: string[] }>({ op: 'createGenerations', count: 1, processing: false });
  const id = ids[0]!;
  const receiver = side === 'raw' ? await rawReceiver(server, id) : await jobstreamReceiver(server, id);
  globalThis.gc?.();
  // Let the collector's follow-up work and the subscribe's trailing packets settle.
  await new Promise((resolve) => setTimeout(resolve, 50));

  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  let cpuUs = 0;
  let wallMs = 0;
  const blasted = server.request<{ sent: number; audience: number }>({ op: 'blast', id, events, batch: BATCH });
  try {
    await receiver.untilAll(events);
    const cpu = process.cpuUsage(cpuBefore);
    cpuUs = cpu.user + cpu.system;
    wallMs = Number(process.hrtime.bigint() - wallBefore) / 1e6;
  } catch (error) {
    process.stderr.write(`throughput: ${side}: ${(error as Error).message}\n`);
  }
  const { audience } = await blasted;
  if (audience !== 1) process.stderr.write(`throughput: ${side}: the job had ${audience} subscribed sockets, expected 1\n`);
  const delivered = receiver.counted();
  const errors = receiver.errors();
  await receiver.close();
  await waitUntil(async () => (await server.request<{ value: number }>({ op: 'engineConnections' })).value === 0, 'the client to disconnect');
  return { side, events, delivered, cpuUs, wallMs: round(wallMs, 1), cpuUsPerEvent: round(cpuUs / events), errors };
}

async function main(): Promise<void> {
  const server = await startServerProcess();
  try {
    // Warm-up, not reported: JIT both paths so the first measured round is not the slow one.
    const warmup = Math.min(EVENTS, 20_000);
    if (ONLY) {
      await measure(server, ONLY, warmup);
      const results = [];
      for (let round_ = 0; round_ < ROUNDS; round_++) results.push(await measure(server, ONLY, EVENTS));
      process.stdout.write(`${JSON.stringify({ bench: 'throughput', only: ONLY, events: EVENTS, cpuUsPerEvent: median(results.map((m) => m.cpuUsPerEvent)), rounds: results })}\n`);
      return;
    }
    await measure(server, 'raw', warmup);
    await measure(server, 'jobstream', warmup);

    const rounds: { raw: Measurement; jobstream: Measurement; ratio: number; order: string }[] = [];
    for (let round_ = 0; round_ < ROUNDS; round_++) {
      const order: Side[] = round_ % 2 === 0 ? ['raw', 'jobstream'] : ['jobstream', 'raw'];
      const results = {} as Record<Side, Measurement>;
      for (const side of order) results[side] = await measure(server, side, EVENTS);
      rounds.push({ order: order.join('>'), raw: results.raw, jobstream: results.jobstream, ratio: round(results.jobstream.cpuUsPerEvent / results.raw.cpuUsPerEvent) });
    }

    const all = rounds.flatMap((r) => [r.raw, r.jobstream]);
    const complete = all.every((m) => m.delivered === m.events && m.cpuUs > 0);
    const rawCpuUsPerEvent = median(rounds.map((r) => r.raw.cpuUsPerEvent));
    const jobstreamCpuUsPerEvent = median(rounds.map((r) => r.jobstream.cpuUsPerEvent));
    const ratio = round(jobstreamCpuUsPerEvent / rawCpuUsPerEvent);
    const output = {
      bench: 'throughput',
      events: EVENTS,
      rawCpuUsPerEvent: round(rawCpuUsPerEvent),
      jobstreamCpuUsPerEvent: round(jobstreamCpuUsPerEvent),
      ratio,
      medianPairedRatio: round(median(rounds.map((r) => r.ratio))),
      target: TARGET,
      pass: complete && ratio <= TARGET,
      complete,
      definition: 'client CPU (user+system) from asking the server to send until the N-th progress event is counted, divided by N; median over rounds',
      rounds: rounds.map((r) => ({
        order: r.order,
        ratio: r.ratio,
        raw: { cpuUsPerEvent: r.raw.cpuUsPerEvent, wallMs: r.raw.wallMs, delivered: r.raw.delivered },
        jobstream: { cpuUsPerEvent: r.jobstream.cpuUsPerEvent, wallMs: r.jobstream.wallMs, delivered: r.jobstream.delivered, errors: r.jobstream.errors },
      })),
    };
    process.stdout.write(`${JSON.stringify(output)}\n`);
    if (!complete) process.exitCode = 1;
  } finally {
    await server.close();
  }
}

await main();
