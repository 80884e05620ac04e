import {
  BehaviorSubject,
  catchError,
  distinctUntilChanged,
  EMPTY,
  filter,
  merge,
  mergeMap,
  noop,
  type Observable,
  Subscription,
  switchMap,
  takeWhile,
  tap,
} from 'rxjs';
import type { JobStreams } from '../client/createJobStreams.js';
import type { ResolvedOptions } from '../client/resolveOptions.js';
import { applyEvent } from '../protocol/applyEvent.js';
import type { ConnectionState } from '../protocol/connection.js';
import type { EventHandler, WebSocketEvent } from '../protocol/events.js';
import { isTerminalEvent } from '../protocol/guards.js';
import type { JobSnapshot } from '../protocol/resources.js';
import { snapshotToEvents } from '../protocol/snapshotToEvents.js';
import { EventHandlerError } from './EventHandlerError.js';
import { isNewEvent } from './isNewEvent.js';
import { type JobEndpoint, parseEndpoint } from './parseEndpoint.js';
import { pollSnapshots$ } from './pollSnapshots$.js';
import { WebSocketConnectError } from './WebSocketConnectError.js';

/** The client a channel runs on, and the options it was made with (for REST polling). */
export interface ChannelSource {
  client: JobStreams;
  options: ResolvedOptions;
}

/**
 * The plan's imperative surface for one job at a time: a handler map fed by the job's stream.
 * `WebSocketManager` and `useWebSocket` are this, bound to a client.
 */
export interface JobChannel {
  /** Follows the job of `endpoint`; see `WebSocketManager.connect`. */
  connect(endpoint: string): Promise<void>;
  /** Stops following the job; handlers stay registered for the next `connect`. */
  disconnect(): void;
  /** Whether a job is followed: `connect` was called and `disconnect` not since. */
  isActive(): boolean;
  subscribe<T>(this: void, eventType: string, handler: EventHandler<T>): void;
  unsubscribe(this: void, eventType: string, handler?: EventHandler<never>): void;
  clearHandlers(): void;
  send(event: string, data?: unknown): string;
  reconnect(): void;
  /** Polls the job's REST resource every `interval` ms (default: the client's) until stopped. */
  startPolling(interval?: number): void;
  stopPolling(): void;
  /** Whether a manual poll is running (requested, and the job is followed and not over). */
  isPolling(this: void): boolean;
  readonly polling$: Observable<boolean>;
  getConnectionState(this: void): ConnectionState;
  /** The link's state while a job is followed, `disconnected` otherwise. Replays the latest. */
  readonly connectionState$: Observable<ConnectionState>;
}

interface Session {
  endpoint: string;
  source: ChannelSource;
  subscription: Subscription;
  ready: Promise<void>;
  readonly settle: (error?: Error) => void;
}

const IDLE: ConnectionState = { status: 'disconnected', transport: 'none', reconnectAttempts: 0 };

/**
 * Creates a channel. Nothing happens until `connect` or `send`, and `source` is called only then,
 * so a channel can be made during a React render or under SSR.
 *
 * Events reach handlers in order, each once, with progress never going backwards, whether they
 * came from the job's stream or from a manual poll; the terminal event ends the job's delivery.
 * A handler that throws is reported as an {@link EventHandlerError} and the others still run.
 */
export function createJobChannel(source: () => ChannelSource, report: (error: Error) => void): JobChannel {
  const handlers = new Map<string, Set<EventHandler<never>>>();
  const state = new BehaviorSubject<ConnectionState>(IDLE);
  const requested = new BehaviorSubject<{ interval?: number } | null>(null);
  const polling = new BehaviorSubject(false);
  let session: Session | undefined;
  let followed: { key: string; seen: JobSnapshot } | undefined;

  const dispatch = (event: WebSocketEvent) => {
    // A copy, so a handler that unsubscribes itself or another does not skip one.
    for (const handler of [...(handlers.get(event.type) ?? [])]) {
      try {
        (handler as EventHandler)(event.data);
      } catch (cause) {
        report(new EventHandlerError(event.type, cause));
      }
    }
  };

  const polled$ = (job: JobEndpoint, options: ResolvedOptions, seen: () => JobSnapshot) =>
    requested.pipe(
      switchMap((request) =>
        request === null
          ? EMPTY
          : pollSnapshots$(job.kind, job.id, {
              options,
              interval: request.interval ?? options.polling.interval,
              onProblem: report,
            }).pipe(
              tap({ subscribe: () => polling.next(true), finalize: () => polling.next(false) }),
              catchError((error: unknown) => {
                report(error instanceof Error ? error : new Error(String(error)));
                return EMPTY;
              }),
            ),
      ),
      mergeMap((snapshot) => snapshotToEvents(seen(), snapshot)),
    );

  const start = (endpoint: string, job: JobEndpoint, from: ChannelSource): Session => {
    const { client, options } = from;
    const key = `${job.kind}:${job.id}`;
    if (followed?.key !== key) followed = { key, seen: { id: job.id, status: 'queued' } };
    const current = followed;
    const subscription = new Subscription();
    const { promise: ready, settle } = settleOnce();

    subscription.add(
      client.connectionState$.subscribe((next) => {
        state.next(next);
        if (next.status === 'connected') settle();
        else if (next.status === 'error') settle(new WebSocketConnectError('unreachable', endpoint, { cause: next.lastError }));
      }),
    );
    subscription.add(
      client.errors$
        .pipe(filter(({ job: about }) => !about || (about.kind === job.kind && about.id === job.id)))
        .subscribe(({ error }) => report(error)),
    );
    const events$ = job.kind === 'generation' ? client.generationProgress$(job.id) : client.compositionProgress$(job.id);
    subscription.add(
      merge(
        events$,
        polled$(job, options, () => current.seen),
      )
        .pipe(
          filter((event) => isNewEvent(current.seen, event)),
          tap((event) => (current.seen = applyEvent(current.seen, event))),
          takeWhile((event) => !isTerminalEvent(event), true),
        )
        // A job already over is as connected as it will ever be: its events were all delivered.
        .subscribe({ next: dispatch, error: report, complete: () => settle() }),
    );
    return { endpoint, source: from, subscription, ready, settle };
  };

  const stop = () => {
    if (!session) return;
    const { endpoint, subscription, settle, source: from } = session;
    session = undefined;
    subscription.unsubscribe();
    settle(new WebSocketConnectError('disconnected', endpoint));
    state.next({ ...IDLE, disconnectedAt: new Date(from.options.scheduler.now()) });
  };

  return {
    connect(endpoint) {
      const job = parseEndpoint(endpoint);
      if (!job) return Promise.reject(new WebSocketConnectError('invalid_endpoint', endpoint));
      if (session?.endpoint === endpoint) return session.ready;
      let from: ChannelSource;
      try {
        from = source();
      } catch (error) {
        return Promise.reject(error);
      }
      stop();
      session = start(endpoint, job, from);
      return session.ready;
    },
    disconnect: stop,
    isActive: () => session !== undefined,
    subscribe(eventType, handler) {
      if (typeof handler !== 'function')
        throw new TypeError(`jobstream: subscribe("${eventType}", handler) needs a function, got ${typeof handler}.`);
      let set = handlers.get(eventType);
      if (!set) handlers.set(eventType, (set = new Set()));
      set.add(handler);
    },
    unsubscribe(eventType, handler) {
      if (handler === undefined) handlers.delete(eventType);
      else handlers.get(eventType)?.delete(handler);
    },
    clearHandlers: () => handlers.clear(),
    send: (event, data) => (session?.source ?? source()).client.send(event, data),
    reconnect: () => session?.source.client.reconnect(),
    startPolling(interval) {
      if (interval !== undefined && !(interval > 0 && interval < Infinity)) {
        throw new TypeError(`jobstream: a polling interval must be a number of ms above 0, got ${interval}.`);
      }
      requested.next(interval === undefined ? {} : { interval });
    },
    stopPolling: () => requested.next(null),
    isPolling: () => polling.value,
    polling$: polling.pipe(distinctUntilChanged()),
    getConnectionState: () => state.value,
    connectionState$: state.pipe(distinctUntilChanged()),
  };
}

/** A promise and the one call that settles it: resolved without an error, rejected with one. */
function settleOnce(): { promise: Promise<void>; settle: (error?: Error) => void } {
  let settled = false;
  let resolve: () => void = noop;
  let reject: (error: Error) => void = noop;
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  const settle = (error?: Error) => {
    if (settled) return;
    settled = true;
    if (error) reject(error);
    else resolve();
  };
  return { promise, settle };
}
