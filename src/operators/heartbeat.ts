import {
  NEVER,
  asyncScheduler,
  concat,
  defer,
  map,
  mergeMap,
  of,
  race,
  repeat,
  retry,
  switchMap,
  take,
  throwError,
  timer,
} from 'rxjs';
import type { ObservableInput, OperatorFunction, SchedulerLike } from 'rxjs';
import { HeartbeatTimeoutError } from './HeartbeatTimeoutError.js';

/**
 * Options of {@link heartbeat}.
 */
export interface HeartbeatConfig<T> {
  /**
   * Sends one ping over the source value (typically a connected socket) and returns an
   * observable or promise that emits when the server acks it; only the first emission counts,
   * and completing without one is no ack. Its error goes down the error channel. Required.
   *
   * @example (socket) => socket.emitWithAck('ping')
   */
  ping: (value: T) => ObservableInput<unknown>;
  /**
   * Ms between an ack and the next ping. Long enough not to load the server, short enough to
   * notice a dead link before the user does.
   * @default 30000
   */
  interval?: number;
  /**
   * Ms to wait for an ack before the link is declared dead with a {@link HeartbeatTimeoutError}.
   * @default 10000
   */
  timeout?: number;
  /**
   * Ms a timeout timer may fire past its due time and still be trusted. Later than that, the
   * tab or the machine was asleep: the silence says nothing about the link, so a fresh ping is
   * sent at once with a fresh timeout instead of an error.
   * @default 1000
   */
  lateTolerance?: number;
  /**
   * Schedules the interval and timeout timers and reads the clock for latencies and late
   * timers. Tests pass the marble `TestScheduler`.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
}

/**
 * Defaults of {@link HeartbeatConfig}.
 */
export const DEFAULT_HEARTBEAT = {
  interval: 30_000,
  timeout: 10_000,
  lateTolerance: 1000,
  scheduler: asyncScheduler,
} as const satisfies Required<Omit<HeartbeatConfig<unknown>, 'ping'>>;

/** Signals, only from a cycle's timeout to its own retry, that the timer fired too late. */
const SLEPT = Symbol('heartbeat timeout fired late');

/**
 * Pings each source value (a connected socket) at once and then `interval` ms after every ack,
 * emitting each round-trip latency in ms; errors with a {@link HeartbeatTimeoutError} when a
 * ping goes `timeout` ms without an ack. A new source value ends the previous cycle and starts
 * its own, as with `switchMap`.
 *
 * Built for browser tabs that sleep: a timeout timer that fires more than `lateTolerance` ms
 * late pings again with a fresh timeout rather than declaring the link dead, and a late interval
 * tick simply pings when it fires, timing the round trip from then.
 *
 * @example
 * ```ts
 * const latency$ = connectedSocket$.pipe(
 *   heartbeat({ ping: (socket) => socket.emitWithAck('ping') }),
 * );
 * ```
 *
 * @throws {TypeError} when `ping` is not a function, `interval` or `timeout` is not above 0, or
 * `lateTolerance` is negative.
 */
export function heartbeat<T>(config: HeartbeatConfig<T>): OperatorFunction<T, number> {
  const {
    ping,
    interval = DEFAULT_HEARTBEAT.interval,
    timeout = DEFAULT_HEARTBEAT.timeout,
    lateTolerance = DEFAULT_HEARTBEAT.lateTolerance,
    scheduler = DEFAULT_HEARTBEAT.scheduler,
    // Guards JavaScript callers of `heartbeat()`, so they get the TypeError below, not a crash.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  }: Partial<HeartbeatConfig<T>> = config ?? {};
  if (typeof ping !== 'function') {
    throw new TypeError(
      'heartbeat: `ping` is required: pass a function that sends a ping and returns an ' +
        "observable or promise of the server's ack, " +
        "e.g. `ping: (socket) => socket.emitWithAck('ping')`.",
    );
  }
  assertMs('interval', interval, interval > 0, 'above 0, e.g. 30000');
  assertMs('timeout', timeout, timeout > 0, 'above 0, e.g. 10000');
  assertMs('lateTolerance', lateTolerance, lateTolerance >= 0, '0 or more, e.g. 1000');

  const pingUntilAnswered = (value: T) =>
    defer(() => {
      const sentAt = scheduler.now();
      const ack$ = concat(ping(value), NEVER).pipe(
        take(1),
        map(() => scheduler.now() - sentAt),
      );
      const expired$ = timer(timeout, scheduler).pipe(
        mergeMap(() => {
          const slept = scheduler.now() - sentAt > timeout + lateTolerance;
          return throwError(() => (slept ? SLEPT : new HeartbeatTimeoutError({ timeout, sentAt })));
        }),
      );
      return race(ack$, expired$);
    }).pipe(
      // A timeout that fired long past due means the tab slept: the silence proves nothing, so
      // ping again at once, with a fresh `sentAt` and a fresh timeout.
      retry({ delay: (error: unknown) => (error === SLEPT ? of(error) : throwError(() => error)) }),
    );

  // `sentAt` is read when the ping goes out, so a late interval tick needs no special case.
  return switchMap((value) => pingUntilAnswered(value).pipe(repeat({ delay: () => timer(interval, scheduler) })));
}

function assertMs(name: string, value: number, valid: boolean, expected: string): void {
  if (!valid) {
    throw new TypeError(`heartbeat: \`${name}\` must be a number of ms ${expected}, got ${value}.`);
  }
}
