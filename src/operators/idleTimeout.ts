import { asyncScheduler, from, Observable, type Subscription } from 'rxjs';
import type { ObservableInput, OperatorFunction, SchedulerLike } from 'rxjs';

/**
 * Options of {@link idleTimeout}.
 */
export interface IdleTimeoutConfig<R> {
  /**
   * Milliseconds of silence from the source after which `onIdle` is called. Also the pause
   * between two resyncs while the silence goes on. Must be greater than 0.
   * @default 300000 (5 minutes)
   */
  idle?: number;
  /**
   * Called after `idle` ms without a source value; its values are merged into the output.
   * Typically a REST resync of the job (`GET /api/v1/generations/{id}` turned into events), so
   * a socket that went quiet without closing never leaves a progress bar hanging. A source
   * value unsubscribes a resync still running: the socket is talking again.
   * Required.
   */
  onIdle: () => ObservableInput<R>;
  /**
   * Schedules the idle timer. Tests pass the marble `TestScheduler`.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
}

/**
 * Defaults of {@link IdleTimeoutConfig}.
 */
export const DEFAULT_IDLE_TIMEOUT = {
  idle: 300_000,
  scheduler: asyncScheduler,
} as const satisfies Required<Omit<IdleTimeoutConfig<unknown>, 'onIdle'>>;

/**
 * Passes every source value through and, after `idle` ms without one, merges in the values of
 * `onIdle()`; while the silence lasts it calls `onIdle()` again `idle` ms after each call
 * completes. Every source value restarts the timer and cancels a running `onIdle()`. The
 * result completes or errors as soon as the source does, leaving no timer behind.
 *
 * An error from `onIdle()` goes down the error channel; retry it inside `onIdle` if needed.
 *
 * @example
 * ```ts
 * const events$ = socketEvents$.pipe(
 *   idleTimeout({ onIdle: () => fetchSnapshotEvents(generationId) }),
 * );
 * ```
 *
 * @throws {TypeError} when `onIdle` is not a function or `idle` is not greater than 0.
 */
export function idleTimeout<T, R = T>(config: IdleTimeoutConfig<R>): OperatorFunction<T, T | R> {
  const { idle = DEFAULT_IDLE_TIMEOUT.idle, onIdle, scheduler = DEFAULT_IDLE_TIMEOUT.scheduler } = config;
  if (typeof onIdle !== 'function') {
    throw new TypeError('idleTimeout: `onIdle` is required, e.g. `onIdle: () => fetchSnapshotEvents(id)`.');
  }
  // A zero idle would spin forever on an `onIdle` that completes synchronously.
  if (!(idle > 0)) {
    throw new TypeError(`idleTimeout: \`idle\` must be a number of ms greater than 0, got ${idle}.`);
  }

  // One timer per silence, not per value: a value only notes its time, and the timer, when it
  // fires early, re-arms for what is left. Re-arming on every value (switchMap over a timer) costs
  // a setInterval/clearInterval pair and a dozen subscriber objects per event.
  return (source) =>
    new Observable<T | R>((subscriber) => {
      let lastAt = scheduler.now();
      let timerSub: Subscription | undefined;
      let resync: Subscription | undefined;
      const arm = (delay: number) => {
        timerSub = scheduler.schedule(check, delay);
      };
      const check = () => {
        const quiet = scheduler.now() - lastAt;
        if (quiet < idle) {
          arm(idle - quiet);
          return;
        }
        resync = from(onIdle()).subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            resync = undefined;
            lastAt = scheduler.now();
            arm(idle);
          },
        });
      };
      arm(idle);
      const upstream = source.subscribe({
        next: (value) => {
          lastAt = scheduler.now();
          if (resync) {
            resync.unsubscribe();
            resync = undefined;
            timerSub?.unsubscribe();
            arm(idle);
          }
          subscriber.next(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        upstream.unsubscribe();
        timerSub?.unsubscribe();
        resync?.unsubscribe();
      };
    });
}
