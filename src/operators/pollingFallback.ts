import {
  EMPTY,
  asyncScheduler,
  distinctUntilChanged,
  exhaustMap,
  isObservable,
  map,
  Observable,
  startWith,
  switchMap,
  timer,
} from 'rxjs';
import type { ObservableInput, OperatorFunction, SchedulerLike } from 'rxjs';

/** The way a value reached the client. */
export type DeliveryTransport = 'websocket' | 'polling';

/** A value tagged with the {@link DeliveryTransport} that delivered it. */
export interface Delivered<T> {
  /** `websocket` for a source value, `polling` for one `poll` produced. */
  transport: DeliveryTransport;
  /** The value itself. */
  value: T;
}

/**
 * Options of {@link pollingFallback}.
 */
export interface PollingFallbackConfig<T> {
  /**
   * Whether the socket is connected, e.g. the connection state mapped to
   * `status === 'connected'`. Polling runs only while its latest value is `false`; until it
   * first emits, the socket counts as down, so a socket that never connects is polled for too.
   * Required.
   */
  socketUp$: Observable<boolean>;
  /**
   * One REST request, e.g. `GET /api/v1/generations/{id}` turned into events. It may emit
   * several values (the events derived from one snapshot). Called lazily on every tick; an
   * error goes down the error channel, so retry inside `poll` if needed.
   * Required.
   */
  poll: () => ObservableInput<T>;
  /**
   * Milliseconds between two polls while the socket is down. A tick that comes while a poll is
   * still in flight is skipped. Must be greater than 0.
   * @default 5000
   */
  interval?: number;
  /**
   * Milliseconds the socket must stay down before the first poll, so a brief reconnect never
   * polls. Must be 0 or more.
   * @default 3000
   */
  grace?: number;
  /**
   * Whether to poll at all. When `false` the operator only tags source values and never
   * subscribes to `socketUp$`.
   * @default true
   */
  enabled?: boolean;
  /**
   * Schedules the grace and interval timers. Tests pass the marble `TestScheduler`.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
}

/**
 * Defaults of {@link PollingFallbackConfig}.
 */
export const DEFAULT_POLLING_FALLBACK = {
  interval: 5_000,
  grace: 3_000,
  enabled: true,
  scheduler: asyncScheduler,
} as const satisfies Required<Omit<PollingFallbackConfig<unknown>, 'socketUp$' | 'poll'>>;

/**
 * Tags source (socket) values `'websocket'` and, once `socketUp$` has been down for `grace` ms,
 * polls at once and then every `interval` ms, tagging those values `'polling'`. When
 * `socketUp$` turns `true` polling stops at once, cancelling a poll in flight, and values flow
 * from the socket alone again. Completes when the source completes.
 *
 * @example
 * ```ts
 * const delivered$ = socketEvents$.pipe(
 *   pollingFallback({
 *     socketUp$: connectionState$.pipe(map((state) => state.status === 'connected')),
 *     poll: () => fetchSnapshotEvents(generationId),
 *   }),
 * );
 * ```
 *
 * @throws {TypeError} when `socketUp$` is not an Observable, `poll` is not a function,
 * `interval` is not greater than 0 or `grace` is negative.
 */
export function pollingFallback<T>(config: PollingFallbackConfig<T>): OperatorFunction<T, Delivered<T>> {
  const {
    socketUp$,
    poll,
    interval = DEFAULT_POLLING_FALLBACK.interval,
    grace = DEFAULT_POLLING_FALLBACK.grace,
    enabled = DEFAULT_POLLING_FALLBACK.enabled,
    scheduler = DEFAULT_POLLING_FALLBACK.scheduler,
  } = config;
  if (!isObservable(socketUp$)) {
    throw new TypeError(
      'pollingFallback: `socketUp$` must be an Observable<boolean>, e.g. ' +
        "`connectionState$.pipe(map((s) => s.status === 'connected'))`.",
    );
  }
  if (typeof poll !== 'function') {
    throw new TypeError('pollingFallback: `poll` is required, e.g. `poll: () => fetchSnapshotEvents(id)`.');
  }
  if (!(interval > 0)) {
    throw new TypeError(`pollingFallback: \`interval\` must be a number of ms greater than 0, got ${interval}.`);
  }
  if (!(grace >= 0)) {
    throw new TypeError(`pollingFallback: \`grace\` must be a number of ms, 0 or more, got ${grace}.`);
  }

  const fromSocket = map((value: T): Delivered<T> => ({ transport: 'websocket', value }));
  if (!enabled) {
    return fromSocket;
  }

  const polled$: Observable<Delivered<T>> = socketUp$.pipe(
    // Not having heard from the socket yet counts as down, so the grace runs from subscription
    // and a `false` that follows does not restart it.
    startWith(false),
    distinctUntilChanged(),
    switchMap((up) =>
      up
        ? EMPTY
        : timer(grace, interval, scheduler).pipe(
            exhaustMap(() => poll()),
            map((value): Delivered<T> => ({ transport: 'polling', value })),
          ),
    ),
  );

  // Not `connect`: multicasting every socket value through a Subject to learn when the source
  // completes costs two extra subscribers per value; the source's own complete ends polling here.
  return (source) =>
    new Observable<Delivered<T>>((subscriber) => {
      const polling = polled$.subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => subscriber.error(error),
      });
      const upstream = source.subscribe({
        next: (value) => subscriber.next({ transport: 'websocket', value }),
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          polling.unsubscribe();
          subscriber.complete();
        },
      });
      return () => {
        polling.unsubscribe();
        upstream.unsubscribe();
      };
    });
}
