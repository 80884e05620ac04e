import { defer, filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { WebSocketEvent } from '../protocol/events.js';
import { createProgressGate } from './createProgressGate.js';

/**
 * Drops what would make a progress display lie or stutter: progress lower than the highest seen,
 * a progress identical to the previous one (a resync replaying the same snapshot), a clip already
 * seen, and a `status_change` to the status the job already has. Everything else passes in order.
 * State is kept per subscription.
 *
 * @example
 * merge(live$, resync$).pipe(monotonicProgress()).subscribe(render);
 */
export function monotonicProgress<T extends WebSocketEvent>(): MonoTypeOperatorFunction<T> {
  return (source) =>
    defer(() => {
      const isNew = createProgressGate();
      return source.pipe(filter((event) => isNew(event)));
    });
}
