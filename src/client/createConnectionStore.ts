import { BehaviorSubject, defer, distinctUntilChanged, of, type Observable } from 'rxjs';
import type { ConnectionState } from '../protocol/connection.js';

/** The client's one place for the link's state; every change is a new object. */
export interface ConnectionStore {
  readonly state$: Observable<ConnectionState>;
  get(): ConnectionState;
  patch(change: Partial<ConnectionState>): void;
  /**
   * Notes that job `key` polls REST in place of its socket (`on`) or no longer does. While the
   * link is down, `transport` is `polling` as long as any job polls, so it does not flicker to
   * `none` at each failed reconnect attempt.
   */
  setPolling(key: string, on: boolean): void;
  /** `polling` while any job polls, `none` otherwise: the transport of a link that is down. */
  downTransport(): 'polling' | 'none';
  /** Notes a message at `now`, publishing at most once per `resolution` ms to keep the hot path cheap. */
  touch(now: number): void;
  complete(): void;
}

/** Resolution of `lastMessageAt`: a UI shows "last message 3 s ago", not milliseconds. */
const TOUCH_RESOLUTION = 1000;

/** Creates the store, `disconnected` over no transport. */
export function createConnectionStore(): ConnectionStore {
  const subject = new BehaviorSubject<ConnectionState>({ status: 'disconnected', transport: 'none', reconnectAttempts: 0 });
  let lastTouch = -Infinity;
  let completed = false;
  const pollers = new Set<string>();
  const patch = (change: Partial<ConnectionState>) => subject.next({ ...subject.value, ...change });
  const downTransport = () => (pollers.size > 0 ? 'polling' : 'none');
  return {
    // After `complete`, late subscribers still get the last state, then completion.
    state$: defer(() => (completed ? of(subject.value) : subject.pipe(distinctUntilChanged()))),
    get: () => subject.value,
    patch,
    downTransport,
    setPolling(key, on) {
      if (on) pollers.add(key);
      else pollers.delete(key);
      const transport = downTransport();
      if (subject.value.status !== 'connected' && subject.value.transport !== transport) patch({ transport });
    },
    touch(now) {
      if (now - lastTouch < TOUCH_RESOLUTION) return;
      lastTouch = now;
      patch({ lastMessageAt: new Date(now) });
    },
    complete() {
      completed = true;
      subject.complete();
    },
  };
}
