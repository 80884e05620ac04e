/**
 * The jobs half of `bench/cluster.ts`: jobstream clients (`createJobStreams`) following simulated
 * jobs end to end, on one side (three nodes on Redis behind HAProxy, or one node in memory).
 */
import type { Subscription } from 'rxjs';
import { preciseNow } from '../demo/cluster/nodeProtocol.js';
import type { NodeProcess } from '../demo/cluster/startNode.js';
import { createJobStreams, type JobStreams } from '../src/client/createJobStreams.js';
import type { JobStreamsOptions } from '../src/client/JobStreamsOptions.js';
import type { JobSnapshot } from '../src/protocol/index.js';
import { timelineOf, type GenerationOptions } from '../src/server/index.js';
import { round, waitUntil } from './stats.js';

/** What every client follows: `jobs` generations of `clips` × (`progressPerClip` + 1) + 3 steps, `stepMs` apart. */
export interface JobsLoad {
  jobs: number;
  clips: number;
  progressPerClip: number;
  stepMs: number;
}

/** One side of the comparison: the URL clients connect to, the nodes jobs are created and begun on. */
export interface JobsSide {
  url: string;
  nodes: readonly NodeProcess[];
}

/** What the clients of one side received. */
export interface JobsMeasurement {
  /** Events delivered to the clients' streams, all clients and jobs, per second from the first begin to the last event. */
  eventsPerSec: number;
  /** Delivery time minus the step's time on the job's schedule (its begin plus (index + 1) × stepMs), over every event. */
  p50Ms: number;
  p99Ms: number;
  /** Events of the jobs' timelines that a client's stream did not deliver (0: none lost, none merged by a resync). */
  lost: number;
}

// Slow heartbeats and no polling: a loaded machine must not make clients reconnect and resync.
const CLIENT_OPTIONS: JobStreamsOptions = {
  transports: ['websocket'],
  withCredentials: true,
  throttle: 0,
  linger: 0,
  idleTimeout: 120_000,
  ackTimeout: 30_000,
  heartbeat: { interval: 10_000, timeout: 10_000 },
  polling: { enabled: false },
  reconnection: { delay: 200, maxDelay: 1000 },
};
const DELIVERY_TIMEOUT_MS = 120_000;

/** The `q` quantile of ascending `sorted` (nearest rank). */
export const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

/**
 * Creates `load.jobs` queued generations (spread over the side's nodes), has `clients` clients
 * subscribe to all of them, waits until every subscription reached a node, then begins every
 * job at once (each on the node that created it, which takes its lease) and measures what the
 * clients' streams deliver.
 */
export async function measureJobs(side: JobsSide, load: JobsLoad, clients: number): Promise<JobsMeasurement> {
  const { jobs, clips, progressPerClip, stepMs } = load;
  const options: GenerationOptions = { clips, progressPerClip, stepMs };
  const nodeOf = (index: number) => side.nodes[index % side.nodes.length]!;
  const ids = await Promise.all(
    Array.from({ length: jobs }, async (_, index) => {
      const snapshot = await nodeOf(index).request<JobSnapshot>({ op: 'create', kind: 'generation', options: { ...options } });
      return snapshot.id;
    }),
  );
  const steps = timelineOf({ kind: 'generation', plan: { id: 'x', clips, progressPerClip, stepMs, clipDuration: 1 } }).length;
  const streams: JobStreams[] = Array.from({ length: clients }, () => createJobStreams({ url: side.url, ...CLIENT_OPTIONS }));
  const begunAt = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  let lastDelivery = 0;
  const subscriptions: Subscription[] = [];
  try {
    for (const client of streams) {
      for (const id of ids) {
        let index = 0;
        subscriptions.push(
          client.generationProgress$(id).subscribe(() => {
            lastDelivery = preciseNow();
            latencies.push(lastDelivery - ((begunAt.get(id) ?? NaN) + ++index * stepMs));
            delivered++;
          }),
        );
      }
    }
    const audience = async () =>
      (await Promise.all(side.nodes.map((node) => node.request<number>({ op: 'audience', ids })))).reduce((a, b) => a + b, 0);
    await waitUntil(async () => (await audience()) === clients * jobs, 'every subscription', 60_000, 50);

    const started = preciseNow();
    await Promise.all(
      ids.map((id, index) => {
        begunAt.set(id, preciseNow());
        return nodeOf(index).request({ op: 'begin', id });
      }),
    );
    const expected = clients * jobs * steps;
    await waitUntil(() => delivered >= expected, 'every event', DELIVERY_TIMEOUT_MS, 20).catch(() => undefined);
    const sorted = latencies.filter(Number.isFinite).sort((a, b) => a - b);
    return {
      eventsPerSec: Math.round((delivered / (lastDelivery - started)) * 1000),
      p50Ms: round(quantile(sorted, 0.5), 2),
      p99Ms: round(quantile(sorted, 0.99), 2),
      lost: expected - delivered,
    };
  } finally {
    for (const subscription of subscriptions) subscription.unsubscribe();
    for (const client of streams) client.dispose();
  }
}
