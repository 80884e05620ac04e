import { useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { type Observable, pairwise, startWith } from 'rxjs';
import type { ConnectionState, ConnectionStatus } from '../protocol/connection.js';
import type { EventHandler } from '../protocol/events.js';
import { createJobChannel } from './createJobChannel.js';
import { reportShared, sharedSource } from './sharedClient.js';
import { WebSocketConnectError } from './WebSocketConnectError.js';

/** The plan's options of {@link useWebSocket}. */
export interface UseWebSocketOptions {
  /** `/ws/generations/{id}` or `/ws/compositions/{id}`; a change follows the new job, handlers kept. */
  endpoint: string;
  /** Connect on mount (and on an endpoint change). @default true */
  autoConnect?: boolean;
  /** Called each time the connection comes up. The latest one is called; changing it never reconnects. */
  onConnect?: () => void;
  /** Called each time the connection goes down, `disconnect()` included. */
  onDisconnect?: () => void;
  /**
   * Called with what went wrong: an invalid endpoint, a socket still unreachable after the
   * reconnection attempts (polling then carries the job), a handler that threw, a failed poll.
   * @default `WebSocketService.configure({ onError })`, else console.error
   */
  onError?: (error: Error) => void;
  /**
   * Poll REST automatically while the socket is down. @default the shared configuration's (true)
   */
  enablePollingFallback?: boolean;
  /** Ms between two polls, automatic or from `enablePolling()`. @default the shared configuration's (5000) */
  pollingInterval?: number;
}

/** The plan's result of {@link useWebSocket}. Every function keeps its identity across renders. */
export interface UseWebSocketReturn {
  /** `connectionStatus === 'connected'`. */
  isConnected: boolean;
  /** `connecting | connected | disconnected | error`. */
  connectionStatus: ConnectionStatus;
  /** The whole state: transport, attempts, next retry, latency, last error. */
  connectionState: ConnectionState;
  /** Follows `endpoint` (done on mount unless `autoConnect: false`); failures go to `onError`. */
  connect: () => void;
  /** Stops following the job; the shared connection closes when nothing else uses it. */
  disconnect: () => void;
  /** Retries at once (after `disconnect()`, connects again). */
  reconnect: () => void;
  /** Calls `handler` with the payload of every `eventType` event; stable across renders. */
  subscribe: <T>(eventType: string, handler: EventHandler<T>) => void;
  /** Removes `handler`, or every handler of `eventType`. Accepts a handler of any payload type. */
  unsubscribe: (eventType: string, handler?: EventHandler<never>) => void;
  /** Sends now, or queues while offline and sends after the reconnect; the server acts on it once. */
  emit: (event: string, data: unknown) => void;
  /** Polls the job's REST resource every `pollingInterval`, even while the socket is up, until `disablePolling()`. */
  enablePolling: () => void;
  /** Stops `enablePolling()`'s polling; the automatic fallback follows `enablePollingFallback`. */
  disablePolling: () => void;
  /** Whether updates come from REST now: `enablePolling()` is on, or the socket is down and the fallback polls. */
  isPolling: boolean;
}

const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

/**
 * The plan's hook, over the client shared with `WebSocketService` (configure it with
 * `WebSocketService.configure`): every hook of a page rides one connection, a remount within the
 * client's `linger` (React StrictMode, a route change) keeps the socket, and unmounting closes
 * it after that linger. Handlers registered through `subscribe` are dropped on unmount.
 *
 * Nothing connects during render; callbacks live in refs, so passing new ones never reconnects.
 *
 * @example
 * const { isConnected, subscribe, disconnect } = useWebSocket({
 *   endpoint: `/ws/generations/${generationId}`,
 *   autoConnect: true,
 *   onConnect: () => console.log('Connected'),
 * });
 * useEffect(() => {
 *   subscribe<ProgressEvent['data']>('progress', (data) => setPercent(data.percentage));
 *   return () => disconnect();
 * }, [subscribe, disconnect]);
 */
export function useWebSocket(options: UseWebSocketOptions): UseWebSocketReturn {
  const { endpoint, autoConnect = true, enablePollingFallback, pollingInterval } = options;
  const latest = useRef(options);
  useIsomorphicLayoutEffect(() => {
    latest.current = options;
  });
  // The channel reads `latest` when it connects (in an effect or a handler), never during render.
  // eslint-disable-next-line react-hooks/refs
  const [channel] = useState(() =>
    createJobChannel(
      () => sharedSource({ enabled: latest.current.enablePollingFallback, interval: latest.current.pollingInterval }),
      (error) => (latest.current.onError ?? reportShared)(error),
    ),
  );

  const fail = useCallback((error: unknown) => {
    // A connect cut short by disconnect() or an unmount is what the caller asked for.
    if (error instanceof WebSocketConnectError && error.reason === 'disconnected') return;
    (latest.current.onError ?? reportShared)(error instanceof Error ? error : new Error(String(error)));
  }, []);

  // Declared first, so its cleanup runs before a caller's `return () => disconnect()`: the
  // handlers of an unmount (StrictMode's rehearsal included) go, and the remount adds them again.
  useEffect(
    () => () => {
      channel.clearHandlers();
      channel.disconnect();
    },
    [channel],
  );

  useEffect(() => {
    const subscription = channel.connectionState$.pipe(startWith(undefined), pairwise()).subscribe(([previous, next]) => {
      const was = previous?.status === 'connected';
      if (!was && next?.status === 'connected') latest.current.onConnect?.();
      if (was && next?.status !== 'connected') latest.current.onDisconnect?.();
    });
    return () => subscription.unsubscribe();
  }, [channel]);

  useEffect(() => {
    if (!autoConnect) return undefined;
    channel.connect(endpoint).catch(fail);
    return () => channel.disconnect();
  }, [channel, endpoint, autoConnect, enablePollingFallback, pollingInterval, fail]);

  const connectionState = useSyncExternalStore(
    useCallback((onChange: () => void) => subscribeTo(channel.connectionState$, onChange), [channel]),
    channel.getConnectionState,
    channel.getConnectionState,
  );
  const manualPolling = useSyncExternalStore(
    useCallback((onChange: () => void) => subscribeTo(channel.polling$, onChange), [channel]),
    channel.isPolling,
    channel.isPolling,
  );

  const connect = useCallback(() => {
    channel.connect(latest.current.endpoint).catch(fail);
  }, [channel, fail]);
  const disconnect = useCallback(() => channel.disconnect(), [channel]);
  const reconnect = useCallback(() => {
    if (channel.isActive()) channel.reconnect();
    else connect();
  }, [channel, connect]);
  const emit = useCallback(
    (event: string, data: unknown) => {
      try {
        channel.send(event, data);
      } catch (error) {
        fail(error);
      }
    },
    [channel, fail],
  );
  const enablePolling = useCallback(() => channel.startPolling(latest.current.pollingInterval), [channel]);
  const disablePolling = useCallback(() => channel.stopPolling(), [channel]);

  return {
    isConnected: connectionState.status === 'connected',
    connectionStatus: connectionState.status,
    connectionState,
    connect,
    disconnect,
    reconnect,
    subscribe: channel.subscribe,
    unsubscribe: channel.unsubscribe,
    emit,
    enablePolling,
    disablePolling,
    isPolling: manualPolling || connectionState.transport === 'polling',
  };
}

/** `useSyncExternalStore`'s subscribe over an observable: calls `onChange` on each value. */
function subscribeTo(source$: Observable<unknown>, onChange: () => void): () => void {
  const subscription = source$.subscribe(onChange);
  return () => subscription.unsubscribe();
}
