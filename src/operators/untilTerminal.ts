import { takeWhile, type MonoTypeOperatorFunction } from 'rxjs';
import type { WebSocketEvent } from '../protocol/events.js';
import { isTerminalEvent } from '../protocol/guards.js';

/**
 * Completes right after the first terminal event (`completed`, a `status_change` to `failed` or
 * `cancelled`, a non-recoverable `error`), which it emits; later events, such as a second
 * `completed` replayed by a resync, never pass.
 *
 * @example
 * events$.pipe(untilTerminal()).subscribe({ complete: () => console.log('job over') });
 */
export function untilTerminal<T extends WebSocketEvent>(): MonoTypeOperatorFunction<T> {
  return takeWhile((event) => !isTerminalEvent(event), true);
}
