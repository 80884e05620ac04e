import { describe, expect, it } from 'vitest';
import { marbles } from 'rxjs-marbles';
import { clip, completed, encoding, progress } from './fixtures/events.js';
import { throttleProgress } from '../src/operators/throttleProgress.js';

// prettier-ignore
const values = {
  a: progress(10), b: progress(20), c: progress(30), d: progress(40),
  k: clip('c1'), z: completed,
  e: encoding(10), f: encoding(50), g: encoding(90),
};

describe('throttleProgress', () => {
  describe('with the default interval (100 ms)', () => {
    // prettier-ignore
    it('should emit the leading progress and the last of each window', marbles((m) => {
      const source   = m.hot('  a 20ms b 20ms c 100ms d 99ms |', values);
      const subs =              '^ 242ms                          !';
      const expected = m.cold(' a 99ms c 99ms d 42ms |', values);
      m.expect(source.pipe(throttleProgress())).toBeObservable(expected);
      m.expect(source).toHaveSubscriptions(subs);
    }));
  });

  describe('with interval: 10', () => {
    // prettier-ignore
    it('should let clips and status events through at once, never throttled', marbles((m) => {
      const source   = m.hot('  a-k-k-k-b-|', values);
      const expected = m.cold(' a-k-k-k-b-|', values);
      m.expect(source.pipe(throttleProgress({ interval: 10, scheduler: m.scheduler }))).toBeObservable(expected);
    }));

    // prettier-ignore
    it('should flush a pending trailing progress just before completed', marbles((m) => {
      const source   = m.hot('  a-b-c-z---|', values);
      const expected = m.cold(' a-----(cz)|', values);
      m.expect(source.pipe(throttleProgress({ interval: 10, scheduler: m.scheduler }))).toBeObservable(expected);
    }));

    // prettier-ignore
    it('should flush a pending trailing progress before the source completes', marbles((m) => {
      const source   = m.hot('  a-b-|', values);
      const expected = m.cold(' a---(b|)', values);
      m.expect(source.pipe(throttleProgress({ interval: 10, scheduler: m.scheduler }))).toBeObservable(expected);
    }));

    // prettier-ignore
    it('should flush a pending trailing progress before an error', marbles((m) => {
      const source   = m.hot('  a-b-#', values);
      const expected = m.cold(' a---(b#)', values);
      m.expect(source.pipe(throttleProgress({ interval: 10, scheduler: m.scheduler }))).toBeObservable(expected);
    }));

    // prettier-ignore
    it('should throttle encoding_progress the same way', marbles((m) => {
      const source   = m.hot('  e-f-g-z---|', values);
      const expected = m.cold(' e-----(gz)|', values);
      m.expect(source.pipe(throttleProgress({ interval: 10, scheduler: m.scheduler }))).toBeObservable(expected);
    }));

    // prettier-ignore
    it('should not flush anything when no progress is pending', marbles((m) => {
      const source   = m.hot('  a 10ms k z|', values);
      const expected = m.cold(' a 10ms k z|', values);
      m.expect(source.pipe(throttleProgress({ interval: 10, scheduler: m.scheduler }))).toBeObservable(expected);
    }));
  });

  describe('with a negative interval', () => {
    it('should throw when created', () => {
      expect(() => throttleProgress({ interval: -1 })).toThrow(TypeError);
    });
  });
});
