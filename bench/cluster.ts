/**
 * Broadcasts delivered end to end: three reference server nodes on Redis behind HAProxy
 * (`startCluster`) against one node in memory, same load, same run, as ratios. Prints one JSON
 * object.
 *
 * `BENCH_CLIENTS` raw socket.io clients (websocket, default 60) connect to the side's URL
 * (through HAProxy, round robin, so a third land on each node; or straight to the single node),
 * then one node emits events on `/`, each stamped with its send time. On the cluster side two
 * thirds of the clients are on other nodes than the emitter, so their events went through the
 * Redis stream. Two loads, each measured on both sides:
 *
 * - burst (throughput): `BENCH_EVENTS` events (default 2000), 20 per macrotask, as fast as the
 *   emitter can; eventsPerSec = deliveries (events × clients) / ms from the first send to the
 *   last delivery. Latency under a burst only measures the queue, so it is reported apart.
 * - paced (latency): `BENCH_PACED_EVENTS` events (default 1000), 2 every 10 ms (200/s, well
 *   under either side's capacity); p50Ms, p99Ms = delivery time minus send time over every
 *   delivery (sender and clients share the machine's clock).
 *
 * lost and outOfOrder (deliveries missing after 60 s; a sequence number not above the client's
 * previous one) must be 0 on both sides. Phase 1 measures the adapter's fan-out alone; once job
 * records and leases are in Redis (phase 2) the same bench should follow jobs through
 * `createJobStreams`. Rounds alternate the order of the sides; figures are medians over rounds.
 *
 *   BENCH_CLIENTS=30 BENCH_EVENTS=500 BENCH_PACED_EVENTS=300 npm run bench:cluster
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
const PACED_EVENTS = Number(process.env['BENCH_PACED_EVENTS'] ?? 1000);
/** How the emitter sends: all at once, 20 a macrotask; or 2 every 10 ms. */
const LOADS = {
  burst: { count: EVENTS, batch: 20, everyMs: 0 },
  paced: { count: PACED_EVENTS, batch: 2, everyMs: 10 },
} as const;
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

/** Connects the clients to `url`, has `emitter` send `load`, and measures what the clients received. */
async function measure(
  url: string,
  emitter: NodeProcess,
  load: (typeof LOADS)[keyof typeof LOADS],
  spread?: () => Promise<Record<string, number>>,
): Promise<Measurement> {
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
    await emitter.request({ op: 'blast', event: 'bench', ...load });
    const expected = CLIENTS * load.count;
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
    type Side = 'cluster' | 'single';
    type Load = keyof typeof LOADS;
    type Round = Record<Load, Record<Side, Measurement>>;
    const [emitter] = cluster.nodes;
    if (!emitter) throw new Error('the cluster has no node');
    const sides: Record<Side, (load: Load) => Promise<Measurement>> = {
      cluster: (load) => measure(cluster.url, emitter, LOADS[load], () => connectionsByNode(cluster)),
      single: (load) => measure(single.url, single, LOADS[load]),
    };
    const runRound = async (order: readonly Side[]): Promise<Round> => {
      const measureBoth = async (load: Load) => {
        const bySide = {} as Record<Side, Measurement>;
        for (const side of order) bySide[side] = await sides[side](load);
        return bySide;
      };
      return { burst: await measureBoth('burst'), paced: await measureBoth('paced') };
    };
    // A warm-up round, not counted: JIT, the Redis stream's creation, HAProxy's first connections.
    await runRound(['cluster', 'single']);
    const rounds: Round[] = [];
    for (let index = 0; index < ROUNDS; index++)
      rounds.push(await runRound(index % 2 === 0 ? ['cluster', 'single'] : ['single', 'cluster']));

    const of = (load: Load, side: Side, key: Exclude<keyof Measurement, 'clientsByNode'>) =>
      median(rounds.map((r) => r[load][side][key]));
    const eventsPerSec = of('burst', 'cluster', 'eventsPerSec');
    const baselineEventsPerSec = of('burst', 'single', 'eventsPerSec');
    const p99Ms = of('paced', 'cluster', 'p99Ms');
    const baselineP99Ms = of('paced', 'single', 'p99Ms');
    const complete = rounds.every((r) =>
      [r.burst.cluster, r.burst.single, r.paced.cluster, r.paced.single].every((m) => m.lost === 0 && m.outOfOrder === 0),
    );
    const output = {
      bench: 'cluster',
      clients: CLIENTS,
      nodes: cluster.nodes.length,
      loads: LOADS,
      eventsPerSec,
      baselineEventsPerSec,
      throughputRatio: round(eventsPerSec / baselineEventsPerSec),
      p50Ms: of('paced', 'cluster', 'p50Ms'),
      baselineP50Ms: of('paced', 'single', 'p50Ms'),
      p99Ms,
      baselineP99Ms,
      p99Ratio: round(p99Ms / baselineP99Ms),
      burstP99Ms: of('burst', 'cluster', 'p99Ms'),
      baselineBurstP99Ms: of('burst', 'single', 'p99Ms'),
      complete,
      definition: {
        eventsPerSec:
          'burst load: deliveries (events × clients) / time from the first send to the last delivery; median over rounds',
        p99Ms:
          'paced load (200 events/s): delivery time minus send time over every delivery of a round, 99th percentile; median over rounds',
        burstP99Ms: 'the same under the burst load, where it measures how long the queue takes to drain',
        baseline: 'the same clients and events on one in-memory node (no Redis, no HAProxy)',
        complete: 'no delivery lost or out of order, either side, either load, any round',
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
