import { describe, expect, it } from 'vitest';
import { ignoreElements, map, merge, skip, tap } from 'rxjs';
import { marbles } from 'rxjs-marbles';
import { createConnectionStore } from '../../src/client/createConnectionStore.js';
import type { ConnectionState } from '../../src/protocol/index.js';

describe('createConnectionStore', () => {
  describe('when created', () => {
    it('should hold and replay a disconnected state over no transport', () => {
      const store = createConnectionStore();
      const seen: ConnectionState[] = [];

      store.state$.subscribe((state) => seen.push(state));

      expect(seen).toStrictEqual([{ status: 'disconnected', transport: 'none', reconnectAttempts: 0 }]);
      expect(store.get()).toBe(seen[0]);
    });
  });

  describe('patch()', () => {
    it('should merge each change into the state and publish a new object', () => {
      const store = createConnectionStore();
      const seen: ConnectionState[] = [];
      store.state$.subscribe((state) => seen.push(state));
      const connectedAt = new Date(1000);

      store.patch({ status: 'connecting' });
      store.patch({ status: 'connected', transport: 'websocket', connectedAt });
      store.patch({ latencyMs: 12 });

      expect(seen.at(-1)).toStrictEqual({ status: 'connected', transport: 'websocket', reconnectAttempts: 0, connectedAt, latencyMs: 12 });
      expect(seen.map((state) => state.status)).toEqual(['disconnected', 'connecting', 'connected', 'connected']);
      expect(new Set(seen).size).toBe(seen.length);
      expect(store.get()).toBe(seen.at(-1));
    });

    it('should not change a state it already published', () => {
      const store = createConnectionStore();
      const first = store.get();

      store.patch({ status: 'error', reconnectAttempts: 6 });

      expect(first).toStrictEqual({ status: 'disconnected', transport: 'none', reconnectAttempts: 0 });
    });

    it('should clear a field patched to undefined', () => {
      const store = createConnectionStore();
      store.patch({ nextRetryAt: new Date(5000) });

      store.patch({ status: 'connected', nextRetryAt: undefined });

      expect(store.get().nextRetryAt).toBeUndefined();
    });
  });

  describe('touch()', () => {
    it(
      'should publish lastMessageAt at most once per second of virtual time',
      marbles((m) => {
        const store = createConnectionStore();
        // prettier-ignore
        const messages = m.hot('a 399ms b 598ms c d 499ms e 599ms f');
        const published = '      a 999ms     d 1099ms        f';
        //                       0   400      999 1000  1500     2100: d is the first 1000 ms after a

        const touched$ = messages.pipe(
          tap(() => store.touch(m.scheduler.now())),
          ignoreElements(),
        );
        const lastMessageAt$ = store.state$.pipe(
          skip(1),
          map((state) => state.lastMessageAt?.getTime()),
        );
        m.expect(merge(touched$, lastMessageAt$)).toBeObservable(published, { a: 0, d: 1000, f: 2100 });
      }),
    );

    it('should publish the first touch whatever its time', () => {
      const store = createConnectionStore();

      store.touch(0);

      expect(store.get().lastMessageAt).toEqual(new Date(0));
    });

    it('should keep the other fields as they were', () => {
      const store = createConnectionStore();
      store.patch({ status: 'connected', transport: 'polling', latencyMs: 3 });

      store.touch(42_000);

      expect(store.get()).toMatchObject({ status: 'connected', transport: 'polling', latencyMs: 3, lastMessageAt: new Date(42_000) });
    });
  });

  describe('complete()', () => {
    it('should complete state$ for current and late subscribers', () => {
      const store = createConnectionStore();
      const completions: string[] = [];
      store.state$.subscribe({ complete: () => completions.push('current') });

      store.complete();
      store.state$.subscribe({ complete: () => completions.push('late') });

      expect(completions).toEqual(['current', 'late']);
    });
  });
});
