import {
  asyncScheduler,
  connect,
  defer,
  filter,
  merge,
  race,
  Subject,
  tap,
  throttle,
  timer,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { isProgressEvent } from '../protocol/guards.js';

/** Options of {@link throttleProgress}. */
export interface ThrottleProgressConfig {
  /**
   * Shortest time between two progress events, in ms. 100 keeps a progress bar at 10 updates a
   * second, which is smooth to the eye and cheap for React.
   * @default 100
   */
  interval?: number;
  /**
   * Where the throttle windows are timed; tests pass a `TestScheduler`.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
}

/** Defaults of {@link ThrottleProgressConfig}. */
export const DEFAULT_THROTTLE_PROGRESS = { interval: 100 } as const;

/**
 * Throttles `progress` and `encoding_progress` events (leading and trailing) and lets every other
 * event through at once, in order. A trailing progress still waiting in its window is flushed just
 * before the next non-progress event, and before the source completes or errors, so the last
 * progress is never lost and never arrives after `completed`.
 *
 * @example
 * events$.pipe(throttleProgress({ interval: 100 })).subscribe(render);
 */
export function throttleProgress<T extends { type: string }>(config: ThrottleProgressConfig = {}): MonoTypeOperatorFunction<T> {
  const { interval = DEFAULT_THROTTLE_PROGRESS.interval, scheduler = asyncScheduler } = config;
  if (!(interval >= 0)) throw new TypeError(`throttleProgress: interval must be a number of ms >= 0, got ${interval}.`);

  return (source) =>
    defer(() => {
      // `tap` runs before the value reaches `connect`, so the pending progress is released
      // before the event that ends its window is emitted.
      const flush = new Subject<void>();
      const release = () => flush.next();
      return source.pipe(
        tap({ next: (event) => isProgressEvent(event) || release(), complete: release, error: release }),
        connect((shared) =>
          merge(
            shared.pipe(
              filter((event) => isProgressEvent(event)),
              throttle(() => race(timer(interval, scheduler), flush), { leading: true, trailing: true }),
            ),
            shared.pipe(filter((event) => !isProgressEvent(event))),
          ),
        ),
      );
    });
}
