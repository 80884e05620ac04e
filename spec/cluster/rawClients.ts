import { readFileSync } from 'node:fs';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { NODE_HEADER } from '../../src/server/index.js';
import type { Cluster } from '../../demo/cluster/startCluster.js';
import type { NodeStats } from '../../demo/cluster/nodeProtocol.js';

/** Raw socket.io clients on `/`, each with its own Manager (its own engine.io session), all connected. */
export async function connectClients(
  url: string,
  count: number,
  options: Partial<ManagerOptions & SocketOptions>,
): Promise<Socket[]> {
  const sockets = Array.from({ length: count }, () =>
    io(url, { forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200, ...options }),
  );
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('connect_error', reject);
        }),
    ),
  );
  return sockets;
}

/** Open engine.io connections per node id, asked of every node that runs. */
export async function connectionsByNode(cluster: Cluster): Promise<Record<string, number>> {
  const stats = await Promise.all(
    cluster.nodes.filter((node) => node.process.running).map((node) => node.request<NodeStats>({ op: 'stats' })),
  );
  return Object.fromEntries(stats.map(({ id, engineConnections }) => [id, engineConnections]));
}

/** The node that answered each of `count` REST requests sent through HAProxy without its cookie. */
export async function restNodes(url: string, count: number): Promise<(string | null)[]> {
  const nodes: (string | null)[] = [];
  for (let request = 0; request < count; request++) {
    const response = await fetch(`${url}/api/v1/generations/gen_nobody`);
    await response.body?.cancel();
    nodes.push(response.headers.get(NODE_HEADER));
  }
  return nodes;
}

/**
 * Whether process `pid` still runs. A zombie does not: an orphan's exit is reaped by init, and
 * init in a container may never reap it.
 */
export function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
