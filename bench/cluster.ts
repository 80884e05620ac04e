/**
 * The backend on three nodes against one, same load, same run, as ratios; prints one JSON object.
 * Side "cluster": three reference server nodes on Redis behind HAProxy (`startCluster`); side
 * "single": one node in memory (no Redis, no HAProxy). Rounds alternate the order of the sides;
 * figures are medians over rounds, after a warm-up round.
 *
 * Jobs, end to end (the headline figures): `BENCH_JOB_CLIENTS` jobstream clients (default 9,
 * websocket, `createJobStreams`; through HAProxy a third lands on each node) each follow every
 * job, the jobs created queued on the side's nodes in turn, then all begun at once (each on the
 * node that created it, which runs it). On the cluster every event goes through Redis (the step's
 * script appends it to the adapter's stream) to the node of each client.
 *
 * - burst (throughput): 60 generations of 33 events, 10 ms apart (6,000 steps/s offered):
 *   eventsPerSec = events the clients' streams delivered / ms from the first begin to the last one.
 * - paced (latency): 20 such generations, 100 ms apart (200 steps/s): p50Ms, p99Ms = delivery time
 *   minus the step's time on the job's schedule (begin + (index + 1) × stepMs), so the server's
 *   own timer delay counts, as a user would see it.
 *
 * Broadcasts (`broadcast` in the output, phase 1's measure): `BENCH_CLIENTS` raw socket.io clients
 * (default 60) receive `io.emit`s of one node, a burst of `BENCH_EVENTS` (2000) and a paced run of
 * `BENCH_PACED_EVENTS` (1000, 200/s).
 *
 * lost must be 0 on both sides: every event of every job's timeline delivered to every client
 * (no resync merged any), every broadcast delivered in order.
 *
 *   BENCH_ROUNDS=1 BENCH_JOB_CLIENTS=6 npm run bench:cluster
 */
import type { Socket } from 'socket.io-client';
import { preciseNow } from '../demo/cluster/nodeProtocol.js';
import { startProcessWatchdog } from '../demo/cluster/processWatchdog.js';
import { startCluster } from '../demo/cluster/startCluster.js';
import { startNode, type NodeProcess } from '../demo/cluster/startNode.js';
import { connectClients, connectionsByNode } from '../spec/cluster/rawClients.js';
import { measureJobs, quantile, type JobsLoad, type JobsMeasurement, type JobsSide } from './clusterJobs.js';
import { median, round, waitUntil } from './stats.js';

const JOB_CLIENTS = Number(process.env['BENCH_JOB_CLIENTS'] ?? 9);
const JOB_LOADS = {
  burst: { jobs: 60, clips: 6, progressPerClip: 4, stepMs: 10 },
  paced: { jobs: 20, clips: 6, progressPerClip: 4, stepMs: 100 },
} as const satisfies Record<string, JobsLoad>;
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

type Side = 'cluster' | 'single';
type Load = 'burst' | 'paced';
interface Round {
  jobs: Record<Load, Record<Side, JobsMeasurement>>;
  broadcast: Record<Load, Record<Side, Measurement>>;
}

async function main(): Promise<void> {
  const watchdog = startProcessWatchdog();
  const [cluster, single] = await Promise.all([startCluster({ nodes: 3 }), startNode({ watchdog, id: 'single' })]);
  try {
    const [emitter] = cluster.nodes;
    if (!emitter) throw new Error('the cluster has no node');
    const jobSides: Record<Side, JobsSide> = {
      cluster: { url: cluster.url, nodes: cluster.nodes },
      single: { url: single.url, nodes: [single] },
    };
    const broadcastSides: Record<Side, (load: Load) => Promise<Measurement>> = {
      cluster: (load) => measure(cluster.url, emitter, LOADS[load], () => connectionsByNode(cluster)),
      single: (load) => measure(single.url, single, LOADS[load]),
    };
    const runRound = async (order: readonly Side[]): Promise<Round> => {
      const both = async <M>(measureSide: (side: Side) => Promise<M>) => {
        const bySide = {} as Record<Side, M>;
        for (const side of order) bySide[side] = await measureSide(side);
        return bySide;
      };
      const jobs = async (load: Load) => both((side) => measureJobs(jobSides[side], JOB_LOADS[load], JOB_CLIENTS));
      const broadcast = async (load: Load) => both((side) => broadcastSides[side](load));
      return {
        jobs: { burst: await jobs('burst'), paced: await jobs('paced') },
        broadcast: { burst: await broadcast('burst'), paced: await broadcast('paced') },
      };
    };
    // A warm-up round, not counted: JIT, the Redis stream's creation, HAProxy's first connections.
    await runRound(['cluster', 'single']);
    const rounds: Round[] = [];
    for (let index = 0; index < ROUNDS; index++)
      rounds.push(await runRound(index % 2 === 0 ? ['cluster', 'single'] : ['single', 'cluster']));

    const jobsOf = (load: Load, side: Side, key: keyof JobsMeasurement) => median(rounds.map((r) => r.jobs[load][side][key]));
    const broadcastOf = (load: Load, side: Side, key: Exclude<keyof Measurement, 'clientsByNode'>) =>
      median(rounds.map((r) => r.broadcast[load][side][key]));
    const eventsPerSec = jobsOf('burst', 'cluster', 'eventsPerSec');
    const baselineEventsPerSec = jobsOf('burst', 'single', 'eventsPerSec');
    const p99Ms = jobsOf('paced', 'cluster', 'p99Ms');
    const baselineP99Ms = jobsOf('paced', 'single', 'p99Ms');
    const complete = rounds.every(
      (r) =>
        [r.jobs.burst, r.jobs.paced].every((bySide) => bySide.cluster.lost === 0 && bySide.single.lost === 0) &&
        [r.broadcast.burst, r.broadcast.paced].every((bySide) =>
          [bySide.cluster, bySide.single].every((m) => m.lost === 0 && m.outOfOrder === 0),
        ),
    );
    const output = {
      bench: 'cluster',
      nodes: cluster.nodes.length,
      jobClients: JOB_CLIENTS,
      jobLoads: JOB_LOADS,
      eventsPerSec,
      baselineEventsPerSec,
      throughputRatio: round(eventsPerSec / baselineEventsPerSec),
      p50Ms: jobsOf('paced', 'cluster', 'p50Ms'),
      baselineP50Ms: jobsOf('paced', 'single', 'p50Ms'),
      p99Ms,
      baselineP99Ms,
      p99Ratio: round(p99Ms / baselineP99Ms),
      burstP99Ms: jobsOf('burst', 'cluster', 'p99Ms'),
      baselineBurstP99Ms: jobsOf('burst', 'single', 'p99Ms'),
      broadcast: {
        clients: CLIENTS,
        loads: LOADS,
        eventsPerSec: broadcastOf('burst', 'cluster', 'eventsPerSec'),
        baselineEventsPerSec: broadcastOf('burst', 'single', 'eventsPerSec'),
        throughputRatio: round(broadcastOf('burst', 'cluster', 'eventsPerSec') / broadcastOf('burst', 'single', 'eventsPerSec')),
        p99Ms: broadcastOf('paced', 'cluster', 'p99Ms'),
        baselineP99Ms: broadcastOf('paced', 'single', 'p99Ms'),
        p99Ratio: round(broadcastOf('paced', 'cluster', 'p99Ms') / broadcastOf('paced', 'single', 'p99Ms')),
      },
      complete,
      definition: {
        eventsPerSec:
          "jobs, burst load: events the jobstream clients' streams delivered (all clients, all jobs) / time from the first begin to the last delivery; median over rounds",
        p99Ms:
          "jobs, paced load: delivery time minus the step's time on its job's schedule (begin + (index + 1) × stepMs), 99th percentile over every delivery of a round; median over rounds",
        burstP99Ms: 'the same under the burst load, where it measures how far behind schedule the side falls',
        baseline: 'the same clients and jobs on one in-memory node (no Redis, no HAProxy)',
        broadcast: "raw socket.io clients receiving one node's io.emit, as in phase 1",
        complete:
          'no job event lost or merged by a resync, no broadcast lost or out of order, either side, either load, any round',
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
