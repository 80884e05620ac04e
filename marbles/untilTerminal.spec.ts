import { describe, it } from 'vitest';
import { marbles } from 'rxjs-marbles';
import { untilTerminal } from '../src/operators/untilTerminal.js';
import { completed, failure, progress, status } from './fixtures/events.js';

// prettier-ignore
const values = {
  a: progress(10), b: progress(50),
  c: status('processing', 'completed'), f: status('processing', 'failed'), x: status('processing', 'cancelled'),
  r: failure(true), e: failure(false),
  z: completed,
};

describe('untilTerminal', () => {
  describe('with a completed event', () => {
    // prettier-ignore
    it('should emit it and complete at once, unsubscribing the source', marbles((m) => {
      const source   = m.hot('  a-b-z-z-a-|', values);
      const subs     =         '^---!';
      const expected = m.cold(' a-b-(z|)', values);
      m.expect(source.pipe(untilTerminal())).toBeObservable(expected);
      m.expect(source).toHaveSubscriptions(subs);
    }));

    // prettier-ignore
    it('should not treat a status_change to completed as the end, so the video URL still arrives', marbles((m) => {
      const source   = m.hot('  a-c-z-|', values);
      const expected = m.cold(' a-c-(z|)', values);
      m.expect(source.pipe(untilTerminal())).toBeObservable(expected);
    }));
  });

  describe('with failures and cancellation', () => {
    // prettier-ignore
    it('should end at a non-recoverable error but not at a recoverable one', marbles((m) => {
      const source   = m.hot('  a-r-b-e-z-|', values);
      const expected = m.cold(' a-r-b-(e|)', values);
      m.expect(source.pipe(untilTerminal())).toBeObservable(expected);
    }));

    // prettier-ignore
    it('should end at a status_change to failed', marbles((m) => {
      const source   = m.hot('  a-f-e-|', values);
      const expected = m.cold(' a-(f|)', values);
      m.expect(source.pipe(untilTerminal())).toBeObservable(expected);
    }));

    // prettier-ignore
    it('should end at a status_change to cancelled', marbles((m) => {
      const source   = m.hot('  a-x-z-|', values);
      const expected = m.cold(' a-(x|)', values);
      m.expect(source.pipe(untilTerminal())).toBeObservable(expected);
    }));
  });
});
