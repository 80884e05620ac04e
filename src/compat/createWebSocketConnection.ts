import { configFromEnv, type JobStreamsEnv } from '../client/configFromEnv.js';
import type { WebSocketConfig } from '../protocol/connection.js';
import { viteEnv } from './viteEnv.js';
import { WebSocketManager, type WebSocketManagerOptions } from './WebSocketManager.js';

/** The plan's defaults of {@link createWebSocketConnection}, except `url`. */
export const DEFAULT_WEBSOCKET_CONFIG = {
  reconnectionAttempts: 5,
  reconnectionDelay: 1000,
  timeout: 300_000,
  enablePollingFallback: true,
} as const satisfies Omit<WebSocketConfig, 'url'>;

/** jobstream's additions to {@link createWebSocketConnection}'s arguments. */
export interface WebSocketConnectionOptions extends WebSocketManagerOptions {
  /**
   * The `VITE_*` variables to read. Vite replaces `import.meta.env` at build time, so a test or
   * a non-Vite bundler passes them here instead.
   * @default Vite's `import.meta.env`, or none outside Vite
   */
  env?: JobStreamsEnv;
}

/**
 * The plan's factory: a {@link WebSocketManager} for `endpoint`, which `connect()` (called
 * without an argument) then follows. Nothing connects until `connect()`.
 *
 * Each setting comes from `config` when given there, else from the plan's `VITE_*` variables on
 * Vite's `import.meta.env` (`VITE_WS_URL`, `VITE_WS_RECONNECT_ATTEMPTS`, `VITE_WS_RECONNECT_DELAY`,
 * `VITE_WS_TIMEOUT`, `VITE_ENABLE_POLLING_FALLBACK`; `VITE_API_URL`, `VITE_WS_HEARTBEAT_INTERVAL`
 * and `VITE_POLLING_INTERVAL` reach the client too), else from {@link DEFAULT_WEBSOCKET_CONFIG};
 * `url` falls back to the page's origin.
 *
 * @example
 * const connection = createWebSocketConnection(`/ws/generations/${generationId}`);
 * connection.subscribe<CompletedEvent['data']>('completed', (data) => play(data.video_url));
 * await connection.connect();
 *
 * @param options jobstream's additions, see {@link WebSocketConnectionOptions}; `streams` there
 * wins over the environment.
 * @throws {TypeError} when no URL is given and there is neither `VITE_WS_URL` nor a page origin
 * (server-side rendering, a worker), or when a setting is malformed.
 */
export function createWebSocketConnection(
  endpoint: string,
  config?: Partial<WebSocketConfig>,
  options: WebSocketConnectionOptions = {},
): WebSocketManager {
  const { env: variables = viteEnv(), ...rest } = options;
  const env = configFromEnv(variables);
  const given = Object.fromEntries(
    (Object.entries(config ?? {}) as [string, unknown][]).filter(([, value]) => value !== undefined),
  ) as Partial<WebSocketConfig>;
  const url = given.url ?? env.url ?? pageOrigin();
  if (url === undefined) {
    throw new TypeError(
      'jobstream: createWebSocketConnection has no URL to connect to: there is no VITE_WS_URL and no page origin here (SSR or a worker). Pass one: createWebSocketConnection(endpoint, { url: "https://api.example.com" }).',
    );
  }
  const streams = rest.streams ?? {};
  // The config wins over `streams` in the manager, so a setting only `streams` gives must reach
  // the config here, or the environment's value (or the plan's default) would replace it.
  const defaults: WebSocketConfig = {
    url,
    reconnectionAttempts:
      streams.reconnection?.attempts ?? env.reconnection?.attempts ?? DEFAULT_WEBSOCKET_CONFIG.reconnectionAttempts,
    reconnectionDelay: streams.reconnection?.delay ?? env.reconnection?.delay ?? DEFAULT_WEBSOCKET_CONFIG.reconnectionDelay,
    timeout: streams.idleTimeout ?? env.idleTimeout ?? DEFAULT_WEBSOCKET_CONFIG.timeout,
    enablePollingFallback: streams.polling?.enabled ?? env.polling?.enabled ?? DEFAULT_WEBSOCKET_CONFIG.enablePollingFallback,
  };
  return new WebSocketManager(
    { ...defaults, ...given },
    {
      endpoint,
      ...rest,
      streams: {
        ...env,
        ...streams,
        reconnection: { ...env.reconnection, ...streams.reconnection },
        heartbeat: { ...env.heartbeat, ...streams.heartbeat },
        polling: { ...env.polling, ...streams.polling },
      },
    },
  );
}

function pageOrigin(): string | undefined {
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  return origin && origin !== 'null' ? origin : undefined;
}
