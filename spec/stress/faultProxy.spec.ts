import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createFaultProxy, type FaultProxy } from '../helpers/createFaultProxy.js';
import { mulberry32 } from '../helpers/mulberry32.js';

/** A TCP server on port 0 that echoes (or only records) what each connection sends. */
interface Target {
  port: number;
  /** Server-side sockets, in accept order. */
  sockets: Socket[];
  /** Bytes received per connection, in accept order. */
  received: Buffer[];
  /** Error codes seen per connection (`ECONNRESET` after a cut). */
  errors: string[][];
  close(): Promise<void>;
}

async function startTarget(echo = true): Promise<Target> {
  const target: Omit<Target, 'port' | 'close'> = { sockets: [], received: [], errors: [] };
  const server: Server = createServer((socket) => {
    const index = target.sockets.push(socket) - 1;
    target.received[index] = Buffer.alloc(0);
    target.errors[index] = [];
    socket.on('data', (chunk) => {
      target.received[index] = Buffer.concat([target.received[index] ?? Buffer.alloc(0), chunk]);
      if (echo) socket.write(chunk);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => target.errors[index]?.push(error.code ?? error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    ...target,
    port,
    close: () => {
      for (const socket of target.sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A client socket through the proxy that records what it reads and how it ended. */
interface Client {
  socket: Socket;
  data: () => Buffer;
  errors: string[];
  closed: boolean;
}

async function open(proxy: FaultProxy): Promise<Client> {
  const socket = connect(proxy.port, '127.0.0.1');
  let data = Buffer.alloc(0);
  const client: Client = { socket, data: () => data, errors: [], closed: false };
  socket.on('data', (chunk) => (data = Buffer.concat([data, chunk])));
  socket.on('error', (error: NodeJS.ErrnoException) => client.errors.push(error.code ?? error.message));
  socket.on('close', () => (client.closed = true));
  // A refused connection may be reset before its `connect` is seen: `close` ends the wait too.
  await new Promise<void>((resolve) => socket.once('connect', resolve).once('close', () => resolve()));
  return client;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { echo?: boolean; seed?: number } = {}): Promise<{ target: Target; proxy: FaultProxy }> {
  const target = await startTarget(options.echo ?? true);
  cleanups.push(() => target.close());
  const proxy = await createFaultProxy(target.port, options.seed ?? 1);
  cleanups.push(() => proxy.close());
  return { target, proxy };
}

async function client(proxy: FaultProxy): Promise<Client> {
  const opened = await open(proxy);
  cleanups.push(() => void opened.socket.destroy());
  return opened;
}

describe('createFaultProxy', () => {
  describe('with no fault', () => {
    it('should pass bytes both ways unchanged', async () => {
      const { target, proxy } = await setup();
      const sent = randomBytes(64 * 1024);
      const { socket, data } = await client(proxy);
      socket.write(sent);

      await vi.waitFor(() => expect(data().length).toBe(sent.length));
      expect(data().equals(sent)).toBe(true);
      expect(target.received[0]?.equals(sent)).toBe(true);
      expect(proxy.stats()).toMatchObject({ forwarded: { up: sent.length, down: sent.length }, dropped: { up: 0, down: 0 } });
      expect(proxy.connections()).toBe(1);
    });
  });

  describe('with a delay and jitter', () => {
    it('should hold every byte at least the delay minus the jitter, and keep the order', async () => {
      const { proxy } = await setup();
      proxy.set('both', { delayMs: 40, jitterMs: 20, sliceBytes: 1 });
      const sent = randomBytes(2000);
      const { socket, data } = await client(proxy);
      const start = performance.now();
      socket.write(sent);

      await vi.waitFor(() => expect(data().length).toBe(sent.length), { timeout: 10_000 });
      // Up then down, each piece at least 40 - 20 ms: the round trip cannot be shorter.
      expect(performance.now() - start).toBeGreaterThanOrEqual(2 * 20);
      expect(data().equals(sent)).toBe(true);
      expect(proxy.stats().delays.every((delay) => delay >= 20 && delay <= 60)).toBe(true);
    });
  });

  describe('with slices', () => {
    it('should write small pieces that add up to the identical bytes', async () => {
      const { target, proxy } = await setup();
      proxy.set('both', { sliceBytes: 7 });
      const sent = randomBytes(10_000);
      const { socket, data } = await client(proxy);
      socket.write(sent);

      await vi.waitFor(() => expect(data().length).toBe(sent.length));
      expect(target.received[0]?.equals(sent)).toBe(true);
      expect(data().equals(sent)).toBe(true);
      // However TCP split the chunks, a 7-byte slicer needs at least this many writes.
      expect(proxy.stats().pieces.up).toBeGreaterThanOrEqual(Math.ceil(sent.length / 7));
    });
  });

  describe('with a blackhole', () => {
    it('should keep the connection open and drop every byte until it is lifted', async () => {
      const { target, proxy } = await setup({ echo: false });
      proxy.set('up', { blackhole: true });
      const { socket, errors } = await client(proxy);
      socket.write('lost');

      await vi.waitFor(() => expect(proxy.stats().dropped.up).toBe(4));
      proxy.set('up', {});
      socket.write('kept');
      await vi.waitFor(() => expect(target.received[0]?.toString()).toBe('kept'));
      expect(proxy.connections()).toBe(1);
      expect(socket.destroyed).toBe(false);
      expect(errors).toEqual([]);
    });
  });

  describe('cut()', () => {
    it('should reset both sides of every open connection', async () => {
      const { target, proxy } = await setup();
      const first = await client(proxy);
      const second = await client(proxy);
      await vi.waitFor(() => expect(target.sockets).toHaveLength(2));

      expect(proxy.cut()).toBe(2);
      await vi.waitFor(() => expect(first.closed && second.closed).toBe(true));
      await vi.waitFor(() => expect(target.sockets.every((socket) => socket.destroyed)).toBe(true));
      expect(first.errors).toEqual(['ECONNRESET']);
      expect(second.errors).toEqual(['ECONNRESET']);
      expect(target.errors).toEqual([['ECONNRESET'], ['ECONNRESET']]);
      expect(proxy.connections()).toBe(0);
      expect(proxy.stats().cutConnections).toBe(2);
    });
  });

  describe('refuse()', () => {
    it('should reset new connections without reaching the target, until turned off', async () => {
      const { target, proxy } = await setup();
      proxy.refuse(true);
      const refused = await client(proxy);
      await vi.waitFor(() => expect(refused.closed).toBe(true));
      expect(target.sockets).toHaveLength(0);
      expect(proxy.stats().refused).toBe(1);

      proxy.refuse(false);
      const { socket, data } = await client(proxy);
      socket.write('back');
      await vi.waitFor(() => expect(data().toString()).toBe('back'));
      expect(proxy.accepted).toBe(2);
    });
  });

  describe('refuseUpgrades()', () => {
    it('should reset a WebSocket upgrade request and pass plain HTTP', async () => {
      const { target, proxy } = await setup({ echo: false });
      proxy.refuseUpgrades(true);
      const upgrade = await client(proxy);
      upgrade.socket.write(
        'GET /socket.io/?transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
      );
      const plain = await client(proxy);
      plain.socket.write('GET /socket.io/?transport=polling HTTP/1.1\r\nHost: x\r\n\r\n');

      await vi.waitFor(() => expect(upgrade.closed).toBe(true));
      await vi.waitFor(() => expect(target.received.some((bytes) => bytes.toString().includes('transport=polling'))).toBe(true));
      expect(target.received.some((bytes) => bytes.toString().includes('Upgrade'))).toBe(false);
      expect(plain.closed).toBe(false);
      expect(proxy.stats().refusedUpgrades).toBe(1);
    });
  });

  describe('retarget()', () => {
    it('should send new connections to the new port and leave open ones where they are', async () => {
      const { target, proxy } = await setup({ echo: false });
      const other = await startTarget(false);
      cleanups.push(() => other.close());
      const before = await client(proxy);
      proxy.retarget(other.port);
      const after = await client(proxy);
      before.socket.write('old');
      after.socket.write('new');

      await vi.waitFor(() => expect(target.received[0]?.toString()).toBe('old'));
      await vi.waitFor(() => expect(other.received[0]?.toString()).toBe('new'));
    });

    it('should reset the client when the new target refuses, as a server being restarted does', async () => {
      const { proxy } = await setup();
      const gone = await startTarget();
      await gone.close();
      proxy.retarget(gone.port);
      const refused = await client(proxy);
      await vi.waitFor(() => expect(refused.closed).toBe(true));
      expect(proxy.connections()).toBe(0);
    });
  });

  describe('with a seed', () => {
    async function delaysOf(seed: number, sent: Buffer): Promise<{ delays: readonly number[]; echoed: Buffer }> {
      const { proxy } = await setup({ seed });
      proxy.set('up', { delayMs: 5, jitterMs: 5, sliceBytes: 1 });
      const { socket, data } = await client(proxy);
      socket.write(sent);
      await vi.waitFor(() => expect(data().length).toBe(sent.length), { timeout: 10_000 });
      return { delays: proxy.stats().delays, echoed: data() };
    }

    it('should replay the same jitter for the same seed and bytes', async () => {
      const sent = Buffer.from(Array.from({ length: 300 }, (_, index) => index % 256));
      const first = await delaysOf(42, sent);
      const again = await delaysOf(42, sent);
      const other = await delaysOf(43, sent);

      expect(first.delays).toHaveLength(sent.length);
      expect(again.delays).toEqual(first.delays);
      expect(other.delays).not.toEqual(first.delays);
      expect(first.echoed.equals(sent) && again.echoed.equals(sent)).toBe(true);
      // The delays are the RNG's draws, so a seed alone says what a run did.
      const random = mulberry32(42);
      expect(first.delays[0]).toBeCloseTo(5 + 5 * (2 * random() - 1), 9);
    });
  });
});
