import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EVENT_DATA_SCHEMAS, MAX_TEXT_LENGTH } from '../../src/protocol/events.js';
import { HOT_EVENT_READERS } from '../../src/protocol/readHotEvent.js';
import { validData } from './arbitraries.js';

const HOT = ['progress', 'encoding_progress'] as const;

/** Values at and around every bound the two schemas check, plus the wrong types. */
const edgyValue = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 1.5, 99.999, 100, 100.0001, 2 ** 53 - 1, 2 ** 53, NaN, Infinity, -Infinity),
  fc.constantFrom('', 'x'.repeat(MAX_TEXT_LENGTH), 'x'.repeat(MAX_TEXT_LENGTH + 1), null, undefined, true, [], {}),
  fc.double(),
  fc.integer(),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** A valid payload with some fields swapped for edgy values, dropped, or extra keys added. */
const nearlyValid = (type: (typeof HOT)[number]) =>
  validData[type].chain((data) =>
    fc
      .record({
        swaps: fc.dictionary(fc.constantFrom(...Object.keys(data)), edgyValue, { maxKeys: 3 }),
        drop: fc.option(fc.constantFrom(...Object.keys(data)), { nil: undefined }),
        extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 2 }),
      })
      .map(({ swaps, drop, extra }) => {
        const payload: Record<string, unknown> = { ...extra, ...data, ...swaps };
        return Object.fromEntries(Object.entries(payload).filter(([key]) => key !== drop));
      }),
  );

describe('HOT_EVENT_READERS', () => {
  describe.each(HOT)('%s', (type) => {
    const read = HOT_EVENT_READERS[type];
    const schema = EVENT_DATA_SCHEMAS[type];

    it('should take every valid payload, with the output of the schema', () => {
      fc.assert(
        fc.property(validData[type], (data) => {
          const payload = JSON.parse(JSON.stringify(data)) as unknown;
          expect(read(payload)).toEqual({ type, data: v.parse(schema, payload) });
        }),
        { numRuns: 1000 },
      );
    });

    it('should never take a payload the schema refuses, nor differ from its output', () => {
      fc.assert(
        fc.property(fc.oneof(nearlyValid(type), fc.anything({ withNullPrototype: true, withBoxedValues: true })), (payload) => {
          const fast = read(payload);
          const slow = v.safeParse(schema, payload);
          if (fast !== undefined) {
            expect(slow.success).toBe(true);
            expect(fast).toEqual({ type, data: slow.output });
          }
        }),
        { numRuns: 5000 },
      );
    });

    it('should leave arrays and objects with another prototype to the schema', () => {
      const [valid = {}] = fc.sample<object>(validData[type], 1);
      expect(read(Object.assign([], valid))).toBeUndefined();
      expect(read(Object.assign(Object.create({ inherited: true }) as object, valid))).toBeUndefined();
      expect(read({ ...valid })).toBeDefined();
    });
  });
});
