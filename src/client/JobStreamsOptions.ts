import type { SchedulerLike, Observable } from 'rxjs';
import type { Manager, ManagerOptions, SocketOptions } from 'socket.io-client';
import type { FetchLike } from '../transport/poll$.js';
import type { DebugEntry } from './DebugEntry.js';
import type { OutboxPlugin } from './OutboxPlugin.js';

/** Reconnection of the socket; see {@link JobStreamsOptions.reconnection}. */
export interface ReconnectionOptions {
  /**
   * Failed attempts after which the state turns to `error` and polling carries the jobs. The
   * socket is still probed every `maxDelay` after that: jobstream never gives up for good.
   * @default 5
   */
  attempts?: number;
  /** First retry delay in ms, doubled each attempt. @default 1000 */
  delay?: number;
  /** Cap of the retry delay in ms. @default 16000 */
  maxDelay?: number;
  /** Random spread of each delay, a fraction in [0, 1], against reconnect storms. @default 0.2 */
  jitter?: number;
}

/** Heartbeat of the socket; see {@link JobStreamsOptions.heartbeat}. */
export interface HeartbeatOptions {
  /** Ms between two pings. @default 30000 */
  interval?: number;
  /** Ms without an ack after which the link is declared dead and reconnected. @default 10000 */
  timeout?: number;
}

/** Polling fallback; see {@link JobStreamsOptions.polling}. */
export interface PollingOptions {
  /** Poll REST while the socket is down. @default true */
  enabled?: boolean;
  /** Ms between two polls of a job. @default 5000 */
  interval?: number;
  /** Ms the socket may be down before polling starts, so a blip does not cause a poll. @default 3000 */
  grace?: number;
}

/** Options of `createJobStreams`. Every side effect can be replaced here, for tests or SSR. */
export interface JobStreamsOptions {
  /**
   * Origin of the socket.io server, e.g. `https://api.example.com`. http(s) and ws(s) URLs are
   * accepted; a path is ignored (namespaces carry the job).
   * @default the page's origin (required where there is no `window`)
   */
  url?: string;
  /**
   * Origin of the REST API used for polling and resync.
   * @default url
   */
  apiUrl?: string;
  /** socket.io's engine path. @default '/socket.io' */
  path?: string;
  /** @default { attempts: 5, delay: 1000, maxDelay: 16000, jitter: 0.2 } */
  reconnection?: ReconnectionOptions;
  /** @default { interval: 30000, timeout: 10000 } */
  heartbeat?: HeartbeatOptions;
  /** Ms of silence on a job after which it is resynced from REST. @default 300000 */
  idleTimeout?: number;
  /** @default { enabled: true, interval: 5000, grace: 3000 } */
  polling?: PollingOptions;
  /** Shortest ms between two progress events of a job; 0 turns throttling off. @default 100 */
  throttle?: number;
  /**
   * Ms a job's connection stays open after its last subscriber leaves, so a React remount does
   * not reconnect.
   * @default 1000
   */
  linger?: number;
  /**
   * Ms to wait for an answer: the server's ack of `subscribe`, the connection, and each REST
   * request (one that never answers is aborted and retried, so polling cannot hang).
   * @default 10000
   */
  ackTimeout?: number;
  /**
   * Makes the `X-Request-ID` of each handshake and REST request.
   * @default a random UUID each time
   */
  requestId?: () => string;
  /**
   * Credentials for the handshake, called on every (re)connect so a refreshed token is used.
   * Never put credentials in the URL.
   * @default none
   */
  auth?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Send cookies with the handshake and REST requests. @default false */
  withCredentials?: boolean;
  /** socket.io transports, in the order tried. @default ['websocket', 'polling'] */
  transports?: ('websocket' | 'polling')[];
  /**
   * The offline outbox behind `send`, `outbox$` and `deadLetters$`: `outbox()` from
   * `jobstream/outbox`, with its own options (size, retries, TTL, storage, Web Locks). Opt-in, so
   * an app that never sends pays nothing for it.
   * @example
   * import { outbox } from 'jobstream/outbox';
   * createJobStreams({ url, outbox: outbox({ maxSize: 100 }) });
   * @default none: `send` throws, `outbox$` emits `[]`, `deadLetters$` never emits
   */
  outbox?: OutboxPlugin;
  /** Makes the socket.io Manager; tests and custom transports replace it. @default new Manager(url, options) */
  io?: (url: string, options: Partial<ManagerOptions & SocketOptions>) => Manager;
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  /** Times every delay; tests pass a `TestScheduler`. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /** Source of randomness for jitter. @default Math.random */
  random?: () => number;
  /**
   * Emits when retrying at once is worth it: the browser came back online or the tab became
   * visible.
   * @default window `online` and document `visibilitychange` (to visible) events; none without a window
   */
  wake$?: Observable<unknown>;
  /**
   * Traces what the client does: connection transitions, retries (attempt, delay), switches
   * between the websocket and REST polling, outbox activity, and payloads refused by validation.
   * `true` logs to `console.debug` with a `[jobstream]` prefix; a function receives each
   * {@link DebugEntry} instead (to filter it or send it to your own logger). Silent by default,
   * and free then: no entry is even built. A function that throws is ignored.
   * @default false
   */
  debug?: boolean | ((entry: DebugEntry) => void);
}
