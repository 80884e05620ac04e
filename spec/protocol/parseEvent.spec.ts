import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseEvent,
  ValidationError,
  WEBSOCKET_EVENT_TYPES,
  type ParseResult,
  type WebSocketEvent,
  type WebSocketEventType,
} from '../../src/protocol/index.js';
import { dangerousJsonText, validData, validEvent } from './arbitraries.js';

const VALID: Record<WebSocketEventType, Record<string, unknown>> = {
  progress: { step: 'rendering', clip_number: 2, total_clips: 5, percentage: 40, message: 'Clip 2 of 5' },
  clip_completed: { clip_id: 'clip_2', thumbnail_url: 'https://cdn.example.com/t/2.jpg', duration: 4.5 },
  status_change: { old_status: 'queued', new_status: 'processing', message: 'Started' },
  completed: { video_url: '/media/final.mp4', thumbnail_url: '/media/final.jpg', duration: 30 },
  error: { code: 'RATE_LIMITED', message: 'Slow down', recoverable: true },
  encoding_progress: { percentage: 99.5, frames_processed: 995, total_frames: 1000, estimated_remaining: 0.2 },
};

function expectRejected(result: ParseResult<WebSocketEvent>): ValidationError {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.error).toBeInstanceOf(ValidationError);
  expect(result.error).toBeInstanceOf(Error);
  expect(result.error.name).toBe('ValidationError');
  expect(result.error.reason).not.toBe('');
  return result.error;
}

/** Calls `parseEvent` and fails the test (rather than the suite) if it throws. */
function parseSafely(name: string, payload: unknown): ParseResult<WebSocketEvent> {
  let result: ParseResult<WebSocketEvent> | undefined;
  expect(() => (result = parseEvent(name, payload))).not.toThrow();
  return result!;
}

describe('parseEvent', () => {
  describe('with a valid payload', () => {
    it.each(WEBSOCKET_EVENT_TYPES)('should accept %s as a typed event', (type) => {
      const data = VALID[type];

      expect(parseEvent(type, data)).toEqual({ ok: true, value: { type, data } });
    });

    it.each(WEBSOCKET_EVENT_TYPES)('should strip unknown fields of %s', (type) => {
      const data = VALID[type];

      const result = parseEvent(type, { ...data, extra: 'dropped', nested: { deep: true } });

      expect(result).toEqual({ ok: true, value: { type, data } });
      if (result.ok) expect(Object.keys(result.value.data).sort()).toEqual(Object.keys(data).sort());
    });

    it('should return a copy, not the payload itself', () => {
      const data = { ...VALID.progress };

      const result = parseEvent('progress', data);

      expect(result.ok && result.value.data).not.toBe(data);
    });

    it.each([
      ['percentage', 0],
      ['percentage', 100],
      ['clip_number', 0],
      ['step', ''],
      ['message', 'x'.repeat(10_000)],
    ])('should accept the boundary progress.%s = %j', (field, value) => {
      expect(parseEvent('progress', { ...VALID.progress, [field]: value }).ok).toBe(true);
    });
  });

  describe('with an invalid payload', () => {
    // prettier-ignore
    it.each<[WebSocketEventType, string, Record<string, unknown>]>([
      ['progress',           'percentage',           { ...VALID.progress, percentage: -1 }],
      ['progress',           'percentage',           { ...VALID.progress, percentage: 101 }],
      ['progress',           'percentage',           { ...VALID.progress, percentage: NaN }],
      ['progress',           'percentage',           { ...VALID.progress, percentage: Infinity }],
      ['progress',           'percentage',           { ...VALID.progress, percentage: -Infinity }],
      ['progress',           'percentage',           { ...VALID.progress, percentage: '50' }],
      ['progress',           'clip_number',          { ...VALID.progress, clip_number: 1.5 }],
      ['progress',           'total_clips',          { ...VALID.progress, total_clips: -1 }],
      ['progress',           'step',                 { ...VALID.progress, step: 42 }],
      ['progress',           'message',              { ...VALID.progress, message: 'x'.repeat(10_001) }],
      ['progress',           'message',              { ...VALID.progress, message: undefined }],
      ['clip_completed',     'thumbnail_url',        { ...VALID.clip_completed, thumbnail_url: 'javascript:alert(1)' }],
      ['clip_completed',     'thumbnail_url',        { ...VALID.clip_completed, thumbnail_url: null }],
      ['clip_completed',     'clip_id',              { ...VALID.clip_completed, clip_id: '' }],
      ['clip_completed',     'clip_id',              { ...VALID.clip_completed, clip_id: 'c'.repeat(257) }],
      ['clip_completed',     'duration',             { ...VALID.clip_completed, duration: -0.1 }],
      ['status_change',      'new_status',           { ...VALID.status_change, new_status: 'exploded' }],
      ['status_change',      'old_status',           { ...VALID.status_change, old_status: 'QUEUED' }],
      ['completed',          'video_url',            { ...VALID.completed, video_url: 'data:video/mp4;base64,AAAA' }],
      ['completed',          'thumbnail_url',        { ...VALID.completed, thumbnail_url: '//evil.example/t.png' }],
      ['completed',          'duration',             { ...VALID.completed, duration: Infinity }],
      ['error',              'recoverable',          { ...VALID.error, recoverable: 'false' }],
      ['error',              'code',                 { ...VALID.error, code: 7 }],
      ['encoding_progress',  'frames_processed',     { ...VALID.encoding_progress, frames_processed: 2 ** 53 }],
      ['encoding_progress',  'estimated_remaining',  { ...VALID.encoding_progress, estimated_remaining: NaN }],
    ])('should refuse %s with a bad %s (case %#)', (type, path, payload) => {
      const error = expectRejected(parseEvent(type, payload));

      expect(error).toMatchObject({ kind: 'invalid_payload', event: type, path });
      expect(error.message).toContain(`"${type}"`);
      expect(error.message).toContain(path);
    });

    it.each(WEBSOCKET_EVENT_TYPES)('should name each missing field of %s', (type) => {
      for (const field of Object.keys(VALID[type])) {
        const { [field]: _, ...payload } = VALID[type];

        const error = expectRejected(parseEvent(type, payload));

        expect(error).toMatchObject({ kind: 'invalid_payload', event: type, path: field });
      }
    });

    it('should say why an unsafe URL is refused', () => {
      const error = expectRejected(
        parseEvent('clip_completed', { ...VALID.clip_completed, thumbnail_url: 'javascript:alert(1)' }),
      );

      expect(error.reason).toMatch(/http\(s\) URL or a root-relative path/);
    });

    it.each<[string, unknown]>([
      ['null', null],
      ['undefined', undefined],
      ['a string', 'progress'],
      ['a number', 42],
      ['a boolean', true],
      ['a symbol', Symbol('x')],
      ['a function', () => VALID.progress],
    ])('should refuse %s as the payload, at an empty path', (_, payload) => {
      const error = expectRejected(parseEvent('progress', payload));

      expect(error).toMatchObject({ kind: 'invalid_payload', event: 'progress', path: '' });
    });

    it('should refuse an empty array as a payload missing its fields', () => {
      const error = expectRejected(parseEvent('progress', []));

      expect(error).toMatchObject({ kind: 'invalid_payload', event: 'progress', path: 'step' });
    });
  });

  describe('with an unknown event name', () => {
    it.each(['unknown', 'Progress', 'toString', '__proto__', 'constructor', 'hasOwnProperty', ''])(
      'should return unknown_event for %j instead of throwing',
      (name) => {
        const error = expectRejected(parseSafely(name, VALID.progress));

        expect(error).toMatchObject({ kind: 'unknown_event', event: name, path: '' });
      },
    );

    it('should cap the echoed name of an absurdly long event', () => {
      const error = expectRejected(parseEvent('x'.repeat(100_000), {}));

      expect(error.event.length).toBeLessThanOrEqual(256);
    });

    it('should accept a number, as socket.io allows numeric event names', () => {
      const error = expectRejected(parseSafely(7 as unknown as string, {}));

      expect(error).toMatchObject({ kind: 'unknown_event', event: '7' });
    });
  });

  describe('with a hostile payload', () => {
    const throwingGetter = Object.defineProperty({ ...VALID.progress }, 'percentage', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const { proxy: revoked, revoke } = Proxy.revocable({ ...VALID.progress }, {});
    revoke();
    const throwingTraps = new Proxy(
      { ...VALID.progress },
      {
        get() {
          throw new Error('get trap');
        },
        has() {
          throw new Error('has trap');
        },
        ownKeys() {
          throw new Error('ownKeys trap');
        },
        getPrototypeOf() {
          throw new Error('getPrototypeOf trap');
        },
        getOwnPropertyDescriptor() {
          throw new Error('getOwnPropertyDescriptor trap');
        },
      },
    );
    const throwingNonError = new Proxy(
      {},
      {
        has() {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point of the test
          throw throwingTraps;
        },
      },
    );
    const throwingPrimitive = { ...VALID.progress, percentage: { [Symbol.toPrimitive]: () => { throw new Error('x'); } } };

    it.each([
      ['a getter that throws', throwingGetter],
      ['a revoked Proxy', revoked],
      ['a Proxy whose traps throw', throwingTraps],
      ['a Proxy that throws a hostile non-Error', throwingNonError],
      ['a field that throws on coercion', throwingPrimitive],
      ['a nested revoked Proxy field', { ...VALID.completed, video_url: revoked }],
      ['a nested throwing Proxy field', { ...VALID.completed, video_url: throwingTraps }],
    ])('should refuse %s without throwing', (_, payload) => {
      for (const type of WEBSOCKET_EVENT_TYPES) {
        const error = expectRejected(parseSafely(type, payload));

        expect(error).toMatchObject({ kind: 'invalid_payload', event: type });
      }
    });
  });

  describe('properties', () => {
    it('should never throw, whatever the name and payload', () => {
      const name = fc.oneof(fc.constantFrom(...WEBSOCKET_EVENT_TYPES), fc.string());
      const payload = fc.oneof(fc.jsonValue(), fc.anything({ withBoxedValues: true, withMap: true, withSet: true }));

      fc.assert(
        fc.property(name, payload, (name, payload) => {
          const result = parseEvent(name, payload);

          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) expect(result.error).toBeInstanceOf(ValidationError);
        }),
        { numRuns: 2000 },
      );
    });

    it('should round-trip every valid payload through JSON', () => {
      fc.assert(
        fc.property(validEvent, (event) => {
          expect(parseEvent(event.type, JSON.parse(JSON.stringify(event.data)))).toEqual({ ok: true, value: event });
        }),
        { numRuns: 2000 },
      );
    });

    describe('with __proto__, constructor and prototype keys', () => {
      const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

      function expectNoPollution(): void {
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
      }

      function expectPlain(value: unknown): void {
        if (value === null || typeof value !== 'object') return;
        const proto: unknown = Object.getPrototypeOf(value);
        expect([Object.prototype, Array.prototype]).toContain(proto);
        expect('polluted' in value).toBe(false);
        for (const key of ['__proto__', 'constructor', 'prototype']) expect(Object.hasOwn(value, key)).toBe(false);
        Object.values(value).forEach(expectPlain);
      }

      it('should never reach Object.prototype from random JSON', () => {
        fc.assert(
          fc.property(fc.constantFrom(...WEBSOCKET_EVENT_TYPES), dangerousJsonText, (type, text) => {
            const result = parseEvent(type, JSON.parse(text));

            expectNoPollution();
            if (result.ok) expectPlain(result.value);
          }),
          { numRuns: 1000 },
        );
      });

      it('should keep a valid payload valid and drop the dangerous keys', () => {
        const withDangerousKeys = fc
          .constantFrom(...WEBSOCKET_EVENT_TYPES)
          .chain((type) =>
            fc.tuple(
              fc.constant(type),
              validData[type] as fc.Arbitrary<Record<string, unknown>>,
              fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), dangerousJsonText), {
                minLength: 1,
                maxLength: 3,
              }),
            ),
          );

        fc.assert(
          fc.property(withDangerousKeys, ([type, data, extras]) => {
            const injected = extras.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',');
            const text = `{${injected},${JSON.stringify(data).slice(1)}`;
            const payload: unknown = JSON.parse(text);
            expect(Object.hasOwn(payload as object, extras[0]![0])).toBe(true);

            const result = parseEvent(type, payload);

            expectNoPollution();
            expect(result).toEqual({ ok: true, value: { type, data } });
            if (result.ok) expectPlain(result.value);
          }),
          { numRuns: 1000 },
        );
      });

      it('should not read fields that only sit behind an own __proto__ key', () => {
        const payload: unknown = JSON.parse(`{"__proto__":${JSON.stringify(VALID.progress)}}`);

        const error = expectRejected(parseEvent('progress', payload));

        expect(error.kind).toBe('invalid_payload');
        expectNoPollution();
      });
    });
  });
});
