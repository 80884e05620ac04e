import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { io, type Socket } from 'socket.io-client';
import { startProcessWatchdog, type ProcessWatchdog } from '../../demo/cluster/processWatchdog.js';
import { startRedis, type RedisProcess } from '../../demo/cluster/startRedis.js';
import { createJobServer, NODE_HEADER, type JobServer, type RedisClientLike } from '../../src/server/index.js';
import { trackProcessErrors } from '../helpers/trackProcessErrors.js';

let watchdog: ProcessWatchdog;
let redis: RedisProcess;
const servers: JobServer[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  watchdog = startProcessWatchdog();
  redis = await startRedis({ watchdog });
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(async () => {
  await redis.stop();
  watchdog.close();
});

async function serve(options: Parameters<typeof createJobServer>[0]): Promise<JobServer> {
  const server = await createJobServer(options);
  servers.push(server);
  return server;
}

async function connectTo(server: JobServer): Promise<Socket> {
  const socket = io(server.url, { transports: ['websocket'], forceNew: true });
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return socket;
}

describe('createJobServer', () => {
  describe('with redis', () => {
    it('should name its node in every HTTP response, REST and engine.io alike', async () => {
      const server = await serve({ redis: redis.url, nodeId: 'alpha' });
      expect(server.cluster?.id).toBe('alpha');
      const rest = await fetch(`${server.url}/api/v1/generations/gen_nobody`);
      const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
      expect([rest.headers.get(NODE_HEADER), handshake.headers.get(NODE_HEADER)]).toEqual(['alpha', 'alpha']);
      expect(handshake.status).toBe(200);
      await Promise.all([rest.body?.cancel(), handshake.body?.cancel()]);
    });

    it('should deliver each server’s broadcasts to the sockets of the other, from a URL or a connected client', async () => {
      const client = createClient({ url: redis.url });
      client.on('error', () => undefined);
      await client.connect();
      try {
        const fromUrl = await serve({ redis: redis.url, nodeId: 'from-url' });
        const fromClient = await serve({ redis: client as RedisClientLike, nodeId: 'from-client' });
        const both = await Promise.all([connectTo(fromUrl), connectTo(fromClient)]);
        const received = both.map(() => [] as unknown[]);
        both.forEach((socket, index) => socket.on('probe', (payload) => received[index]?.push(payload)));

        fromUrl.io.emit('probe', 'from the URL server');
        fromClient.io.emit('probe', 'from the client server');
        await vi.waitFor(() => expect(received.map((payloads) => payloads.length)).toEqual([2, 2]));
        // Each socket got its own server's broadcast and the other's (in an order of their own: a
        // node delivers its own after Redis took it, the other's when it reads the stream).
        const expected = ['from the URL server', 'from the client server'];
        expect(received.map((payloads) => [...payloads].sort())).toEqual([expected, expected]);

        await Promise.all(servers.splice(0).map((server) => server.close()));
        // The client made from the URL is the server's; the one passed in stays the caller's.
        expect([fromUrl.cluster?.redis.isOpen, client.isOpen]).toEqual([false, true]);
      } finally {
        client.destroy();
      }
    });

    it('should refuse a redis option or a node id it cannot use, with a TypeError saying what it needs', async () => {
      const unconnected = createClient({ url: redis.url });
      await expect(createJobServer({ redis: 'http://127.0.0.1:6379' })).rejects.toThrow(
        new TypeError('redis must be a redis:// or rediss:// URL or a connected client; got "http://127.0.0.1:6379"'),
      );
      await expect(createJobServer({ redis: unconnected as RedisClientLike })).rejects.toThrow(
        new TypeError('The redis client is not connected: await client.connect() before createJobServer'),
      );
      await expect(createJobServer({ redis: {} as RedisClientLike })).rejects.toThrow(
        new TypeError('redis must be a Redis URL or a client of the redis package; got object'),
      );
      await expect(createJobServer({ redis: redis.url, nodeId: 'node 1' })).rejects.toThrow(/^nodeId must be 1 to 64 letters/);
    });

    it('should close right after it started without leaving the adapter an unhandled rejection', async () => {
      const errors = trackProcessErrors();
      try {
        for (let round = 0; round < 5; round++) await (await createJobServer({ redis: redis.url })).close();
        // A SUBSCRIBE the adapter left waiting was rejected when its client closed, a tick later.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(errors.list).toEqual([]);
      } finally {
        errors.stop();
      }
    });

    it('should say Redis cannot be reached instead of retrying for ever', async () => {
      await expect(createJobServer({ redis: 'redis://127.0.0.1:1' })).rejects.toThrow(
        /^Cannot reach Redis at redis:\/\/127\.0\.0\.1:1: connect ECONNREFUSED/,
      );
    });
  });

  describe('without redis', () => {
    it('should be one process with no node id', async () => {
      const server = await serve({});
      const rest = await fetch(`${server.url}/api/v1/generations/gen_nobody`);
      await rest.body?.cancel();
      expect([server.cluster, rest.headers.get(NODE_HEADER)]).toEqual([undefined, null]);
    });

    it('should not need the Redis packages, and name them when redis is asked for without them', async () => {
      const fixture = fileURLToPath(new URL('./withoutRedisPackages.ts', import.meta.url));
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture]);
      expect(JSON.parse(stdout)).toEqual({
        plain: 'started',
        clustered: 'createJobServer({ redis }) needs two optional packages: npm install redis @socket.io/redis-streams-adapter',
      });
    });
  });
});
