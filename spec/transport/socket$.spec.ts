import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstValueFrom, lastValueFrom, Subscription, toArray } from 'rxjs';
import { Manager, type Socket } from 'socket.io-client';
import { createJobServer, type JobServer } from '../../src/server/index.js';
import { ack$ } from '../../src/transport/ack$.js';
import { ConnectionLostError } from '../../src/transport/ConnectionLostError.js';
import { socket$, type SocketConfig } from '../../src/transport/socket$.js';
import { recordHandshakeAuth } from '../helpers/handshakeAuth.js';

/** What a `socket$` subscription saw: its sockets, its error, and the subscription to end it. */
interface Watched {
  sockets: Socket[];
  error: unknown;
  subscription: Subscription;
}

describe('socket$', () => {
  let server: JobServer;
  let manager: Manager;
  const watched: Watched[] = [];

  /** Subscribes to `socket$` on the spec's manager and records what it emits. */
  const watch = (namespace: string, config: Partial<SocketConfig> = {}): Watched => {
    const record: Watched = { sockets: [], error: undefined, subscription: new Subscription() };
    record.subscription.add(
      socket$(manager, namespace, { requestId: 'req-1', ...config }).subscribe({
        next: (socket) => record.sockets.push(socket),
        error: (error: unknown) => (record.error = error),
      }),
    );
    watched.push(record);
    return record;
  };
  const connectedSocket = async (record: Watched): Promise<Socket> => {
    await vi.waitFor(() => expect(record.sockets).toHaveLength(1));
    return record.sockets[0]!;
  };
  const lostError = async (record: Watched): Promise<ConnectionLostError> => {
    await vi.waitFor(() => expect(record.error).toBeInstanceOf(ConnectionLostError));
    return record.error as ConnectionLostError;
  };
  /** The sockets socket.io's Manager counts when deciding to close the shared connection. */
  const registered = (): Record<string, Socket> => (manager as unknown as { nsps: Record<string, Socket> }).nsps;

  beforeEach(async () => {
    server = await createJobServer();
    manager = new Manager(server.url, { reconnection: false, autoConnect: false, transports: ['websocket'] });
  });
  afterEach(async () => {
    for (const record of watched.splice(0)) record.subscription.unsubscribe();
    // Typed as always there, `engine` is undefined until the first connect.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    manager.engine?.close();
    await server.close();
  });

  describe('on the root namespace', () => {
    it("should emit the manager's registered socket once connected, with the request id in auth", async () => {
      const socket = await connectedSocket(watch('/', { requestId: 'req-root' }));

      expect(socket.connected).toBe(true);
      expect(registered()['/']).toBe(socket);
      expect(server.control.handshakes).toEqual([{ namespace: '/', requestId: 'req-root' }]);
    });

    it('should error with ConnectionLostError and the reason when the server disconnects it', async () => {
      const record = watch('/');
      const socket = await connectedSocket(record);

      server.io.of('/').sockets.get(socket.id ?? '')?.disconnect();

      const error = await lostError(record);
      expect(error).toMatchObject({ reason: 'io server disconnect', namespace: '/' });
      expect(error.message).toContain('io server disconnect');
    });

    it('should error with ConnectionLostError when the connection is cut', async () => {
      const record = watch('/');
      await connectedSocket(record);

      server.control.dropConnections();

      expect(await lostError(record)).toMatchObject({ reason: 'transport close', namespace: '/' });
    });

    it('should error with ConnectionLostError on connect_error, the server refusing handshakes', async () => {
      server.control.stopSocket();

      const error = await lostError(watch('/'));

      expect(error.namespace).toBe('/');
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.reason).toBe((error.cause as Error).message);
      expect(server.control.handshakes).toHaveLength(0);
    });

    it('should disconnect when unsubscribed, and the server should see the connection go', async () => {
      const record = watch('/');
      const socket = await connectedSocket(record);
      const reasons: string[] = [];
      server.io.of('/').sockets.get(socket.id ?? '')?.once('disconnect', (reason) => reasons.push(reason));
      expect(server.control.engineConnections()).toBe(1);

      record.subscription.unsubscribe();

      expect(socket.connected).toBe(false);
      await vi.waitFor(() => expect(reasons).toEqual(['client namespace disconnect']));
      await vi.waitFor(() => expect(server.control.engineConnections()).toBe(0));
      expect(record.error).toBeUndefined();
    });

    it('should close the shared connection when it leaves, even with a job socket still open', async () => {
      const root = watch('/');
      await connectedSocket(root);
      const job = watch(`/ws/generations/${server.jobs.createGeneration()}`);
      await connectedSocket(job);

      root.subscription.unsubscribe();

      await vi.waitFor(() => expect(server.control.engineConnections()).toBe(0));
      expect(await lostError(job)).toBeInstanceOf(ConnectionLostError);
    });
  });

  describe('on a job namespace', () => {
    it('should emit a connected socket that is kept out of the manager registry', async () => {
      const id = server.jobs.createGeneration();
      const namespace = `/ws/generations/${id}`;

      const socket = await connectedSocket(watch(namespace, { requestId: 'req-job' }));

      expect(socket.connected).toBe(true);
      expect(registered()[namespace]).toBeUndefined();
      expect(server.control.handshakes).toEqual([{ namespace, requestId: 'req-job' }]);
    });

    it('should share the root socket connection', async () => {
      await connectedSocket(watch('/'));
      await connectedSocket(watch(`/ws/generations/${server.jobs.createGeneration()}`));
      await connectedSocket(watch(`/ws/compositions/${server.jobs.createComposition()}`));

      expect(server.control.handshakes).toHaveLength(3);
      expect(server.control.engineConnections()).toBe(1);
    });

    it('should keep the shared connection open when it closes while the root is connected', async () => {
      const id = server.jobs.createGeneration();
      const root = await connectedSocket(watch('/'));
      const record = watch(`/ws/generations/${id}`);
      const socket = await connectedSocket(record);
      await firstValueFrom(ack$(socket, 'subscribe', { type: 'subscribe', generation_id: id }));
      expect(server.control.namespaceSockets(id)).toBe(1);

      record.subscription.unsubscribe();

      await vi.waitFor(() => expect(server.control.namespaceSockets(id)).toBe(0));
      expect(root.connected).toBe(true);
      expect(server.control.engineConnections()).toBe(1);
      // The link is still usable, not merely not yet closed.
      await expect(firstValueFrom(ack$(root, 'heartbeat'))).resolves.toMatchObject({ t: expect.any(Number) });
    });

    it('should error with ConnectionLostError when the server refuses the namespace', async () => {
      const error = await lostError(watch('/not-a-job'));

      expect(error).toMatchObject({ reason: 'Invalid namespace', namespace: '/not-a-job' });
    });
  });

  describe('with auth', () => {
    it('should call auth on each handshake and send what it returns with the request id', async () => {
      let calls = 0;
      const auth = vi.fn(() => ({ token: `t${++calls}` }));
      const sent = recordHandshakeAuth(server);

      const first = watch('/', { auth });
      await connectedSocket(first);
      first.subscription.unsubscribe();
      await vi.waitFor(() => expect(server.control.engineConnections()).toBe(0));
      await connectedSocket(watch('/', { auth }));

      expect(auth).toHaveBeenCalledTimes(2);
      expect(sent).toEqual([
        { token: 't1', requestId: 'req-1' },
        { token: 't2', requestId: 'req-1' },
      ]);
    });

    it("should send each subscription's own request id, though the manager caches its root socket", async () => {
      const sent = recordHandshakeAuth(server);
      const first = watch('/', { requestId: 'req-a' });
      await connectedSocket(first);
      first.subscription.unsubscribe();
      await vi.waitFor(() => expect(server.control.engineConnections()).toBe(0));
      await connectedSocket(watch('/', { requestId: 'req-b' }));

      expect(sent.map((auth) => auth.requestId)).toEqual(['req-a', 'req-b']);
    });

    it('should wait for an async auth provider', async () => {
      const auth = () => new Promise<Record<string, unknown>>((resolve) => setImmediate(() => resolve({ token: 'async' })));
      const sent = recordHandshakeAuth(server);

      await connectedSocket(watch('/', { auth, requestId: 'req-async' }));

      expect(sent).toEqual([{ token: 'async', requestId: 'req-async' }]);
    });

    it('should send no handshake for a job socket unsubscribed while its auth provider is pending', async () => {
      const root = await connectedSocket(watch('/'));
      const namespace = `/ws/generations/${server.jobs.createGeneration()}`;
      let release: ((credentials: Record<string, unknown>) => void) | undefined;
      const auth = () => new Promise<Record<string, unknown>>((resolve) => (release = resolve));
      const job = watch(namespace, { auth });
      await vi.waitFor(() => expect(release).toBeDefined());

      job.subscription.unsubscribe();
      release?.({ token: 'late' });
      // Lets the provider's answer reach socket.io, then waits for the server to have read every
      // packet sent before this heartbeat.
      await new Promise((resolve) => setImmediate(resolve));
      await firstValueFrom(ack$(root, 'heartbeat'));

      expect(server.control.handshakes.map((handshake) => handshake.namespace)).toEqual(['/']);
      expect(server.io.of(namespace).sockets.size).toBe(0);
    });

    it('should let the request id win over one the auth provider returns', async () => {
      await connectedSocket(watch('/', { auth: () => ({ requestId: 'spoofed' }), requestId: 'req-real' }));

      expect(server.control.requestIds).toEqual(['req-real']);
    });

    it.each([
      ['throws', (): Record<string, unknown> => {
        throw new Error('refresh token expired');
      }],
      ['rejects', () => Promise.reject(new Error('refresh token expired'))],
    ])('should error with ConnectionLostError "auth provider failed" when auth %s', async (_, auth) => {
      const error = await lostError(watch('/', { auth }));

      expect(error).toMatchObject({ reason: 'auth provider failed', namespace: '/' });
      expect(error.cause).toEqual(new Error('refresh token expired'));
      expect(server.control.handshakes).toHaveLength(0);
    });
  });
});

describe('ack$', () => {
  let server: JobServer;
  let manager: Manager;
  const subscriptions: Subscription[] = [];

  /** A connected socket of `namespace` on the spec's manager, open until the spec ends. */
  const open = async (namespace: string): Promise<Socket> => {
    let socket: Socket | undefined;
    subscriptions.push(socket$(manager, namespace, { requestId: 'req-ack' }).subscribe((connected) => (socket = connected)));
    await vi.waitFor(() => expect(socket).toBeDefined());
    return socket!;
  };

  beforeEach(async () => {
    server = await createJobServer();
    manager = new Manager(server.url, { reconnection: false, autoConnect: false, transports: ['websocket'] });
  });
  afterEach(async () => {
    for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
    await server.close();
  });

  it("should emit the server's ack once and complete", async () => {
    const root = await open('/');

    const values = await lastValueFrom(ack$(root, 'heartbeat').pipe(toArray()));

    expect(values).toEqual([{ t: expect.any(Number) }]);
  });

  it('should send its payload with the event', async () => {
    const id = server.jobs.createGeneration({ clips: 2 });
    const socket = await open(`/ws/generations/${id}`);

    const snapshot = await firstValueFrom(ack$(socket, 'subscribe', { type: 'subscribe', generation_id: id }));

    expect(snapshot).toEqual(server.jobs.get(id));
    expect(server.control.namespaceSockets(id)).toBe(1);
  });

  it('should drop an ack that arrives after unsubscribing', async () => {
    const root = await open('/');
    const held: ((answer: unknown) => void)[] = [];
    server.io.of('/').sockets.get(root.id ?? '')?.on('slow', (ack: (answer: unknown) => void) => held.push(ack));
    const next = vi.fn();
    const complete = vi.fn();

    const subscription = ack$(root, 'slow').subscribe({ next, complete });
    await vi.waitFor(() => expect(held).toHaveLength(1));
    subscription.unsubscribe();
    held[0]?.('late');
    // Packets of one connection arrive in order: once this ack is in, the late one was too.
    await firstValueFrom(ack$(root, 'heartbeat'));

    expect(next).not.toHaveBeenCalled();
    expect(complete).not.toHaveBeenCalled();
  });
});
