import { describe, it } from 'vitest';
import { marbles } from 'rxjs-marbles';
import { monotonicProgress } from '../src/operators/monotonicProgress.js';
import { clip, completed, encoding, progress, status } from './fixtures/events.js';

// prettier-ignore
const values = {
  a: progress(10), b: progress(20), B: progress(20, 'finalizing'), c: progress(30), r: progress(15),
  e: encoding(40), E: encoding(35),
  x: clip('x'), y: clip('y'),
  p: status('queued', 'processing'), q: status('queued', 'processing'),
  z: completed,
};

describe('monotonicProgress', () => {
  describe('with progress events', () => {
    // prettier-ignore
    it('should drop progress that goes backwards', marbles((m) => {
      const source   = m.cold(' a-c-r-b-c-|', values);
      const expected =         'a-c-------|';
      m.expect(source.pipe(monotonicProgress())).toBeObservable(expected, values);
    }));

    // prettier-ignore
    it('should drop a repeated snapshot but pass a new step at the same percentage', marbles((m) => {
      const source   = m.cold(' a-b-b-B-B-|', values);
      const expected =         'a-b---B---|';
      m.expect(source.pipe(monotonicProgress())).toBeObservable(expected, values);
    }));

    // prettier-ignore
    it('should treat encoding_progress the same way', marbles((m) => {
      const source   = m.cold(' e-E-e-z|', values);
      const expected =         'e-----z|';
      m.expect(source.pipe(monotonicProgress())).toBeObservable(expected, values);
    }));
  });

  describe('with clips and status changes', () => {
    // prettier-ignore
    it('should pass each clip once', marbles((m) => {
      const source   = m.cold(' x-y-x-y-|', values);
      const expected =         'x-y-----|';
      m.expect(source.pipe(monotonicProgress())).toBeObservable(expected, values);
    }));

    // prettier-ignore
    it('should drop a status_change to the status the job already has', marbles((m) => {
      const source   = m.cold(' p-q-a-z|', values);
      const expected =         'p---a-z|';
      m.expect(source.pipe(monotonicProgress())).toBeObservable(expected, values);
    }));
  });

  describe('with two subscriptions', () => {
    // prettier-ignore
    it('should keep state per subscription', marbles((m) => {
      const source    = m.cold(' c-x-|', values);
      const subs      =         ['^---!', '^---!'];
      const monotonic = source.pipe(monotonicProgress());
      m.expect(monotonic).toBeObservable('c-x-|', values);
      m.expect(monotonic).toBeObservable('c-x-|', values);
      m.expect(source).toHaveSubscriptions(subs);
    }));
  });
});
