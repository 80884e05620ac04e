import type { Observable } from 'rxjs';
import { createJobStreams, type JobStreams } from '../client/createJobStreams.js';
import type { JobStreamsOptions } from '../client/JobStreamsOptions.js';
import { resolveOptions, type ResolvedOptions } from '../client/resolveOptions.js';
import { type ConnectionState, type WebSocketConfig, WebSocketConfigSchema } from '../protocol/connection.js';
import type { EventHandler } from '../protocol/events.js';
import { safeParse } from '../protocol/parse.js';
import { createJobChannel, type JobChannel } from './createJobChannel.js';
import { toJobStreamsOptions } from './toJobStreamsOptions.js';
import { WebSocketConnectError } from './WebSocketConnectError.js';
import { withOutbox } from './withOutbox.js';

/** jobstream's additions to the plan's constructor; every field is optional. */
export interface WebSocketManagerOptions {
  /**
   * The endpoint `connect()` follows when called without one. `createWebSocketConnection` sets it.
   * @default none: `connect()` then needs an endpoint
   */
  endpoint?: string;
  /**
   * Options of the client the manager creates that the plan's config has no field for: `fetch`,
   * `auth`, heartbeat, throttle, linger, `outbox` (the manager installs `outbox()` unless given
   * one, say `outbox({ storage })`), or short delays in tests. `config` wins where both set a value.
   * @default {}
   */
  streams?: JobStreamsOptions;
  /**
   * Run on this client (say, the one an app gives `JobStreamsProvider`) instead of creating one,
   * so every job shares its connection. The manager never disposes it, and `config`'s connection
   * fields do not apply to it; `url`/`streams` still locate the REST API for `startPolling`.
   * `send` needs it to have the outbox plugin (`createJobStreams({ url, outbox: outbox() })`).
   * @default a client of the manager's own, created on first use
   */
  client?: JobStreams;
  /**
   * Receives a handler that threw ({@link EventHandlerError}) and the problems the job's stream
   * recovered from (refused payloads, failed polls).
   * @default console.error
   */
  onError?: (error: Error) => void;
}

/**
 * The plan's `WebSocketManager`, as a thin adapter over {@link createJobStreams}: `connect`
 * follows one job's stream and feeds its events to the handlers registered with `subscribe`.
 * Reconnection with backoff, heartbeat, idle timeout, polling fallback, resync after a
 * reconnect and the offline queue are the client's; nothing here opens a socket itself.
 *
 * Handlers stay registered across `disconnect()` and `connect()`, like socket.io listeners; each
 * event reaches them once, in order, and a handler that throws does not stop the others.
 *
 * @example
 * const manager = new WebSocketManager({ url: 'https://api.example.com' });
 * manager.subscribe<ProgressEvent['data']>('progress', (data) => render(data.percentage));
 * await manager.connect(`/ws/generations/${generationId}`);
 * manager.send('cancel', { generation_id: generationId });
 *
 * @throws {TypeError} when `config` is invalid (a URL that is not http(s)/ws(s), a negative delay, …).
 */
export class WebSocketManager {
  /** The config as given, for inspection. */
  readonly config: Readonly<WebSocketConfig>;
  readonly #options: ResolvedOptions;
  readonly #streams: JobStreamsOptions;
  readonly #given: JobStreams | undefined;
  readonly #endpoint: string | undefined;
  readonly #channel: JobChannel;
  #owned: JobStreams | undefined;

  constructor(config: WebSocketConfig, options: WebSocketManagerOptions = {}) {
    const checked = safeParse(WebSocketConfigSchema, config, 'WebSocketConfig', 'invalid_payload');
    if (!checked.ok) {
      throw new TypeError(
        `jobstream: invalid WebSocketConfig${checked.error.path ? ` at ${checked.error.path}` : ''}: ${checked.error.reason}.`,
      );
    }
    const { endpoint, streams = {}, client, onError = (error: Error) => console.error(error) } = options;
    this.config = Object.freeze({ ...config });
    this.#streams = toJobStreamsOptions(config, streams);
    this.#options = resolveOptions(this.#streams);
    this.#given = client;
    this.#endpoint = endpoint;
    this.#channel = createJobChannel(() => ({ client: this.#client(), options: this.#options }), onError);
  }

  /**
   * Follows the job of `endpoint` (`/ws/generations/{id}` or `/ws/compositions/{id}`): its events
   * reach the subscribed handlers from now on, starting with what happened so far. Resolves once
   * the socket is connected (at once when it already is, or when the job turns out to be over
   * and all its events were delivered). Calling it again for the same endpoint returns the same
   * promise; another endpoint replaces the job followed.
   *
   * @returns a promise that rejects with a {@link WebSocketConnectError}: `invalid_endpoint`,
   * `disconnected` (disconnect() came first) or `unreachable` (the socket failed
   * `reconnectionAttempts` times; the job goes on by polling, and the socket is still retried).
   */
  connect(endpoint: string | undefined = this.#endpoint): Promise<void> {
    if (endpoint === undefined) return Promise.reject(new WebSocketConnectError('invalid_endpoint', ''));
    return this.#channel.connect(endpoint);
  }

  /**
   * Stops following the job. Its namespace socket closes after the client's `linger` (1 s), and
   * the connection with it when nothing else uses it. Handlers stay registered.
   */
  disconnect(): void {
    this.#channel.disconnect();
  }

  /** Calls `handler` with the payload of every `eventType` event (`progress`, `completed`, …). */
  // The plan's signature: callers name the payload type, `subscribe<ProgressEvent['data']>(…)`.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  subscribe<T>(eventType: string, handler: (data: T) => void): void {
    this.#channel.subscribe(eventType, handler);
  }

  /** Removes `handler` from `eventType`, or every handler of `eventType` when none is given. */
  unsubscribe(eventType: string, handler?: EventHandler<never>): void {
    this.#channel.unsubscribe(eventType, handler);
  }

  /**
   * Sends `event` with `data` to the server: at once when connected, else queued (persisted,
   * bounded, expiring) and sent in order after the reconnect. The server acts on each once.
   *
   * @returns the message id (the plan returns nothing; the id matches `outbox$` and dead letters)
   */
  send(event: string, data?: unknown): string {
    return this.#channel.send(event, data);
  }

  /** The connection's state while a job is followed; `disconnected` before `connect()` and after `disconnect()`. */
  getConnectionState(): ConnectionState {
    return this.#channel.getConnectionState();
  }

  /** {@link getConnectionState} as a stream, replaying the latest. jobstream's addition. */
  get connectionState$(): Observable<ConnectionState> {
    return this.#channel.connectionState$;
  }

  /** Retries the connection at once instead of waiting out the backoff. jobstream's addition. */
  reconnect(): void {
    this.#channel.reconnect();
  }

  /**
   * Polls the job's REST resource every `interval` ms even while the socket is up, until
   * {@link stopPolling} or the job ends; updates reach the handlers like socket events, never
   * twice. The automatic fallback (polling while the socket is down) needs none of this.
   * jobstream's addition.
   *
   * @param interval ms between two polls. @default the client's `polling.interval` (5000)
   */
  startPolling(interval?: number): void {
    this.#channel.startPolling(interval);
  }

  /** Stops what {@link startPolling} started. jobstream's addition. */
  stopPolling(): void {
    this.#channel.stopPolling();
  }

  /**
   * Disconnects, forgets every handler and disposes the manager's own client (never one given
   * in `options.client`). Messages not yet sent stay in persistent storage for the next client
   * on this URL. A later `connect()` or `send()` starts afresh. jobstream's addition.
   */
  dispose(): void {
    this.#channel.disconnect();
    this.#channel.clearHandlers();
    this.#channel.stopPolling();
    this.#owned?.dispose();
    this.#owned = undefined;
  }

  #client(): JobStreams {
    return this.#given ?? (this.#owned ??= createJobStreams(withOutbox(this.#streams)));
  }
}
