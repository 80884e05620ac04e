import { afterEach, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/outbox/memoryStorage.js';
import { setupQueue, T0 } from './setupQueue.js';

const KEY = 'jobstream:outbox:v1';
const VALID = { id: 'ok', timestamp: T0, event: 'e', data: { n: 1 }, retries: 0 };

/** A queue opened on storage that already holds `raw` under the outbox key. */
function openOn(raw: string) {
  const storage = memoryStorage();
  storage.setItem(KEY, raw);
  return { ...setupQueue({ storage }), storage };
}

const document = (...messages: unknown[]) => JSON.stringify({ version: 1, messages });

describe('MessageQueue', () => {
  describe('with corrupt storage', () => {
    // prettier-ignore
    it.each([
      ['invalid JSON',                   '{"version":1,"messages":['],
      ['JSON null',                      'null'],
      ['a JSON string',                  '"messages"'],
      ['an array',                       '[]'],
      ['another version',                JSON.stringify({ version: 2, messages: [VALID] })],
      ['messages not an array',          JSON.stringify({ version: 1, messages: {} })],
    ])('should start empty, report "corrupt" once and rewrite storage cleanly (%s)', (_, raw) => {
      const { queue, problems, storage } = openOn(raw);
      expect(queue.getAll()).toEqual([]);
      queue.enqueue('a', 1);
      queue.size();
      expect(problems).toEqual([{ kind: 'corrupt' }]);
      expect(JSON.parse(storage.getItem(KEY)!)).toMatchObject({ version: 1, messages: [{ event: 'a' }] });
    });

    // prettier-ignore
    it.each([
      ['a missing field',                { id: 'x', timestamp: T0, event: 'e', retries: 0 }],
      ['an empty id',                    { ...VALID, id: '' }],
      ['a string timestamp',             { ...VALID, timestamp: '2025-01-01' }],
      ['a negative retry count',         { ...VALID, retries: -1 }],
      ['a fractional retry count',       { ...VALID, retries: 0.5 }],
      ['an unknown key',                 { ...VALID, extra: true }],
      ['a number',                       42],
      ['null',                           null],
    ])('should keep the valid entries, drop one with %s and report "corrupt" once', (_, bad) => {
      const { queue, problems } = openOn(document({ ...VALID, id: 'first' }, bad, { ...VALID, id: 'last' }));
      expect(queue.getAll().map((m) => m.id)).toEqual(['first', 'last']);
      queue.peek();
      expect(problems).toEqual([{ kind: 'corrupt' }]);
    });

    it('should keep the first of two entries with one id', () => {
      const { queue, problems } = openOn(document(VALID, { ...VALID, event: 'twin' }));
      expect(queue.getAll().map((m) => m.event)).toEqual(['e']);
      expect(problems).toEqual([{ kind: 'corrupt' }]);
    });

    it('should not report a clean document', () => {
      const { queue, problems } = openOn(document(VALID));
      expect(queue.getAll()).toEqual([{ ...VALID, timestamp: new Date(T0) }]);
      expect(problems).toEqual([]);
    });
  });

  describe('with hostile storage', () => {
    afterEach(() => {
      // Undo any pollution so one failing case cannot mask or cause another.
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing what a failed case polluted
      for (const key of ['polluted', 'hacked']) delete (Object.prototype as Record<string, unknown>)[key];
    });

    const entry = (extra: string, data = '{"n":1}') =>
      `{"id":"ok","timestamp":${T0},"event":"e","data":${data},"retries":0${extra}}`;
    const POLLUTER = '{"polluted":true}';
    // prettier-ignore
    it.each([
      ['__proto__ at the top level',    `{"version":1,"messages":[${entry('')}],"__proto__":${POLLUTER}}`],
      ['constructor at the top level',  `{"version":1,"messages":[${entry('')}],"constructor":{"prototype":${POLLUTER}}}`],
      ['__proto__ in a message',        `{"version":1,"messages":[${entry(`,"__proto__":${POLLUTER}`)}]}`],
      ['__proto__ in message data',     `{"version":1,"messages":[${entry('', `{"n":1,"__proto__":${POLLUTER}}`)}]}`],
    ])('should leave Object.prototype alone, keep clean messages and report "corrupt" once (%s)', (_, raw) => {
      const { queue, problems, open } = openOn(raw);
      const [message] = queue.getAll();
      const data = message?.data as Record<string, unknown>;
      Object.assign({}, data, message);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(message?.id).toBe('ok');
      expect(data).toEqual({ n: 1 });
      expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
      expect(Object.hasOwn(data, '__proto__')).toBe(false);
      expect(problems).toEqual([{ kind: 'corrupt' }]);
      expect(open().getAll()).toEqual(queue.getAll());
    });

    it('should drop a message with a constructor key, without pollution', () => {
      const hostile = { ...VALID, id: 'bad', constructor: { prototype: { hacked: true } } };
      const { queue, problems } = openOn(document(VALID, hostile));
      expect(queue.getAll().map((m) => m.id)).toEqual(['ok']);
      expect(({} as Record<string, unknown>).hacked).toBeUndefined();
      expect(problems).toEqual([{ kind: 'corrupt' }]);
    });

    it('should strip __proto__ keys from enqueued data, which JSON.parse would keep as own keys', () => {
      const { queue } = setupQueue();
      queue.enqueue('e', JSON.parse('{"a":1,"__proto__":{"polluted":true}}'));
      const data = queue.peek()?.data as object;
      expect(Object.hasOwn(data, '__proto__')).toBe(false);
      expect({ ...data }).toEqual({ a: 1 });
    });
  });
});
