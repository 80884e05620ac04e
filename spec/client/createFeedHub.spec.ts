import { defer, finalize, ReplaySubject, Subject } from 'rxjs';
import { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { createFeedHub, type FeedListener } from '../../src/client/createFeedHub.js';

// Never used as a socket: the hub only tells a socket from `null`.
const socket = Object.create(Socket.prototype) as Socket;

/** A `root$` that replays its latest value, as the link's does, and counts its subscribers. */
function fakeRoot() {
  const subject = new ReplaySubject<Socket | null>(1);
  const counts = { subscribed: 0, released: 0 };
  const root$ = defer(() => {
    counts.subscribed++;
    return subject.pipe(finalize(() => counts.released++));
  });
  return { subject, counts, root$ };
}

function listener(log: string[], name: string, onChange?: (up: boolean) => void): FeedListener {
  return {
    linkChanged(up) {
      log.push(`${name}:${up ? 'up' : 'down'}`);
      onChange?.(up);
    },
    clientDisposed() {
      log.push(`${name}:disposed`);
    },
  };
}

describe('createFeedHub', () => {
  describe('watch()', () => {
    it('should subscribe to root$ once for every listener and release it after the last leaves', () => {
      const { counts, root$ } = fakeRoot();
      const hub = createFeedHub(root$, new Subject<void>());
      const log: string[] = [];
      const listeners = Array.from({ length: 100 }, (_, index) => listener(log, String(index)));

      for (const each of listeners) hub.watch(each);
      expect(counts).toStrictEqual({ subscribed: 1, released: 0 });
      for (const each of listeners.slice(1)) hub.unwatch(each);
      expect(counts.released).toBe(0);
      hub.unwatch(listeners[0]!);

      expect(counts).toStrictEqual({ subscribed: 1, released: 1 });
    });

    it('should tell a listener that watches while the link is up at once', () => {
      const { subject, root$ } = fakeRoot();
      const hub = createFeedHub(root$, new Subject<void>());
      const log: string[] = [];

      subject.next(socket);
      hub.watch(listener(log, 'a'));
      hub.watch(listener(log, 'b'));

      expect(log).toStrictEqual(['a:up', 'b:up']);
    });

    it('should tell each change once, and nothing while the link stays down', () => {
      const { subject, root$ } = fakeRoot();
      const hub = createFeedHub(root$, new Subject<void>());
      const log: string[] = [];

      hub.watch(listener(log, 'a'));
      subject.next(null);
      subject.next(socket);
      subject.next(socket);
      subject.next(null);
      subject.next(null);

      expect(log).toStrictEqual(['a:up', 'a:down']);
    });

    it('should stop telling an older value once a listener made the link change again', () => {
      const { subject, root$ } = fakeRoot();
      const hub = createFeedHub(root$, new Subject<void>());
      const log: string[] = [];

      hub.watch(listener(log, 'a', (up) => up && subject.next(null)));
      hub.watch(listener(log, 'b'));
      subject.next(socket);

      expect(log).toStrictEqual(['a:up', 'a:down', 'b:down']);
    });

    it('should hear a fresh replay after being released, not the state it last saw', () => {
      const { subject, root$ } = fakeRoot();
      const hub = createFeedHub(root$, new Subject<void>());
      const log: string[] = [];
      const first = listener(log, 'a');

      subject.next(socket);
      hub.watch(first);
      hub.unwatch(first);
      hub.watch(listener(log, 'b'));

      expect(log).toStrictEqual(['a:up', 'b:up']);
    });
  });

  describe('when the client is disposed', () => {
    it('should end every listener and, afterwards, any new one at once', () => {
      const { root$ } = fakeRoot();
      const disposed = new Subject<void>();
      const hub = createFeedHub(root$, disposed);
      const log: string[] = [];

      hub.watch(listener(log, 'a'));
      hub.watch(listener(log, 'b'));
      disposed.next();
      hub.watch(listener(log, 'c'));

      expect(log).toStrictEqual(['a:disposed', 'b:disposed', 'c:disposed']);
    });
  });
});
