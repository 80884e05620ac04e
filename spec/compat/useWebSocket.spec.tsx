// @vitest-environment jsdom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useWebSocket, WebSocketConnectError, WebSocketService, type UseWebSocketOptions } from '../../src/compat/index.js';
import type { JobStreamsOptions } from '../../src/client/JobStreamsOptions.js';
import { memoryStorage, outbox } from '../../src/outbox.js';
import type { ClipCompletedEvent, ProgressEvent } from '../../src/protocol/index.js';
import { FAST, startHarness, type Harness } from '../helpers/liveClient.js';

let harness: Harness;
let problems: Error[];

function configure(options: JobStreamsOptions = {}): void {
  WebSocketService.configure({ url: harness.server.url, ...FAST, outbox: outbox({ storage: memoryStorage() }), onError: (error) => problems.push(error), ...options });
}

beforeEach(async () => {
  harness = await startHarness();
  problems = [];
  configure();
});
afterEach(async () => {
  cleanup();
  WebSocketService.reset();
  await harness.close();
});

const generation = (id: string) => `/ws/generations/${id}`;
const WAIT = { timeout: 5000 };

function renderWebSocket(options: UseWebSocketOptions) {
  return renderHook((props: UseWebSocketOptions) => useWebSocket(props), { initialProps: options });
}

describe('useWebSocket', () => {
  describe('with autoConnect', () => {
    it('should connect after mount, report it and call onConnect once', async () => {
      const id = harness.server.jobs.createGeneration();
      const onConnect = vi.fn();
      const { result } = renderWebSocket({ endpoint: generation(id), autoConnect: true, onConnect });
      expect(result.current.isConnected).toBe(false);

      await waitFor(() => expect(result.current.isConnected).toBe(true));
      expect(result.current.connectionStatus).toBe('connected');
      expect(result.current.connectionState).toMatchObject({ status: 'connected', transport: 'websocket' });
      expect(result.current.isPolling).toBe(false);
      expect(onConnect).toHaveBeenCalledTimes(1);
      await waitFor(() => expect(harness.server.control.namespaceSockets(id)).toBe(1));
    });

    it('should open one socket under StrictMode and close it on unmount', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration();
      const { result, unmount } = renderHook(() => useWebSocket({ endpoint: generation(id) }), { wrapper: StrictMode });

      await waitFor(() => expect(result.current.isConnected).toBe(true));
      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));
      expect(server.control.handshakes.filter(({ namespace }) => namespace === generation(id))).toHaveLength(1);
      expect(server.control.engineConnections()).toBe(1);

      unmount();
      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(0));
      await waitFor(() => expect(server.control.engineConnections()).toBe(0));
    });

    it('should report an invalid endpoint to onError', async () => {
      const onError = vi.fn();
      renderWebSocket({ endpoint: '/ws/jobs/1', onError });
      await waitFor(() => expect(onError).toHaveBeenCalledWith(expect.any(WebSocketConnectError)));
      expect(onError.mock.calls[0]?.[0]).toMatchObject({ reason: 'invalid_endpoint' });
    });
  });

  describe('without autoConnect', () => {
    it('should stay disconnected until connect(), and still close on unmount', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration();
      const { result, unmount } = renderWebSocket({ endpoint: generation(id), autoConnect: false });
      expect(result.current.connectionStatus).toBe('disconnected');
      expect(server.control.engineConnections()).toBe(0);

      act(() => result.current.connect());

      await waitFor(() => expect(result.current.isConnected).toBe(true));
      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));
      unmount();
      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(0));
    });
  });

  describe('returned functions', () => {
    it('should keep their identity across rerenders with new callbacks, and call the latest callbacks', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration();
      const first = vi.fn();
      const { result, rerender } = renderWebSocket({ endpoint: generation(id), onConnect: first });
      await waitFor(() => expect(result.current.isConnected).toBe(true));
      const before = result.current;
      const handshakes = server.control.handshakes.length;

      const latest = vi.fn();
      rerender({ endpoint: generation(id), onConnect: latest, onDisconnect: () => {}, onError: () => {} });

      const after = result.current;
      for (const name of ['connect', 'disconnect', 'reconnect', 'subscribe', 'unsubscribe', 'emit', 'enablePolling', 'disablePolling'] as const) {
        expect(after[name], name).toBe(before[name]);
      }
      server.control.dropConnections();
      await waitFor(() => expect(latest).toHaveBeenCalledTimes(1), WAIT);
      expect(first).toHaveBeenCalledTimes(1);
      expect(server.control.handshakes.length).toBeGreaterThan(handshakes);
    });
  });

  describe('subscribe() and unsubscribe()', () => {
    it('should deliver the job\'s events to subscribed handlers and none to removed ones', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration({ clips: 3, stepMs: 10 });
      const { result } = renderWebSocket({ endpoint: generation(id) });
      const percentages: number[] = [];
      const clips: string[] = [];
      const removed = vi.fn();
      const completed = vi.fn();
      act(() => {
        result.current.subscribe<ProgressEvent['data']>('progress', (data) => percentages.push(data.percentage));
        result.current.subscribe<ClipCompletedEvent['data']>('clip_completed', (data) => clips.push(data.clip_id));
        result.current.subscribe('clip_completed', removed);
        result.current.subscribe('completed', completed);
        result.current.unsubscribe('clip_completed', removed);
      });
      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));
      server.jobs.start(id);

      await waitFor(() => expect(completed).toHaveBeenCalledTimes(1), WAIT);
      expect(clips).toEqual([1, 2, 3].map((n) => `${id}_clip_${n}`));
      expect(percentages.length).toBeGreaterThanOrEqual(12);
      expect(removed).not.toHaveBeenCalled();
    });

    it('should follow a new endpoint with the same handlers', async () => {
      const { server } = harness;
      const [a, b] = [server.jobs.createGeneration(), server.jobs.createGeneration({ clips: 2, stepMs: 10 })];
      const { result, rerender } = renderWebSocket({ endpoint: generation(a) });
      const completed = vi.fn();
      act(() => result.current.subscribe('completed', completed));
      await waitFor(() => expect(server.control.namespaceSockets(a)).toBe(1));

      rerender({ endpoint: generation(b) });

      await waitFor(() => expect(server.control.namespaceSockets(b)).toBe(1));
      await waitFor(() => expect(server.control.namespaceSockets(a)).toBe(0));
      server.jobs.start(b);
      await waitFor(() => expect(completed).toHaveBeenCalledWith(expect.objectContaining({ video_url: server.jobs.get(b)?.video_url })), WAIT);
    });
  });

  describe('emit()', () => {
    it('should queue while offline and deliver once after the socket returns', async () => {
      const { server } = harness;
      const { result } = renderWebSocket({ endpoint: generation(server.jobs.createGeneration()) });
      await waitFor(() => expect(result.current.isConnected).toBe(true));

      server.control.stopSocket();
      await waitFor(() => expect(result.current.isConnected).toBe(false));
      act(() => result.current.emit('note', { text: 'offline' }));
      await waitFor(() => expect(result.current.connectionState.reconnectAttempts).toBeGreaterThanOrEqual(2));
      expect(server.control.outbox.received).toHaveLength(0);

      server.control.startSocket();
      await waitFor(() => expect(server.control.outbox.applied).toMatchObject([{ event: 'note', data: { text: 'offline' } }]), WAIT);
      expect(server.control.outbox.received).toHaveLength(1);
    });
  });

  describe('disconnect() and reconnect()', () => {
    it('should disconnect, call onDisconnect and close the namespace socket', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration();
      const onDisconnect = vi.fn();
      const { result } = renderWebSocket({ endpoint: generation(id), onDisconnect });
      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));

      act(() => result.current.disconnect());

      expect(result.current).toMatchObject({ isConnected: false, connectionStatus: 'disconnected' });
      expect(onDisconnect).toHaveBeenCalledTimes(1);
      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(0));

      act(() => result.current.reconnect());
      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));
      expect(result.current.isConnected).toBe(true);
    });

    it('should retry at once on reconnect() instead of waiting out the backoff', async () => {
      configure({ reconnection: { delay: 60_000, maxDelay: 60_000, jitter: 0 } });
      const { server } = harness;
      const { result } = renderWebSocket({ endpoint: generation(server.jobs.createGeneration()) });
      await waitFor(() => expect(result.current.isConnected).toBe(true));

      server.control.dropConnections();
      await waitFor(() => expect(result.current.connectionState.nextRetryAt).toBeInstanceOf(Date));
      expect(result.current.connectionState.nextRetryAt!.getTime() - Date.now()).toBeGreaterThan(30_000);

      act(() => result.current.reconnect());
      await waitFor(() => expect(result.current.isConnected).toBe(true));
    });

    it('should call onDisconnect when the server drops the connection, then onConnect again', async () => {
      const { server } = harness;
      const onConnect = vi.fn();
      const onDisconnect = vi.fn();
      const { result } = renderWebSocket({ endpoint: generation(server.jobs.createGeneration()), onConnect, onDisconnect });
      await waitFor(() => expect(result.current.isConnected).toBe(true));

      server.control.dropConnections();

      await waitFor(() => expect(onDisconnect).toHaveBeenCalledTimes(1));
      await waitFor(() => expect(onConnect).toHaveBeenCalledTimes(2), WAIT);
      expect(result.current.isConnected).toBe(true);
    });
  });

  describe('polling', () => {
    it('should poll REST on enablePolling() while connected, and stop on disablePolling()', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 20, stepMs: 30 });
      const { result } = renderWebSocket({ endpoint: generation(id), pollingInterval: 20 });
      const progress = vi.fn();
      act(() => result.current.subscribe('progress', progress));
      await waitFor(() => expect(result.current.isConnected).toBe(true));
      expect(result.current.isPolling).toBe(false);
      expect(server.control.restHits(id)).toBe(0);

      act(() => result.current.enablePolling());
      await waitFor(() => expect(result.current.isPolling).toBe(true));
      await waitFor(() => expect(server.control.restHits(id)).toBeGreaterThanOrEqual(3));

      act(() => result.current.disablePolling());
      expect(result.current.isPolling).toBe(false);
      const hits = server.control.restHits(id);
      const calls = progress.mock.calls.length;
      await waitFor(() => expect(progress.mock.calls.length).toBeGreaterThanOrEqual(calls + 4), WAIT);
      expect(server.control.restHits(id)).toBeLessThanOrEqual(hits + 1);
      expect(result.current.isConnected).toBe(true);
    });

    it('should fall back to polling while the socket is down and back to the socket when it returns', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 30, stepMs: 20 });
      const { result } = renderWebSocket({ endpoint: generation(id) });
      const progress = vi.fn();
      act(() => result.current.subscribe('progress', progress));
      await waitFor(() => expect(result.current.isConnected).toBe(true));

      server.control.stopSocket();
      await waitFor(() => expect(result.current.isPolling).toBe(true), WAIT);
      expect(result.current.connectionState.transport).toBe('polling');
      const calls = progress.mock.calls.length;
      await waitFor(() => expect(progress.mock.calls.length).toBeGreaterThan(calls), WAIT);
      expect(server.control.restHits(id)).toBeGreaterThan(0);

      server.control.startSocket();
      await waitFor(() => expect(result.current.isConnected).toBe(true), WAIT);
      expect(result.current.isPolling).toBe(false);
    });

    it('should not poll while the socket is down when enablePollingFallback is false', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 30, stepMs: 20 });
      const { result } = renderWebSocket({ endpoint: generation(id), enablePollingFallback: false });
      await waitFor(() => expect(result.current.isConnected).toBe(true));

      server.control.stopSocket();
      await waitFor(() => expect(result.current.connectionState.reconnectAttempts).toBeGreaterThanOrEqual(4), WAIT);
      expect(result.current.isPolling).toBe(false);
      expect(server.control.restHits(id)).toBe(0);
    });
  });

  describe('on unmount', () => {
    it('should close the namespace socket and call no handler again', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 20, stepMs: 20 });
      const { result, unmount } = renderWebSocket({ endpoint: generation(id) });
      const progress = vi.fn();
      act(() => result.current.subscribe('progress', progress));
      await waitFor(() => expect(progress).toHaveBeenCalled());

      unmount();
      const calls = progress.mock.calls.length;

      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(0));
      const step = server.jobs.info(id)?.step ?? 0;
      await waitFor(() => expect(server.jobs.info(id)?.step).toBeGreaterThanOrEqual(step + 3));
      expect(progress).toHaveBeenCalledTimes(calls);
      expect(problems).toEqual([]);
    });
  });
});
