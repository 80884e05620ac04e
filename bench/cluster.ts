/**
 * Broadcasts delivered end to end: three reference server nodes on Redis behind HAProxy
 * (`startCluster`) against one node in memory, same load, same run, as ratios. Prints one JSON
 * object.
 *
 * Load: `BENCH_CLIENTS` raw socket.io clients (websocket, default 60) connect to the side's URL
 * (through HAProxy, round robin, so a third land on each node; or straight to the single node);
 * one node then emits `BENCH_EVENTS` events (default 2000) on `/`, `BENCH_BATCH` (default 20)
 * per macrotask, each stamped with its send time. On the cluster side two thirds of the clients
 * are on other nodes than the emitter, so their events went through the Redis stream.
 *
 * - eventsPerSec: deliveries (events × clients) / ms from the first send to the last delivery.
 * - p50Ms, p99Ms: delivery time minus send time, over every delivery (sender and clients share
 *   the machine's clock).
 * - lost, outOfOrder: deliveries missing at the end (60 s at most), and deliveries with a
 *   sequence number not above the client's previous one: both must be 0.
 *
 * Phase 1 measures the adapter's fan-out alone; once job records and leases are in Redis (phase 2)
 * the same bench should follow jobs through `createJobStreams`. Rounds alternate the order of the
 * sides; figures are medians over rounds.
 *
 *   BENCH_CLIENTS=30 BENCH_EVENTS=500 npm run bench:cluster
 */
import type { Socket } from 'socket.io-client';
import { preciseNow } from '../demo/cluster/nodeProtocol.js';
import { startProcessWatchdog } from '../demo/cluster/processWatchdog.js';
import { startCluster } from '../demo/cluster/startCluster.js';
import { startNode, type NodeProcess } from '../demo/cluster/startNode.js';
import { connectClients, connectionsByNode } from '../spec/cluster/rawClients.js';
import { median, round, waitUntil } from './stats.js';

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 60);
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 2000);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 20);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const DELIVERY_TIMEOUT_MS = 60_000;

interface Measurement {
  eventsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  lost: number;
  outOfOrder: number;
  /** Cluster side: the clients each node held. */
  clientsByNode?: Record<string, number>;
}

/** The `q` quantile of ascending `sorted` (nearest rank). */
const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

/** Connects the clients to `url`, has `emitter` blast, and measures what the clients received. */
async function measure(url: string, emitter: NodeProcess, spread?: () => Promise<Record<string, number>>): Promise<Measurement> {
  const sockets: Socket[] = await connectClients(url, CLIENTS, { transports: ['websocket'], reconnection: false });
  try {
    const clientsByNode = await spread?.();
    const latencies: number[] = [];
    let outOfOrder = 0;
    let lastDelivery = 0;
    for (const socket of sockets) {
      let previous = 0;
      socket.on('bench', ({ seq, sentAt }: { seq: number; sentAt: number }) => {
        lastDelivery = preciseNow();
        latencies.push(lastDelivery - sentAt);
        if (seq <= previous) outOfOrder++;
        previous = seq;
      });
    }
    const started = preciseNow();
    await emitter.request({ op: 'blast', event: 'bench', count: EVENTS, batch: BATCH });
    const expected = CLIENTS * EVENTS;
    await waitUntil(() => latencies.length >= expected, 'every delivery', DELIVERY_TIMEOUT_MS, 20).catch(() => undefined);
    const sorted = latencies.sort((a, b) => a - b);
    return {
      eventsPerSec: Math.round((latencies.length / (lastDelivery - started)) * 1000),
      p50Ms: round(quantile(sorted, 0.5), 2),
      p99Ms: round(quantile(sorted, 0.99), 2),
      lost: expected - latencies.length,
      outOfOrder,
      ...(clientsByNode && { clientsByNode }),
    };
  } finally {
    for (const socket of sockets) socket.close();
  }
}

async function main(): Promise<void> {
  const watchdog = startProcessWatchdog();
  const [cluster, single] = await Promise.all([startCluster({ nodes: 3 }), startNode({ watchdog, id: 'single' })]);
  try {
    const rounds: { cluster: Measurement; single: Measurement }[] = [];
    const [emitter] = cluster.nodes;
    if (!emitter) throw new Error('the cluster has no node');
    const onCluster = () => measure(cluster.url, emitter, () => connectionsByNode(cluster));
    const onSingle = () => measure(single.url, single);
    // A warm-up of each side, not counted: JIT, the Redis stream's creation, HAProxy's first connections.
    await onCluster();
    await onSingle();
    for (let index = 0; index < ROUNDS; index++) {
      if (index % 2 === 0) {
        const clustered = await onCluster();
        rounds.push({ cluster: clustered, single: await onSingle() });
      } else {
        const alone = await onSingle();
        rounds.push({ cluster: await onCluster(), single: alone });
      }
    }
    const of = (side: 'cluster' | 'single', key: Exclude<keyof Measurement, 'clientsByNode'>) =>
      median(rounds.map((r) => r[side][key]));
    const eventsPerSec = of('cluster', 'eventsPerSec');
    const baselineEventsPerSec = of('single', 'eventsPerSec');
    const p99Ms = of('cluster', 'p99Ms');
    const baselineP99Ms = of('single', 'p99Ms');
    const complete = rounds.every((r) => r.cluster.lost + r.single.lost + r.cluster.outOfOrder + r.single.outOfOrder === 0);
    const output = {
      bench: 'cluster',
      clients: CLIENTS,
      events: EVENTS,
      nodes: cluster.nodes.length,
      eventsPerSec,
      baselineEventsPerSec,
      throughputRatio: round(eventsPerSec / baselineEventsPerSec),
      p50Ms: of('cluster', 'p50Ms'),
      baselineP50Ms: of('single', 'p50Ms'),
      p99Ms,
      baselineP99Ms,
      p99Ratio: round(p99Ms / baselineP99Ms),
      complete,
      definition: {
        eventsPerSec: 'deliveries (events × clients) / time from the first send to the last delivery; median over rounds',
        p99Ms: 'delivery time minus send time over every delivery of a round, 99th percentile; median over rounds',
        baseline: 'the same clients and events on one in-memory node (no Redis, no HAProxy)',
        complete: 'no delivery lost or out of order on either side in any round',
      },
      rounds,
    };
    process.stdout.write(`${JSON.stringify(output)}\n`);
    if (!complete) process.exitCode = 1;
  } finally {
    await Promise.all([cluster.stop(), single.process.stop()]);
    watchdog.close();
  }
}

await main();
