import { Observable } from 'rxjs';
import type { Socket } from 'socket.io-client';

/**
 * Emits `event` with `payload` when subscribed, then emits the server's ack and completes.
 * It has no timeout of its own: callers add one on their scheduler (`timeout({ first, scheduler })`)
 * so virtual time can drive it. Unsubscribing before the ack drops the late answer.
 *
 * @example
 * ack$(socket, 'subscribe', { type: 'subscribe', generation_id }).pipe(timeout(5000));
 */
export function ack$(socket: Socket, event: string, ...payload: unknown[]): Observable<unknown> {
  return new Observable((subscriber) => {
    socket.emit(event, ...payload, (response: unknown) => {
      subscriber.next(response);
      subscriber.complete();
    });
  });
}
