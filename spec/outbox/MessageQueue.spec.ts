import { describe, expect, it } from 'vitest';
import { MessageQueue } from '../../src/outbox/MessageQueue.js';
import { memoryStorage } from '../../src/outbox/memoryStorage.js';
import { ids, setupQueue, T0 } from './setupQueue.js';

describe('MessageQueue', () => {
  describe('enqueue', () => {
    it('should append a message stamped now with 0 retries and return its id', () => {
      const { queue } = setupQueue();
      expect(queue.enqueue('cancel', { generation_id: 'g1' })).toBe('m1');
      expect(queue.getAll()).toEqual([
        { id: 'm1', timestamp: new Date(T0), event: 'cancel', data: { generation_id: 'g1' }, retries: 0 },
      ]);
    });

    it('should keep a frozen JSON copy of data, with undefined as null', () => {
      const { queue } = setupQueue();
      const data = { nested: { n: 1 }, skip: undefined };
      queue.enqueue('a', data);
      queue.enqueue('b', undefined);
      data.nested.n = 2;
      const [first, second] = queue.getAll();
      expect(first?.data).toEqual({ nested: { n: 1 } });
      expect(Object.isFrozen((first?.data as { nested: object }).nested)).toBe(true);
      expect(second?.data).toBeNull();
    });

    it('should throw a TypeError for a bad event or unserialisable data, and change nothing', () => {
      const { queue } = setupQueue();
      const cycle: Record<string, unknown> = {};
      cycle.self = cycle;
      expect(() => queue.enqueue('', {})).toThrow(TypeError);
      expect(() => queue.enqueue('x'.repeat(257), {})).toThrow(TypeError);
      expect(() => queue.enqueue('a', cycle)).toThrow(TypeError);
      expect(() => queue.enqueue('a', () => 1)).toThrow(TypeError);
      expect(queue.size()).toBe(0);
    });

    it('should throw when generateId repeats an id, keeping the first message', () => {
      const { queue } = setupQueue({ generateId: () => 'same' });
      queue.enqueue('a', 1);
      expect(() => queue.enqueue('b', 2)).toThrow(/generateId/);
      expect(queue.getAll().map((m) => m.event)).toEqual(['a']);
    });
  });

  describe('with maxMessageBytes', () => {
    /** The envelope `{ id, event, data }` as JSON, in UTF-8 bytes: two per `é`. */
    const envelopeBytes = (id: string, data: string) => JSON.stringify({ id, event: 'e', data }).length + data.length;

    it('should refuse with a RangeError a message whose encoded envelope is above it, in UTF-8 bytes, and change nothing', () => {
      const data = 'é'.repeat(10);
      const bytes = envelopeBytes('m1', data);
      const { queue } = setupQueue({ maxMessageBytes: bytes - 1 });
      expect(() => queue.enqueue('e', data)).toThrow(RangeError);
      expect(() => queue.enqueue('e', data)).toThrow(`message of ${bytes} bytes is above maxMessageBytes (${bytes - 1})`);
      expect(queue.size()).toBe(0);
    });

    it('should accept a message exactly at it', () => {
      const data = 'é'.repeat(10);
      const { queue } = setupQueue({ maxMessageBytes: envelopeBytes('m1', data) });
      queue.enqueue('e', data);
      expect(queue.size()).toBe(1);
    });

    it("should default to 1,000,000, socket.io's default maxHttpBufferSize", () => {
      const { queue } = setupQueue();
      expect(() => queue.enqueue('e', 'x'.repeat(1_000_000))).toThrow(RangeError);
      queue.enqueue('e', 'x'.repeat(999_900));
      expect(queue.size()).toBe(1);
    });

    it.each([0, -1, Number.NaN])('should throw a RangeError for %s', (maxMessageBytes) => {
      expect(() => setupQueue({ maxMessageBytes })).toThrow(RangeError);
    });
  });

  describe('dequeue', () => {
    it('should remove and return messages oldest first, then null', () => {
      const { queue } = setupQueue();
      queue.enqueue('a', 1);
      queue.enqueue('b', 2);
      expect(queue.dequeue()?.event).toBe('a');
      expect(queue.dequeue()?.event).toBe('b');
      expect(queue.dequeue()).toBeNull();
    });
  });

  describe('peek', () => {
    it('should return the oldest message without removing it, or null when empty', () => {
      const { queue } = setupQueue();
      expect(queue.peek()).toBeNull();
      queue.enqueue('a', 1);
      queue.enqueue('b', 2);
      expect(queue.peek()?.id).toBe('m1');
      expect(queue.peek()?.id).toBe('m1');
      expect(queue.size()).toBe(2);
    });

    it('should return a copy that cannot change the queue', () => {
      const { queue } = setupQueue();
      queue.enqueue('a', 1);
      const peeked = queue.peek()!;
      peeked.retries = 99;
      peeked.timestamp.setTime(0);
      expect(queue.peek()).toMatchObject({ retries: 0, timestamp: new Date(T0) });
    });
  });

  describe('remove', () => {
    it('should remove the message with that id, silently, and say whether it was there', () => {
      const { queue, dropped } = setupQueue();
      queue.enqueue('a', 1);
      queue.enqueue('b', 2);
      queue.enqueue('c', 3);
      expect(queue.remove('m2')).toBe(true);
      expect(queue.remove('m2')).toBe(false);
      expect(ids(queue.getAll())).toEqual(['m1', 'm3']);
      expect(dropped).toEqual([]);
    });
  });

  describe('clear', () => {
    it('should empty the queue and its storage', () => {
      const { queue, open } = setupQueue();
      queue.enqueue('a', 1);
      queue.clear();
      expect(queue.size()).toBe(0);
      expect(open().size()).toBe(0);
    });
  });

  describe('size', () => {
    it('should count waiting messages', () => {
      const { queue } = setupQueue();
      expect(queue.size()).toBe(0);
      queue.enqueue('a', 1);
      queue.enqueue('b', 1);
      expect(queue.size()).toBe(2);
      queue.dequeue();
      expect(queue.size()).toBe(1);
    });
  });

  describe('getAll', () => {
    it('should return copies of every message in FIFO order', () => {
      const { queue } = setupQueue();
      for (const event of ['a', 'b', 'c']) queue.enqueue(event, null);
      const all = queue.getAll();
      all.pop();
      all[0]!.event = 'changed';
      expect(queue.getAll().map((m) => m.event)).toEqual(['a', 'b', 'c']);
    });
  });

  describe('with maxSize', () => {
    it('should drop the oldest into onDrop("overflow") and keep the newest maxSize in order', () => {
      const { queue, dropped } = setupQueue({ maxSize: 3 });
      for (const event of ['a', 'b', 'c', 'd', 'e']) queue.enqueue(event, null);
      expect(queue.getAll().map((m) => m.event)).toEqual(['c', 'd', 'e']);
      expect(dropped.map((d) => [d.message.event, d.reason])).toEqual([
        ['a', 'overflow'],
        ['b', 'overflow'],
      ]);
    });

    it('should default to 100', () => {
      const { queue, dropped } = setupQueue();
      for (let i = 0; i < 101; i++) queue.enqueue('e', i);
      expect(queue.size()).toBe(100);
      expect(dropped.map((d) => d.message.data)).toEqual([0]);
    });

    it('should throw a RangeError for a maxSize below 1', () => {
      expect(() => new MessageQueue({ maxSize: 0, storage: memoryStorage() })).toThrow(RangeError);
    });
  });

  describe('with maxRetries', () => {
    it('should allow maxRetries retries, then drop to onDrop("retries_exhausted") with the error', () => {
      const { queue, dropped } = setupQueue({ maxRetries: 2 });
      const id = queue.enqueue('a', 1);
      expect(queue.incrementRetries(id)).toBe(true);
      expect(queue.peek()?.retries).toBe(1);
      expect(queue.incrementRetries(id)).toBe(true);
      expect(dropped).toEqual([]);
      expect(queue.incrementRetries(id, 'ack timeout')).toBe(false);
      expect(queue.size()).toBe(0);
      expect(dropped).toEqual([
        { message: expect.objectContaining({ id, retries: 2 }), reason: 'retries_exhausted', error: 'ack timeout' },
      ]);
    });

    it('should default to 3 retries', () => {
      const { queue } = setupQueue();
      const id = queue.enqueue('a', 1);
      expect([1, 2, 3, 4].map(() => queue.incrementRetries(id))).toEqual([true, true, true, false]);
    });

    it('should return false for an unknown id', () => {
      const { queue } = setupQueue();
      expect(queue.incrementRetries('nope')).toBe(false);
    });
  });

  describe('reject', () => {
    it('should drop the message to onDrop("rejected") with the error', () => {
      const { queue, dropped } = setupQueue();
      queue.enqueue('a', 1);
      queue.enqueue('b', 2);
      expect(queue.reject('m1', new Error('refused'))).toBe(true);
      expect(queue.reject('m1')).toBe(false);
      expect(ids(queue.getAll())).toEqual(['m2']);
      expect(dropped).toEqual([
        { message: expect.objectContaining({ id: 'm1' }), reason: 'rejected', error: new Error('refused') },
      ]);
    });
  });

  describe('onDrop', () => {
    it('should be called after the change is saved, so it may re-enter the queue', () => {
      const { open } = setupQueue({ maxSize: 1 });
      const queue: MessageQueue = open({
        onDrop: ({ message }) => {
          if (message.event === 'a') queue.enqueue('replacement', null);
        },
      });
      queue.enqueue('a', null);
      queue.enqueue('b', null);
      expect(queue.getAll().map((m) => m.event)).toEqual(['replacement']);
      expect(open().getAll().map((m) => m.event)).toEqual(['replacement']);
    });

    it('should deliver every drop and save even when a callback throws', () => {
      const seen: string[] = [];
      const { open, scheduler } = setupQueue();
      const queue = open({
        onDrop: ({ message }) => {
          seen.push(message.event);
          throw new Error('handler bug');
        },
      });
      queue.enqueue('a', null);
      queue.enqueue('b', null);
      scheduler.frame += 10;
      queue.enqueue('c', null);
      expect(() => queue.removeOldMessages(5)).toThrow('handler bug');
      expect(seen).toEqual(['a', 'b']);
      expect(open().getAll().map((m) => m.event)).toEqual(['c']);
    });
  });
});
