import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWebSocketConnection, DEFAULT_WEBSOCKET_CONFIG, type WebSocketManager } from '../../src/compat/index.js';
import { viteEnv } from '../../src/compat/viteEnv.js';
import { memoryStorage, outbox } from '../../src/outbox.js';
import type { CompletedEvent } from '../../src/protocol/index.js';
import { FAST, startHarness, type Harness } from '../helpers/liveClient.js';

const ENDPOINT = '/ws/generations/gen_1';

describe('createWebSocketConnection', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  describe('with a url', () => {
    it('should apply the plan\'s defaults', () => {
      const connection = createWebSocketConnection(ENDPOINT, { url: 'https://api.example.com' });
      expect(connection.config).toEqual({
        url: 'https://api.example.com',
        reconnectionAttempts: 5,
        reconnectionDelay: 1000,
        timeout: 300_000,
        enablePollingFallback: true,
      });
      expect(DEFAULT_WEBSOCKET_CONFIG).toEqual({ reconnectionAttempts: 5, reconnectionDelay: 1000, timeout: 300_000, enablePollingFallback: true });
    });

    it('should let the given config win, ignoring fields set to undefined', () => {
      const connection = createWebSocketConnection(ENDPOINT, {
        url: 'https://api.example.com',
        reconnectionAttempts: 2,
        timeout: undefined,
        enablePollingFallback: false,
      });
      expect(connection.config).toMatchObject({ reconnectionAttempts: 2, timeout: 300_000, enablePollingFallback: false });
    });

    it('should throw a TypeError for a malformed url', () => {
      expect(() => createWebSocketConnection(ENDPOINT, { url: 'not a url' })).toThrow(TypeError);
    });
  });

  describe('without a url', () => {
    it('should take VITE_WS_URL and the other VITE_* variables from the environment', () => {
      vi.stubGlobal('location', { origin: 'https://page.example.com' });
      const env = { VITE_WS_URL: 'wss://ws.example.com', VITE_WS_RECONNECT_ATTEMPTS: '7', VITE_WS_TIMEOUT: '60000', VITE_ENABLE_POLLING_FALLBACK: 'false' };
      expect(createWebSocketConnection(ENDPOINT, undefined, { env }).config).toEqual({
        url: 'wss://ws.example.com',
        reconnectionAttempts: 7,
        reconnectionDelay: 1000,
        timeout: 60_000,
        enablePollingFallback: false,
      });
    });

    it('should let the given config win over the environment', () => {
      const env = { VITE_WS_URL: 'wss://ws.example.com', VITE_WS_RECONNECT_ATTEMPTS: '7' };
      const connection = createWebSocketConnection(ENDPOINT, { url: 'https://api.example.com', reconnectionAttempts: 1 }, { env });
      expect(connection.config).toMatchObject({ url: 'https://api.example.com', reconnectionAttempts: 1 });
    });

    it('should throw a TypeError naming a malformed variable', () => {
      expect(() => createWebSocketConnection(ENDPOINT, { url: 'https://api.example.com' }, { env: { VITE_WS_TIMEOUT: 'soon' } })).toThrow(/VITE_WS_TIMEOUT/);
    });

    it('should read Vite\'s import.meta.env by default', () => {
      expect(viteEnv()).toMatchObject({ MODE: 'test' });
    });

    it('should fall back to the page origin', () => {
      vi.stubGlobal('location', { origin: 'https://page.example.com' });
      expect(createWebSocketConnection(ENDPOINT).config.url).toBe('https://page.example.com');
    });

    it('should throw a TypeError that says what to pass when there is no page (SSR)', () => {
      expect(globalThis.location).toBeUndefined();
      expect(() => createWebSocketConnection(ENDPOINT)).toThrow(TypeError);
      expect(() => createWebSocketConnection(ENDPOINT)).toThrow(/VITE_WS_URL.*\{ url: /);
    });
  });

  describe('against the server', () => {
    let harness: Harness;
    let connection: WebSocketManager | undefined;
    beforeEach(async () => {
      harness = await startHarness();
    });
    afterEach(async () => {
      connection?.dispose();
      await harness.close();
    });

    it('should follow the factory\'s endpoint when connect() gets none', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 2, stepMs: 10 });
      connection = createWebSocketConnection(`/ws/generations/${id}`, { url: server.url }, { streams: { ...FAST, outbox: outbox({ storage: memoryStorage() }) } });
      const completed: CompletedEvent['data'][] = [];
      connection.subscribe<CompletedEvent['data']>('completed', (data) => completed.push(data));

      await connection.connect();

      await vi.waitFor(() => expect(completed).toHaveLength(1), { timeout: 5000 });
      expect(completed[0]?.video_url).toBe(server.jobs.get(id)?.video_url);
    });

    it('should let a reconnection delay given in streams win over the environment', async () => {
      const { server } = harness;
      server.control.stopSocket();
      connection = createWebSocketConnection(
        '/ws/generations/gen_1',
        { url: server.url },
        {
          env: { VITE_WS_RECONNECT_DELAY: '4000' },
          streams: { ...FAST, reconnection: { delay: 50, maxDelay: 10_000, jitter: 0 }, outbox: outbox({ storage: memoryStorage() }) },
        },
      );
      connection.connect().catch(() => undefined);

      await vi.waitFor(() => expect(connection?.getConnectionState().nextRetryAt).toBeInstanceOf(Date));
      const { nextRetryAt, disconnectedAt } = connection.getConnectionState();
      expect(nextRetryAt!.getTime() - disconnectedAt!.getTime()).toBeLessThan(1000);
    });
  });
});
