import {
  catchError,
  concat,
  defer,
  distinctUntilChanged,
  finalize,
  ignoreElements,
  merge,
  type Observable,
  of,
  ReplaySubject,
  share,
  Subject,
  switchMap,
  takeUntil,
  tap,
  throwError,
  timer,
} from 'rxjs';
import type { Manager, Socket } from 'socket.io-client';
import { heartbeat } from '../operators/heartbeat.js';
import { retryBackoff } from '../operators/retryBackoff.js';
import { ack$ } from '../transport/ack$.js';
import { socket$ } from '../transport/socket$.js';
import type { ConnectionStore } from './createConnectionStore.js';
import { describeError } from './describeError.js';
import type { ResolvedOptions } from './resolveOptions.js';

/** The client's one connection: a root socket that owns retries and the heartbeat. */
export interface Link {
  /**
   * The root socket while it is connected, `null` while it is down. Subscribing holds the
   * connection open; it closes `linger` ms after the last subscriber leaves.
   */
  readonly root$: Observable<Socket | null>;
  readonly manager: Manager;
  /** The X-Request-ID of the current handshake, sent again in each namespace's `auth`. */
  requestId(): string;
  /** Retries at once instead of waiting out the backoff. */
  reconnect(this: void): void;
  /** A job socket could not be routed (see `connectRouted`): traced once per client. */
  unrouted(this: void): void;
}

/**
 * Creates the link. socket.io's Manager is created with `reconnection: false`: RxJS owns retries
 * here (one owner per mechanism), and job sockets follow `up$` rather than retrying on their own.
 */
export function createLink(options: ResolvedOptions, store: ConnectionStore, disposed$: Observable<unknown>): Link {
  const { reconnection, heartbeat: beat, scheduler, log } = options;
  const manager = options.io(options.url, {
    path: options.path,
    reconnection: false,
    autoConnect: false,
    transports: options.transports,
    // Without it engine.io retries the first transport forever, and a network that blocks
    // WebSockets would never reach long-polling.
    tryAllTransports: true,
    withCredentials: options.withCredentials,
    timeout: options.ackTimeout,
    extraHeaders: {},
  });
  const now = () => new Date(scheduler.now());
  const wake = new Subject<void>();
  let requestId = options.requestId();
  let tracedUnrouted = false;

  const session$ = defer(() => {
    // A fresh id per handshake; the header reaches Node and long-polling, `auth` every transport.
    requestId = options.requestId();
    manager.opts.extraHeaders = { 'X-Request-ID': requestId };
    store.patch({ status: store.get().status === 'error' ? 'error' : 'connecting', nextRetryAt: undefined });
    log({
      scope: 'link',
      message: 'connecting',
      data: { url: options.url, path: options.path, requestId, attempt: store.get().reconnectAttempts },
    });
    return socket$(manager, '/', { auth: options.auth, requestId });
  }).pipe(
    switchMap((socket) => {
      store.patch({
        status: 'connected',
        transport: 'websocket',
        connectedAt: now(),
        nextRetryAt: undefined,
        lastError: undefined,
        reconnectAttempts: 0,
      });
      // socket.io's own transport (`polling` here means engine.io long-polling, not REST polling).
      log({ scope: 'link', message: 'connected', data: { requestId, engine: engineTransport(socket) } });
      const latency$ = of(socket).pipe(
        heartbeat({ ping: (root) => ack$(root, 'heartbeat'), interval: beat.interval, timeout: beat.timeout, scheduler }),
        tap((latencyMs) => store.patch({ latencyMs })),
        ignoreElements(),
      );
      return concat(of(socket), latency$);
    }),
    // Tell job sockets and the outbox the link is down before the retry waits; the root socket's teardown then
    // closes the shared engine, so a dead heartbeat also drops every namespace socket with it.
    catchError((error: unknown) => {
      log({ scope: 'link', message: 'disconnected', data: { error: describeError(error) } });
      store.patch({
        // Once the attempts ran out the state stays `error` through every failed probe.
        status: store.get().status === 'error' ? 'error' : 'disconnected',
        transport: store.downTransport(),
        disconnectedAt: now(),
        lastError: error instanceof Error ? error : new Error(String(error)),
      });
      return concat(
        of(null),
        throwError(() => error),
      );
    }),
    retryBackoff({
      maxAttempts: Infinity,
      initialDelay: reconnection.delay,
      maxDelay: reconnection.maxDelay,
      jitter: reconnection.jitter,
      random: options.random,
      wake: merge(
        options.wake$.pipe(tap(() => log({ scope: 'link', message: 'woken (online or tab visible): retrying now' }))),
        wake,
      ),
      scheduler,
      onRetry: ({ attempt, delay }) => {
        log({ scope: 'link', message: 'retry scheduled', data: { attempt, delay } });
        if (attempt === reconnection.attempts + 1) {
          log({
            scope: 'link',
            message: 'attempts exhausted: status is error and polling carries the jobs; the socket is still probed',
            data: { attempts: reconnection.attempts, probeEvery: reconnection.maxDelay },
          });
        }
        store.patch({
          status: attempt > reconnection.attempts ? 'error' : 'connecting',
          reconnectAttempts: attempt,
          nextRetryAt: new Date(scheduler.now() + delay),
        });
      },
    }),
    distinctUntilChanged(),
    takeUntil(disposed$),
    finalize(() => {
      log({ scope: 'link', message: 'closed' });
      store.patch({ status: 'disconnected', transport: 'none', nextRetryAt: undefined, reconnectAttempts: 0 });
    }),
    share({ connector: () => new ReplaySubject<Socket | null>(1), resetOnRefCountZero: () => timer(options.linger, scheduler) }),
  );

  return {
    root$: session$,
    manager,
    requestId: () => requestId,
    reconnect: () => {
      log({ scope: 'link', message: 'reconnect requested' });
      wake.next();
    },
    unrouted: () => {
      if (tracedUnrouted) return;
      tracedUnrouted = true;
      log({
        scope: 'link',
        message: "job sockets not routed: socket.io-client's internals are not as expected, packets take its broadcast path",
      });
    },
  };
}

/** engine.io's transport under a connected socket: `websocket`, or `polling` for long-polling. */
function engineTransport(socket: Socket): string | undefined {
  return (socket.io as { engine?: { transport?: { name?: string } } }).engine?.transport?.name;
}
