import { describe, expect, it } from 'vitest';
import type { MessageQueue } from '../../src/outbox/MessageQueue.js';
import { ids, setupQueue } from './setupQueue.js';

const HOUR = 3_600_000;

describe('MessageQueue', () => {
  describe('removeOldMessages', () => {
    it('should drop messages older than maxAge to onDrop("expired") and keep the rest in order', () => {
      const { queue, scheduler, dropped } = setupQueue();
      queue.enqueue('old', null);
      scheduler.frame += 1000;
      queue.enqueue('edge', null);
      scheduler.frame += 500;
      queue.enqueue('young', null);
      scheduler.frame += 500;
      queue.removeOldMessages(1000);
      // 'edge' is exactly 1000 ms old: not older than maxAge, so it stays.
      expect(queue.getAll().map((m) => m.event)).toEqual(['edge', 'young']);
      expect(dropped).toEqual([{ message: expect.objectContaining({ event: 'old' }), reason: 'expired' }]);
    });

    it('should throw a RangeError for a negative or NaN maxAge', () => {
      const { queue } = setupQueue();
      expect(() => queue.removeOldMessages(-1)).toThrow(RangeError);
      expect(() => queue.removeOldMessages(Number.NaN)).toThrow(RangeError);
    });
  });

  describe('with ttl', () => {
    // prettier-ignore
    it.each<[string, (queue: MessageQueue) => unknown, unknown]>([
      ['peek',    (queue) => queue.peek()?.event,                     'b'],
      ['dequeue', (queue) => queue.dequeue()?.event,                  'b'],
      ['getAll',  (queue) => queue.getAll().map((m) => m.event),      ['b']],
      ['size',    (queue) => queue.size(),                            1],
    ])('should sweep expired messages on %s', (_, operate, expected) => {
      const { queue, scheduler, dropped } = setupQueue({ ttl: 1000 });
      queue.enqueue('a', null);
      scheduler.frame += 600;
      queue.enqueue('b', null);
      scheduler.frame += 401;
      expect(operate(queue)).toEqual(expected);
      expect(dropped.map((d) => [d.message.event, d.reason])).toEqual([['a', 'expired']]);
    });

    it('should sweep before enqueueing, so an expired message never counts toward maxSize', () => {
      const { queue, scheduler, dropped } = setupQueue({ ttl: 1000, maxSize: 2 });
      queue.enqueue('a', null);
      queue.enqueue('b', null);
      scheduler.frame += 1001;
      queue.enqueue('c', null);
      expect(dropped.map((d) => d.reason)).toEqual(['expired', 'expired']);
      expect(queue.getAll().map((m) => m.event)).toEqual(['c']);
    });

    it('should sweep on load, reporting what expired while the page was closed', () => {
      const { queue, scheduler, open, dropped } = setupQueue();
      queue.enqueue('a', null);
      scheduler.frame += HOUR / 2;
      queue.enqueue('b', null);
      scheduler.frame += HOUR / 2 + 1;
      const reloaded = open();
      expect(dropped.map((d) => [d.message.event, d.reason])).toEqual([['a', 'expired']]);
      expect(reloaded.getAll().map((m) => m.event)).toEqual(['b']);
    });

    it('should default to one hour', () => {
      const { queue, scheduler } = setupQueue();
      queue.enqueue('a', null);
      scheduler.frame += HOUR;
      expect(queue.size()).toBe(1);
      scheduler.frame += 1;
      expect(queue.size()).toBe(0);
    });

    it('should never expire with ttl Infinity', () => {
      const { queue, scheduler } = setupQueue({ ttl: Infinity });
      queue.enqueue('a', null);
      scheduler.frame += 1e12;
      expect(ids(queue.getAll())).toEqual(['m1']);
    });
  });
});
