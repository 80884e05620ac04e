import { randomBytes } from 'node:crypto';
import { startHaproxy, type HaproxyProcess } from './startHaproxy.js';
import { startNode, type NodeProcess, type StartNodeConfig } from './startNode.js';
import { startProcessWatchdog } from './processWatchdog.js';
import { startRedis, type RedisProcess } from './startRedis.js';

/** Options of {@link startCluster}. */
export interface StartClusterConfig {
  /** @default 3 */
  nodes?: number;
  /** HAProxy's port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Keep Redis's data across a restart (append-only file in a temp directory). @default false */
  appendOnly?: boolean;
  /** Built dashboard directory the nodes serve (with the demo controls when `demo`). @default undefined */
  dashboard?: string;
  /** @default false */
  demo?: boolean;
  /** Copy every process's output to stderr. @default false */
  echo?: boolean;
}

/** Redis, N reference server nodes and HAProxy, all on 127.0.0.1, all child processes. */
export interface Cluster {
  /** HAProxy's URL: what clients connect to. */
  readonly url: string;
  /** The demo controls' token, the same on every node (with `demo`). */
  readonly demoToken: string | undefined;
  readonly redis: RedisProcess;
  readonly haproxy: HaproxyProcess;
  /** The nodes, `node-1` first; an entry is replaced when its node is restarted. */
  readonly nodes: readonly NodeProcess[];
  /** SIGKILLs node `index` and waits for its exit. */
  killNode(index: number): Promise<void>;
  /** Starts node `index` again on its port (killing it first if it still runs). */
  restartNode(index: number): Promise<NodeProcess>;
  /** Restarts redis-server on its port (SIGKILL by default; nodes reconnect by themselves). */
  restartRedis(signal?: NodeJS.Signals): Promise<void>;
  /** Every process the cluster runs now: redis-server, haproxy, the nodes. */
  pids(): number[];
  /** Stops everything and waits for every exit. */
  stop(): Promise<void>;
}

/**
 * Starts redis-server, `nodes` reference servers on it (`node-1`…) and HAProxy in front of them
 * with sticky sessions; see docs/scaling.md. Every process is watched by a watchdog process,
 * so none outlives this one, even killed.
 *
 * @example
 * const cluster = await startCluster();
 * const socket = io(cluster.url, { withCredentials: true }); // the cookie keeps it on one node
 * await cluster.killNode(1);
 * await cluster.restartNode(1);
 * await cluster.stop();
 */
export async function startCluster(config: StartClusterConfig = {}): Promise<Cluster> {
  const { nodes: count = 3, port = 0, appendOnly = false, dashboard, demo = false, echo = false } = config;
  const watchdog = startProcessWatchdog();
  // One token for all: HAProxy may route a page's control to any node.
  const demoToken = demo ? randomBytes(16).toString('hex') : undefined;
  const started: { redis?: RedisProcess; haproxy?: HaproxyProcess; nodes: NodeProcess[] } = { nodes: [] };
  // A node started before another failed to start is in no list: watchdog.close() kills it.
  const stop = async () => {
    await Promise.all([started.haproxy?.stop(), ...started.nodes.map((node) => node.process.stop())]);
    await started.redis?.stop();
    watchdog.close();
  };
  try {
    const redis = (started.redis = await startRedis({ watchdog, appendOnly, echo }));
    const nodeConfig = (index: number, nodePort = 0): StartNodeConfig => ({
      watchdog,
      id: `node-${index + 1}`,
      redis: redis.url,
      port: nodePort,
      ...(dashboard !== undefined && { dashboard }),
      demo,
      ...(demoToken !== undefined && { demoToken }),
      echo,
    });
    started.nodes = await Promise.all(Array.from({ length: count }, (_, index) => startNode(nodeConfig(index))));
    const servers = started.nodes.map(({ id, port: nodePort }) => ({ id, port: nodePort }));
    const haproxy = (started.haproxy = await startHaproxy({ watchdog, servers, port, echo }));
    const nodes = started.nodes;

    const nodeAt = (index: number): NodeProcess => {
      const node = nodes[index];
      if (!node) throw new RangeError(`No node ${index}: the cluster has ${nodes.length} (0 to ${nodes.length - 1})`);
      return node;
    };
    return {
      url: haproxy.url,
      demoToken,
      redis,
      haproxy,
      nodes,
      async killNode(index) {
        await nodeAt(index).process.stop('SIGKILL');
      },
      async restartNode(index) {
        const old = nodeAt(index);
        await old.process.stop('SIGKILL');
        const node = await startNode(nodeConfig(index, old.port));
        nodes[index] = node;
        return node;
      },
      restartRedis: (signal) => redis.restart(signal),
      pids: () =>
        [redis.process, haproxy.process, ...nodes.map((node) => node.process)].filter((p) => p.running).map((p) => p.pid),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
