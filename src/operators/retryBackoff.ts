import { asyncScheduler, defer, NEVER, race, retry, take, tap, throwError, timer } from 'rxjs';
import type { MonoTypeOperatorFunction, Observable, SchedulerLike } from 'rxjs';
import { backoffDelay } from './backoffDelay.js';

/**
 * Options of {@link retryBackoff}.
 */
export interface RetryBackoffConfig {
  /**
   * Delay before the first retry, in ms; each further retry waits twice as long as the last.
   * @default 1000
   */
  initialDelay?: number;
  /**
   * Cap of the exponential delay, in ms, before jitter. With the defaults the delays run
   * 1, 2, 4, 8, 16 s and would stay at 16 s under a larger `maxAttempts`.
   * @default 16000
   */
  maxDelay?: number;
  /**
   * Retries before the last error goes down the error channel. `0` disables retrying;
   * `Infinity` retries for as long as the consumer stays subscribed.
   * @default 5
   */
  maxAttempts?: number;
  /**
   * Fraction in [0, 1] by which each delay is spread at random, to
   * `delay * (1 - jitter + 2 * jitter * random())`, so that clients dropped by the same server
   * restart do not reconnect in one burst. `0` gives the exact schedule.
   * @default 0.2
   */
  jitter?: number;
  /**
   * Source of randomness in [0, 1) for `jitter`. Tests pass `() => 0.5`, which gives the exact
   * delays while keeping the default jitter.
   * @default Math.random
   */
  random?: () => number;
  /**
   * Ms the source must stay up, counted from its first value after a (re)subscription, for the
   * next error to start the schedule over at `initialDelay`. A source that errors sooner, or
   * that never emitted, keeps counting attempts: a server that accepts the socket and drops it
   * at once must not be hammered every `initialDelay`.
   * @default 5000
   */
  resetAfter?: number;
  /**
   * Tells a transient error (retry it) from a fatal one (rethrown at once, e.g. an auth
   * rejection or a protocol mismatch that no retry can fix).
   * @default () => true
   */
  shouldRetry?: (error: unknown) => boolean;
  /**
   * Called when a retry is scheduled, just before the wait starts, e.g. to show
   * "reconnecting (attempt 2) in 2 s" in a connection-state UI. `attempt` is 1-based and
   * `delay` the ms about to be waited, jitter included.
   */
  onRetry?: (info: { attempt: number; delay: number; error: unknown }) => void;
  /**
   * Cuts a wait short: when it emits during a backoff wait, the retry happens at once. Pass the
   * browser's `online` and `visibilitychange` events, or a "Reconnect" button's clicks.
   * @default never
   */
  wake?: Observable<unknown>;
  /**
   * Schedules the waits and reads the uptime clock. Tests pass the marble `TestScheduler`.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
}

/**
 * Defaults of {@link RetryBackoffConfig}.
 */
export const DEFAULT_RETRY_BACKOFF = {
  initialDelay: 1000,
  maxDelay: 16_000,
  maxAttempts: 5,
  jitter: 0.2,
  /** Jitter's source of randomness. */
  random: Math.random,
  resetAfter: 5000,
  /** Every error is retried. */
  shouldRetry: () => true,
  scheduler: asyncScheduler,
} as const satisfies Required<Omit<RetryBackoffConfig, 'onRetry' | 'wake'>>;

/**
 * Resubscribes to the source when it errors, after an exponential, capped and jittered delay
 * (1, 2, 4, 8, 16 s with the defaults, each ±20 %), and lets the last error through after
 * `maxAttempts` retries. Errors that `shouldRetry` calls fatal are rethrown at once. Once the
 * source has emitted and stayed up for `resetAfter` ms, the next error starts over at
 * `initialDelay`. Every subscription keeps its own attempt count.
 *
 * The delay computation alone is {@link backoffDelay}.
 *
 * @example
 * ```ts
 * const socket$ = connect$.pipe(
 *   retryBackoff({
 *     shouldRetry: (error) => !(error instanceof AuthError),
 *     onRetry: ({ attempt, delay }) => state$.next({ kind: 'reconnecting', attempt, delay }),
 *   }),
 * );
 * ```
 *
 * @throws {TypeError} when a delay is negative or NaN, `maxAttempts` is negative or NaN, or
 * `jitter` is outside [0, 1].
 */
export function retryBackoff<T>(config: RetryBackoffConfig = {}): MonoTypeOperatorFunction<T> {
  const {
    initialDelay = DEFAULT_RETRY_BACKOFF.initialDelay,
    maxDelay = DEFAULT_RETRY_BACKOFF.maxDelay,
    maxAttempts = DEFAULT_RETRY_BACKOFF.maxAttempts,
    jitter = DEFAULT_RETRY_BACKOFF.jitter,
    random = DEFAULT_RETRY_BACKOFF.random,
    resetAfter = DEFAULT_RETRY_BACKOFF.resetAfter,
    shouldRetry = DEFAULT_RETRY_BACKOFF.shouldRetry,
    onRetry,
    wake = NEVER,
    scheduler = DEFAULT_RETRY_BACKOFF.scheduler,
  } = config;
  assertAtLeastZero('initialDelay', initialDelay, 'a number of ms such as 1000');
  assertAtLeastZero('maxDelay', maxDelay, 'a number of ms such as 16000');
  assertAtLeastZero('resetAfter', resetAfter, 'a number of ms such as 5000');
  assertAtLeastZero('maxAttempts', maxAttempts, 'a count such as 5, or 0 to never retry');
  if (!(jitter >= 0 && jitter <= 1)) {
    throw new TypeError(
      `retryBackoff: \`jitter\` must be a fraction between 0 and 1, got ${jitter}. ` +
        'Pass e.g. 0.2 for ±20 %, or 0 for exact delays.',
    );
  }

  return (source) =>
    defer(() => {
      let attempt = 0;
      let upSince: number | undefined;
      return source.pipe(
        tap(() => {
          upSince ??= scheduler.now();
        }),
        retry({
          delay: (error: unknown) => {
            if (!shouldRetry(error)) {
              return throwError(() => error);
            }
            if (upSince !== undefined && scheduler.now() - upSince >= resetAfter) {
              attempt = 0;
            }
            upSince = undefined;
            attempt += 1;
            if (attempt > maxAttempts) {
              return throwError(() => error);
            }
            const delay = backoffDelay(attempt, { initialDelay, maxDelay, jitter, random });
            onRetry?.({ attempt, delay, error });
            return race(timer(delay, scheduler), wake.pipe(take(1)));
          },
        }),
      );
    });
}

function assertAtLeastZero(name: string, value: number, example: string): void {
  if (!(value >= 0)) {
    throw new TypeError(`retryBackoff: \`${name}\` must be 0 or more, got ${value}. Pass ${example}.`);
  }
}
