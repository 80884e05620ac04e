import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { createJobServer, type JobServer, type JobServerOptions } from '../../src/server/index.js';
import { connect, connected, httpRequest, postJson } from './helpers.js';

const EVIL = 'http://evil.example';
const NEVER = 2 ** 31 - 1;

describe('createJobServer: Origin and Host', () => {
  let server: JobServer;
  const sockets: Socket[] = [];
  const open = (options: Parameters<typeof connect>[2] = {}): Socket => {
    const socket = connect(server, '', options);
    sockets.push(socket);
    return socket;
  };
  const restart = async (options: JobServerOptions) => {
    await server.close();
    server = await createJobServer(options);
  };

  beforeEach(async () => {
    server = await createJobServer();
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await server.close();
  });

  describe('socket.io handshakes', () => {
    it('should refuse a page of another origin, so it cannot cancel a job through message', async () => {
      const id = server.jobs.startGeneration({ stepMs: NEVER });
      for (const transports of [['websocket'], ['polling']]) {
        const evil = open({ transports, extraHeaders: { origin: EVIL } });
        await expect(connected(evil)).rejects.toThrow();
        expect(evil.connected).toBe(false);
      }
      expect(server.control.handshakes).toEqual([]);
      expect(server.jobs.get(id)?.status).toBe('queued');

      // The server's own origin, a loopback page and a client that is no browser all get in.
      for (const origin of [server.url, 'http://localhost:3000', undefined]) {
        const socket = await connected(open({ extraHeaders: origin === undefined ? {} : { origin } }));
        expect(await socket.emitWithAck('message', { id: `m-${origin}`, event: 'note', data: null })).toEqual({
          id: `m-${origin}`,
        });
      }
    });

    it('should refuse a handshake reaching the server under a name it does not have (DNS rebinding)', async () => {
      const handshake = (host: string) => httpRequest(server, '/socket.io/?EIO=4&transport=polling', { headers: { host } });
      expect((await handshake(`evil.example:${server.port}`)).status).toBe(403);
      expect((await handshake(`localhost:${server.port}`)).status).toBe(200);
      expect((await handshake(`127.0.0.1:${server.port}`)).status).toBe(200);
    });
  });

  describe('REST', () => {
    it('should refuse a write from another origin with a 403, and allow its own, loopback ones and no Origin', async () => {
      const id = server.jobs.startGeneration({ stepMs: NEVER });
      const created = await postJson(server, '/api/v1/generations', {}, { origin: EVIL });
      const cancelled = await postJson(server, `/api/v1/generations/${id}/cancel`, {}, { origin: EVIL });
      for (const answer of [created, cancelled]) {
        expect(answer).toMatchObject({
          status: 403,
          body: { error: { code: 'FORBIDDEN', message: expect.stringContaining('allowedOrigins') } },
        });
      }
      expect(server.jobs.list()).toEqual([{ id, status: 'queued' }]);

      expect((await postJson(server, '/api/v1/generations', {}, { origin: server.url })).status).toBe(201);
      expect((await postJson(server, '/api/v1/generations', {})).status).toBe(201);
      const loopback = await postJson(server, '/api/v1/generations', {}, { origin: 'http://127.0.0.1:3000' });
      expect(loopback.status).toBe(201);
      expect(loopback.headers['access-control-allow-origin']).toBe('http://127.0.0.1:3000');
    });

    it('should give CORS headers and preflights to allowed origins only', async () => {
      const id = server.jobs.createGeneration();
      const read = (origin: string) => httpRequest(server, `/api/v1/generations/${id}`, { headers: { origin } });
      const preflight = (origin: string) =>
        httpRequest(server, '/api/v1/generations', {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type,x-request-id',
          },
        });

      expect((await read('http://localhost:5173')).headers).toMatchObject({
        'access-control-allow-origin': 'http://localhost:5173',
        'access-control-allow-credentials': 'true',
      });
      expect((await preflight('http://localhost:5173')).headers).toMatchObject({
        'access-control-allow-origin': 'http://localhost:5173',
        'access-control-allow-headers': 'content-type,x-request-id',
      });
      expect((await read(EVIL)).headers['access-control-allow-origin']).toBeUndefined();
      expect((await preflight(EVIL)).headers['access-control-allow-origin']).toBeUndefined();
    });

    it('should refuse any request whose Host is a name it was not given, and accept addresses and localhost', async () => {
      const id = server.jobs.createGeneration();
      const get = (host: string) => httpRequest(server, `/api/v1/generations/${id}`, { headers: { host } });
      expect(await get(`evil.example:${server.port}`)).toMatchObject({
        status: 403,
        body: { error: { code: 'FORBIDDEN', message: expect.stringContaining('allowedHosts') } },
      });
      for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, `app.localhost`]) {
        expect((await get(host)).status, host).toBe(200);
      }
    });
  });

  describe('with allowedOrigins and allowedHosts', () => {
    it('should allow exactly the origins and host names given', async () => {
      await restart({ allowedOrigins: ['https://app.example', 'http://never:*'], allowedHosts: ['dev.example'] });
      const create = (origin: string) => postJson(server, '/api/v1/generations', {}, { origin });
      expect((await create('https://app.example')).status).toBe(201);
      expect((await create('http://never:81')).status).toBe(201);
      expect((await create('http://localhost:3000')).status).toBe(403);
      expect((await create('https://app.example.evil')).status).toBe(403);
      const id = server.jobs.createGeneration();
      expect((await httpRequest(server, `/api/v1/generations/${id}`, { headers: { host: 'dev.example:8080' } })).status).toBe(
        200,
      );

      await restart({ allowedOrigins: ['*'], allowedHosts: ['*'] });
      expect((await create(EVIL)).status).toBe(201);
      expect((await httpRequest(server, '/api/v1/generations/x', { headers: { host: 'any.example' } })).status).toBe(404);
    });

    it('should refuse an entry that is not an origin, naming the forms it accepts', async () => {
      await expect(createJobServer({ allowedOrigins: ['app.example'] })).rejects.toThrow(
        /allowedOrigins: "app.example" is not an origin/,
      );
      await expect(createJobServer({ allowedOrigins: ['https://app.example/path'] })).rejects.toThrow(TypeError);
    });
  });

  describe('with publicOrigin', () => {
    it('should send absolute media URLs, and accept its host and origin', async () => {
      await restart({ publicOrigin: 'https://api.example' });
      const created = await postJson(
        server,
        '/api/v1/generations',
        { clips: 1, progressPerClip: 0, stepMs: 1 },
        { host: 'api.example', origin: 'https://api.example' },
      );
      expect(created.status).toBe(201);
      const { id } = created.body as { id: string };
      await vi.waitFor(() => expect(server.jobs.get(id)?.status).toBe('completed'));
      expect(server.jobs.get(id)).toMatchObject({
        video_url: `https://api.example/api/v1/videos/${id}.mp4`,
        clips: [{ thumbnail_url: `https://api.example/api/v1/thumbnails/${id}/1.svg` }],
      });
      await expect(createJobServer({ publicOrigin: 'https://api.example/v1' })).rejects.toThrow(
        /publicOrigin must be an http\(s\) origin/,
      );
    });
  });
});
