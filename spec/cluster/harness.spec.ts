import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'socket.io-client';
import { startCluster, type Cluster } from '../../demo/cluster/startCluster.js';
import { connectClients, connectionsByNode, isAlive, restNodes } from './rawClients.js';

const NODE_IDS = ['node-1', 'node-2', 'node-3'];

let cluster: Cluster;
let clients: Socket[] = [];

beforeAll(async () => {
  cluster = await startCluster({ nodes: 3 });
});
afterEach(() => {
  for (const client of clients) client.close();
  clients = [];
});
afterAll(async () => {
  await cluster.stop();
});

/** Connects `count` clients and keeps them for `afterEach` to close. */
async function connect(count: number, options: Parameters<typeof connectClients>[2]): Promise<Socket[]> {
  const sockets = await connectClients(cluster.url, count, options);
  clients.push(...sockets);
  return sockets;
}

/** What each socket receives first as `event`; fails naming the sockets still waiting after 10 s. */
function nextOf(sockets: readonly Socket[], event: string): Promise<unknown[]> {
  const received = sockets.map((socket) => new Promise((resolve) => socket.once(event, resolve)));
  const waiting = new Set(sockets.keys());
  received.forEach((promise, index) => void promise.then(() => waiting.delete(index)));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`sockets ${[...waiting].join(', ')} got no ${event} in 10 s`)), 10_000);
  });
  const all = Promise.race([Promise.all(received), late]).finally(() => clearTimeout(timer));
  // Awaited by the test later, after a request that may fail first.
  all.catch(() => undefined);
  return all;
}

/** Every node has at least one of the connections, and the total is `expected`. */
async function expectSpreadOverAllNodes(expected: number): Promise<void> {
  await vi.waitFor(async () => {
    const byNode = await connectionsByNode(cluster);
    expect(Object.values(byNode).reduce((sum, count) => sum + count, 0)).toBe(expected);
    expect(Object.keys(byNode).filter((id) => (byNode[id] ?? 0) > 0)).toEqual(NODE_IDS);
  });
}

describe('startCluster (redis-server, three nodes and HAProxy on loopback)', () => {
  it('should run every process and route requests through HAProxy to all three nodes', async () => {
    expect(cluster.pids()).toHaveLength(5);
    expect(cluster.pids().every(isAlive)).toBe(true);
    expect(cluster.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // Without the sticky cookie, each request is balanced round robin.
    expect(new Set(await restNodes(cluster.url, 6))).toEqual(new Set(NODE_IDS));
  });

  it('should keep each long-polling session on one node (sticky cookie) for many requests', async () => {
    const sockets = await connect(6, { transports: ['polling'], withCredentials: true, reconnection: false });
    const failures: string[] = [];
    for (const socket of sockets) socket.on('disconnect', (reason) => failures.push(reason));
    await expectSpreadOverAllNodes(6);
    // Each acked emit is a POST and a GET answered by the session's node; without stickiness the
    // first request to reach another node gets "Session ID unknown" and the session ends.
    for (let round = 0; round < 10; round++) {
      const acks = await Promise.all(sockets.map((socket) => socket.timeout(5000).emitWithAck('heartbeat')));
      expect(acks).toEqual(sockets.map(() => ({ t: expect.any(Number) as number })));
    }
    expect(failures).toEqual([]);
    expect(sockets.every((socket) => socket.io.engine.transport.name === 'polling')).toBe(true);
    await expectSpreadOverAllNodes(6);
  });

  it('should deliver a broadcast of one node to the clients of every node (Redis streams adapter)', async () => {
    const sockets = await connect(6, { transports: ['websocket'] });
    await expectSpreadOverAllNodes(6);
    for (const [index, node] of cluster.nodes.entries()) {
      const received = nextOf(sockets, 'cluster_probe');
      await node.request({ op: 'emit', event: 'cluster_probe', payload: { from: index } });
      expect(await received).toEqual(sockets.map(() => ({ from: index })));
    }
  });

  it('should restart a SIGKILLed node on its port while HAProxy routes around it', async () => {
    const pinned = await connect(6, { transports: ['polling'], withCredentials: true });
    await expectSpreadOverAllNodes(6);
    const onKilledNode = (await connectionsByNode(cluster))['node-2'];
    const dropped = new Set<Socket>();
    for (const socket of pinned) socket.on('disconnect', () => dropped.add(socket));
    const killed = cluster.nodes[1]!;

    await cluster.killNode(1);
    expect(await killed.process.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(isAlive(killed.process.pid)).toBe(false);
    // Requests meant for the dead node are redispatched: every one is answered, by the others.
    const whileDown = await restNodes(cluster.url, 6);
    expect(whileDown.filter((id) => id !== 'node-1' && id !== 'node-3')).toEqual([]);
    // Exactly the sessions the node held were lost, and they started new ones on the others.
    await vi.waitFor(() => expect(dropped.size).toBe(onKilledNode));
    await vi.waitFor(() => expect(pinned.every((socket) => socket.connected)).toBe(true));

    const restarted = await cluster.restartNode(1);
    expect(restarted.port).toBe(killed.port);
    expect(restarted.process.pid).not.toBe(killed.process.pid);
    await vi.waitFor(async () => expect(await restNodes(cluster.url, 3)).toContain('node-2'), { timeout: 10_000, interval: 200 });
    // A broadcast of the new node-2 reaches every client, wherever it is now.
    const received = nextOf(pinned, 'cluster_probe');
    await restarted.request({ op: 'emit', event: 'cluster_probe', payload: 'after restart' });
    expect(await received).toEqual(pinned.map(() => 'after restart'));
  });

  it('should carry broadcasts again once Redis is restarted (nodes reconnect by themselves)', async () => {
    const sockets = await connect(6, { transports: ['websocket'] });
    await expectSpreadOverAllNodes(6);
    const before = cluster.redis.process.pid;

    await cluster.restartRedis();
    expect(cluster.redis.process.pid).not.toBe(before);
    const received = nextOf(sockets, 'cluster_probe');
    await cluster.nodes[2]!.request({ op: 'emit', event: 'cluster_probe', payload: 'after redis restart' });
    expect(await received).toEqual(sockets.map(() => 'after redis restart'));
  });
});

describe('startCluster processes', () => {
  it('should leave no process running after stop()', async () => {
    const own = await startCluster({ nodes: 1 });
    const pids = own.pids();
    expect(pids).toHaveLength(3);
    await own.stop();
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('should leave no process running when the process that started them is SIGKILLed', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./holdCluster.ts', import.meta.url))], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(createInterface({ input: holder.stdout }), 'line')) as [string];
    const { pids } = JSON.parse(line) as { pids: number[] };
    expect(pids).toHaveLength(3);
    expect(pids.every(isAlive)).toBe(true);

    holder.kill('SIGKILL');
    await once(holder, 'exit');
    await vi.waitFor(() => expect(pids.filter(isAlive)).toEqual([]), { timeout: 5000, interval: 50 });
  });
});
