import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Subscription } from 'rxjs';
import type { Manager, Socket } from 'socket.io-client';
import { connectRouted, type ConnectChange } from '../../src/transport/connectRouted.js';
import { socket$ } from '../../src/transport/socket$.js';
import { jobSocket, type NamespaceServer, settled, startNamespaceServer, untilConnected } from './namespaceServer.js';

describe('connectRouted', () => {
  let server: NamespaceServer;
  let manager: Manager;
  let root: Socket;

  /** Listeners of the manager's packet broadcast: the root socket's, the router's, any fallback's. */
  const packetListeners = () => manager.listeners('packet').length;
  /** A routed job socket of `nsp`, connected, with its server side. */
  const routed = async (nsp: string) => {
    const job = jobSocket(manager, nsp);
    expect(connectRouted(job.socket)).toBe(true);
    await untilConnected(job.socket);
    const [remote] = await server.connected(nsp);
    return { ...job, remote: remote! };
  };

  beforeEach(async () => {
    server = await startNamespaceServer();
    manager = server.manager();
    // As in jobstream, the registered root socket keeps the shared connection open.
    root = manager.socket('/').connect();
    await untilConnected(root);
  });
  afterEach(async () => {
    await server.close();
  });

  describe('with the installed socket.io-client', () => {
    it("should deliver each namespace's events to its own socket only, through one manager listener", async () => {
      const sockets = await Promise.all(['/ns/a', '/ns/b', '/ns/c'].map(routed));
      const [a, b, c] = sockets as [(typeof sockets)[0], (typeof sockets)[0], (typeof sockets)[0]];

      a.remote.emit('news', 'a1');
      b.remote.emit('news', 'b1');
      a.remote.emit('news', 'a2');
      await settled(a.socket);

      expect(a.heard).toEqual(['a1', 'a2']);
      expect(b.heard).toEqual(['b1']);
      expect(c.heard).toEqual([]);
      expect(packetListeners()).toBe(2);
    });

    it('should keep acks working both ways', async () => {
      const a = await routed('/ns/a');
      a.socket.on('ask', (question: string, ack: (answer: string) => void) => ack(`${question}!`));

      await expect(a.socket.timeout(2000).emitWithAck('echo', { n: 1 })).resolves.toEqual({ n: 1 });
      await expect(a.remote.timeout(2000).emitWithAck('ask', 'why')).resolves.toBe('why!');
    });

    it('should deliver once to the same socket disconnected and connected again', async () => {
      const a = await routed('/ns/a');
      a.remote.emit('news', 1);
      await settled(a.socket);

      a.socket.disconnect();
      await server.connected('/ns/a', 0);
      expect(connectRouted(a.socket)).toBe(true);
      await untilConnected(a.socket);
      const [again] = await server.connected('/ns/a');
      again!.emit('news', 2);
      await settled(a.socket);

      expect(a.heard).toEqual([1, 2]);
      expect(packetListeners()).toBe(2);
    });

    it('should deliver once to a routed socket that socket.io-client connects again by itself', async () => {
      const a = await routed('/ns/a');
      a.socket.disconnect();
      await server.connected('/ns/a', 0);

      // A plain connect puts the socket back on the broadcast, so its route must be gone.
      a.socket.connect();
      await untilConnected(a.socket);
      const [again] = await server.connected('/ns/a');
      again!.emit('news', 'plain');
      await settled(a.socket);

      expect(a.heard).toEqual(['plain']);
    });

    it('should deliver nothing to a disconnected socket, even when another socket opens its namespace', async () => {
      const a = await routed('/ns/a');
      const connects = vi.fn();
      a.socket.on('connect', connects);
      a.socket.disconnect();
      await server.connected('/ns/a', 0);

      // The newcomer's CONNECT and events carry the namespace the old socket listened to.
      const b = await routed('/ns/a');
      b.remote.emit('news', 'late');
      await settled(b.socket);

      expect(b.heard).toEqual(['late']);
      expect(a.heard).toEqual([]);
      expect(a.socket.connected).toBe(false);
      expect(connects).not.toHaveBeenCalled();
    });

    it('should deliver again once the manager closes and opens again', async () => {
      const a = await routed('/ns/a');
      const reasons: string[] = [];
      a.socket.on('disconnect', (reason) => reasons.push(reason));

      // The last registered socket leaving closes the shared connection, job sockets included.
      root.disconnect();
      await vi.waitFor(() => expect(reasons).toEqual(['forced close']));
      await server.connected('/ns/a', 0);
      root.connect();
      await untilConnected(a.socket);
      const [again] = await server.connected('/ns/a');
      again!.emit('news', 'after');
      await settled(a.socket);

      expect(a.heard).toEqual(['after']);
      expect(packetListeners()).toBe(2);
    });

    it('should leave an already active socket as it is, delivering once', async () => {
      const a = await routed('/ns/a');

      expect(connectRouted(a.socket)).toBe(false);
      a.remote.emit('news', 'once');
      await settled(a.socket);

      expect(a.heard).toEqual(['once']);
      expect(packetListeners()).toBe(2);
    });
  });

  describe('when a socket lost its teardown', () => {
    it('should drop its stale route on the next connect, delivering once', async () => {
      const a = await routed('/ns/a');
      // As if a socket.io-client release tore subscriptions down without running each one.
      (a.socket as unknown as { subs: unknown[] }).subs.pop();
      a.socket.disconnect();
      await server.connected('/ns/a', 0);

      expect(connectRouted(a.socket)).toBe(true);
      await untilConnected(a.socket);
      const [again] = await server.connected('/ns/a');
      again!.emit('news', 'once');
      await settled(a.socket);

      expect(a.heard).toEqual(['once']);
    });
  });

  describe('with internals it does not recognize', () => {
    it("should leave the socket on socket.io-client's broadcast, delivering its events and acks", async () => {
      const recognize = vi.fn((_: ConnectChange) => false);
      const a = jobSocket(manager, '/ns/a');

      expect(connectRouted(a.socket, { recognize })).toBe(false);
      const b = await routed('/ns/b');
      await untilConnected(a.socket);
      const [remote] = await server.connected('/ns/a');
      remote!.emit('news', 'a1');
      b.remote.emit('news', 'b1');
      await settled(a.socket);

      expect(a.heard).toEqual(['a1']);
      expect(b.heard).toEqual(['b1']);
      await expect(a.socket.timeout(2000).emitWithAck('echo', 'ok')).resolves.toBe('ok');
      expect(recognize).toHaveBeenCalledWith({ added: [expect.any(Function)], subs: expect.any(Array), nsp: '/ns/a' });
      // Root, router, and the fallback socket's own listener, which socket.io-client removes itself.
      expect(packetListeners()).toBe(3);
      a.socket.disconnect();
      expect(packetListeners()).toBe(2);
    });

    it('should deliver through the broadcast after a routed life of the same socket', async () => {
      const a = await routed('/ns/a');
      a.socket.disconnect();
      await server.connected('/ns/a', 0);

      expect(connectRouted(a.socket, { recognize: () => false })).toBe(false);
      await untilConnected(a.socket);
      const [again] = await server.connected('/ns/a');
      again!.emit('news', 'plain');
      await settled(a.socket);

      expect(a.heard).toEqual(['plain']);
    });
  });
});

describe('socket$ on job namespaces', () => {
  let server: NamespaceServer;
  let manager: Manager;
  const subscriptions: Subscription[] = [];

  /** A connected socket of `namespace` from socket$, open until the spec ends. */
  const open = async (namespace: string): Promise<Socket> => {
    let socket: Socket | undefined;
    subscriptions.push(
      socket$(manager, namespace, { requestId: 'req-route' }).subscribe({
        next: (connected) => (socket = connected),
        error: (error: unknown) => expect.unreachable(String(error)),
      }),
    );
    await vi.waitFor(() => expect(socket).toBeDefined());
    return socket!;
  };

  beforeEach(async () => {
    server = await startNamespaceServer();
    manager = server.manager();
  });
  afterEach(async () => {
    // Jobs first: the root leaving closes the connection under them.
    for (const subscription of subscriptions.splice(0).reverse()) subscription.unsubscribe();
    await server.close();
  });

  it('should hand every job its own events through one manager listener, however many jobs', async () => {
    await open('/');
    const namespaces = Array.from({ length: 20 }, (_, index) => `/ns/job${index}`);
    const sockets = await Promise.all(namespaces.map(open));
    const heard = sockets.map((socket) => {
      const values: unknown[] = [];
      socket.on('news', (value: unknown) => values.push(value));
      return values;
    });

    for (const namespace of namespaces) server.io.of(namespace).emit('news', namespace);
    await Promise.all(sockets.map(settled));

    expect(heard).toEqual(namespaces.map((namespace) => [namespace]));
    // The root socket's listener and the router's.
    expect(manager.listeners('packet')).toHaveLength(2);
  });
});
