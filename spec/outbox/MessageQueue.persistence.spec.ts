import { describe, expect, it } from 'vitest';
import type { QueuedMessage } from '../../src/outbox/QueuedMessage.js';
import { ids, setupQueue, T0 } from './setupQueue.js';

describe('MessageQueue', () => {
  describe('persistence', () => {
    it('should give a new queue on the same storage the same ids, order, data, retries and timestamps', () => {
      const { queue, scheduler, open } = setupQueue();
      queue.enqueue('a', { deep: [1, { x: 'y' }] });
      scheduler.frame += 250;
      queue.enqueue('b', 'text');
      queue.enqueue('c', null);
      queue.incrementRetries('m2');
      queue.remove('m3');
      const reloaded = open();
      expect(reloaded.getAll()).toEqual(queue.getAll());
      expect(reloaded.getAll()).toEqual([
        { id: 'm1', timestamp: new Date(T0), event: 'a', data: { deep: [1, { x: 'y' }] }, retries: 0 },
        { id: 'm2', timestamp: new Date(T0 + 250), event: 'b', data: 'text', retries: 1 },
      ]);
    });

    it('should store under the versioned key, timestamps as epoch ms', () => {
      const { queue, storage } = setupQueue();
      queue.enqueue('a', 1);
      expect(JSON.parse(storage.getItem('jobstream:outbox:v1')!)).toEqual({
        version: 1,
        messages: [{ id: 'm1', timestamp: T0, event: 'a', data: 1, retries: 0 }],
      });
    });

    it('should keep queues with different keys apart', () => {
      const { queue, open } = setupQueue();
      queue.enqueue('a', 1);
      expect(open({ key: 'other' }).size()).toBe(0);
    });

    it("should read storage before each operation, so two tabs never overwrite each other's messages", () => {
      const { queue: tabA, open } = setupQueue();
      const tabB = open();
      tabA.enqueue('from A', null);
      tabB.enqueue('from B', null);
      expect(tabA.peek()?.event).toBe('from A');
      tabA.remove('m1');
      expect(tabB.getAll().map((m) => m.event)).toEqual(['from B']);
      expect(tabA.getAll().map((m) => m.event)).toEqual(['from B']);
    });

    it('should report a drop in the tab that made it only', () => {
      const { queue: tabA, open, scheduler, dropped } = setupQueue({ ttl: 1000 });
      const tabB = open();
      tabA.enqueue('a', null);
      scheduler.frame += 2000;
      tabA.size();
      tabB.size();
      expect(dropped).toHaveLength(1);
    });
  });

  describe('messages$', () => {
    it('should replay the current content and emit frozen copies on every change', () => {
      const { queue } = setupQueue();
      queue.enqueue('a', 1);
      const seen: (readonly QueuedMessage[])[] = [];
      const subscription = queue.messages$.subscribe((messages) => seen.push(messages));
      queue.enqueue('b', 2);
      queue.dequeue();
      subscription.unsubscribe();
      expect(seen.map(ids)).toEqual([['m1'], ['m1', 'm2'], ['m2']]);
      expect(Object.isFrozen(seen[0])).toBe(true);
      expect(Object.isFrozen(seen[0]![0])).toBe(true);
    });

    it('should not emit for an operation that changes nothing', () => {
      const { queue } = setupQueue();
      queue.enqueue('a', 1);
      let emissions = 0;
      queue.messages$.subscribe(() => emissions++);
      queue.peek();
      queue.getAll();
      queue.remove('unknown');
      queue.reload();
      expect(emissions).toBe(1);
    });

    it("should emit another tab's change on reload()", () => {
      const { queue: tabA, open } = setupQueue();
      const tabB = open();
      const seen: string[][] = [];
      tabA.messages$.subscribe((messages) => seen.push(ids(messages)));
      tabB.enqueue('b', null);
      tabA.reload();
      expect(seen).toEqual([[], ['m1']]);
    });

    it('should start with what storage held', () => {
      const { queue, open } = setupQueue();
      queue.enqueue('a', 1);
      const seen: string[][] = [];
      open().messages$.subscribe((messages) => seen.push(ids(messages)));
      expect(seen).toEqual([['m1']]);
    });
  });
});
