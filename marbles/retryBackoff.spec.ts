import { EMPTY, defer } from 'rxjs';
import type { Observable } from 'rxjs';
import { marbles } from 'rxjs-marbles';
import { describe, expect, it } from 'vitest';
import { retryBackoff } from '../src/operators/retryBackoff.js';
import type { RetryBackoffConfig } from '../src/operators/retryBackoff.js';

/** Subscribes to the next of `sources` on each (re)subscription, to script every attempt. */
function attempts<T>(...sources: Observable<T>[]): Observable<T> {
  let index = 0;
  return defer(() => sources[index++] ?? EMPTY);
}

describe('retryBackoff', () => {
  describe('with the default config and random: () => 0.5', () => {
    it(
      'should pass values through and complete without resubscribing',
      marbles((m) => {
        // prettier-ignore
        const source = m.cold('a-b|');
        const subs =          '^--!';
        const expected =      'a-b|';

        m.expect(source.pipe(retryBackoff({ random: () => 0.5 }))).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );

    it(
      'should resubscribe after 1, 2, 4, 8 and 16 s, then rethrow the last error',
      marbles((m) => {
        const source = m.cold('#');
        // prettier-ignore
        const subs = [
          '        (^!)',
          ' 1000ms (^!)',
          ' 3000ms (^!)',
          ' 7000ms (^!)',
          '15000ms (^!)',
          '31000ms (^!)',
        ];
        const expected = '31000ms #';

        m.expect(source.pipe(retryBackoff({ random: () => 0.5 }))).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );

    it(
      'should keep a separate attempt count per subscription',
      marbles((m) => {
        const config = { initialDelay: m.time('--|'), maxAttempts: 1, jitter: 0 };
        const source = m.cold('#');
        const result = source.pipe(retryBackoff(config));
        // prettier-ignore
        const subs = [
          '(^!)',
          '--(^!)',
          '----------(^!)',
          '------------(^!)',
        ];
        // prettier-ignore
        const firstExpected =   '--#';
        const secondSubscribe = '----------^';
        const secondExpected =  '------------#';

        m.expect(result).toBeObservable(firstExpected);
        m.expect(result, secondSubscribe).toBeObservable(secondExpected);
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );
  });

  describe('with { maxDelay: 4 }', () => {
    it(
      'should cap the doubling delay at maxDelay',
      marbles((m) => {
        const config = {
          initialDelay: m.time('-|'),
          maxDelay: m.time('----|'),
          jitter: 0,
          scheduler: m.scheduler,
        };
        const source = m.cold('#');
        // prettier-ignore
        const subs = [
          '(^!)',
          '-(^!)',
          '---(^!)',
          '-------(^!)',
          '-----------(^!)',
          '---------------(^!)',
        ];
        const expected = '---------------#';

        m.expect(source.pipe(retryBackoff(config))).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );
  });

  describe('with { resetAfter: 5 }', () => {
    const scripted = (m: { time(marbles: string): number }): RetryBackoffConfig => ({
      initialDelay: m.time('--|'),
      resetAfter: m.time('-----|'),
      jitter: 0,
    });

    it(
      'should start over at initialDelay once the source emitted and stayed up resetAfter',
      marbles((m) => {
        // prettier-ignore
        const first =  m.cold('#');
        const second = m.cold('  a----#');
        const third =  m.cold('         (b|)');
        const expected =      '--a------(b|)';
        // prettier-ignore
        const firstSubs =     '(^!)';
        const secondSubs =    '--^----!';
        const thirdSubs =     '---------(^!)';

        const config = { ...scripted(m), scheduler: m.scheduler };
        m.expect(attempts(first, second, third).pipe(retryBackoff(config))).toBeObservable(
          expected,
        );
        m.expect(first).toHaveSubscriptions(firstSubs);
        m.expect(second).toHaveSubscriptions(secondSubs);
        m.expect(third).toHaveSubscriptions(thirdSubs);
      }),
    );

    it(
      'should keep counting when the source errors before resetAfter',
      marbles((m) => {
        // prettier-ignore
        const first =  m.cold('#');
        const second = m.cold('  a---#');
        const third =  m.cold('          (b|)');
        const expected =      '--a-------(b|)';
        // prettier-ignore
        const firstSubs =     '(^!)';
        const secondSubs =    '--^---!';
        const thirdSubs =     '----------(^!)';

        const config = { ...scripted(m), scheduler: m.scheduler };
        m.expect(attempts(first, second, third).pipe(retryBackoff(config))).toBeObservable(
          expected,
        );
        m.expect(first).toHaveSubscriptions(firstSubs);
        m.expect(second).toHaveSubscriptions(secondSubs);
        m.expect(third).toHaveSubscriptions(thirdSubs);
      }),
    );

    it(
      'should keep counting when the source stayed up without emitting',
      marbles((m) => {
        // prettier-ignore
        const first =  m.cold('a--#');
        const second = m.cold('     ------#');
        const third =  m.cold('               (b|)');
        const expected =      'a--------------(b|)';
        // prettier-ignore
        const firstSubs =     '^--!';
        const secondSubs =    '-----^-----!';
        const thirdSubs =     '---------------(^!)';

        m.expect(attempts(first, second, third).pipe(retryBackoff(scripted(m)))).toBeObservable(
          expected,
        );
        m.expect(first).toHaveSubscriptions(firstSubs);
        m.expect(second).toHaveSubscriptions(secondSubs);
        m.expect(third).toHaveSubscriptions(thirdSubs);
      }),
    );
  });

  describe('with { jitter: 0.2 }', () => {
    it(
      'should wait delay * (1 - jitter) when random() is 0',
      marbles((m) => {
        const config = {
          initialDelay: m.time('100ms |'),
          maxAttempts: 1,
          jitter: 0.2,
          random: () => 0,
          scheduler: m.scheduler,
        };
        const source = m.cold('#');
        // prettier-ignore
        const subs = [
          '      (^!)',
          ' 80ms (^!)',
        ];
        const expected = '80ms #';

        m.expect(source.pipe(retryBackoff(config))).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );

    it(
      'should wait just under delay * (1 + jitter) when random() is just under 1',
      marbles((m) => {
        const config = {
          initialDelay: m.time('100ms |'),
          maxAttempts: 1,
          jitter: 0.2,
          random: () => 0.9999,
          scheduler: m.scheduler,
        };
        const source = m.cold('#');
        // prettier-ignore
        const subs = [
          '       (^!)',
          ' 119ms (^!)',
        ];
        const expected = '119ms #';

        m.expect(source.pipe(retryBackoff(config))).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );
  });

  describe('with shouldRetry', () => {
    const shouldRetry = (error: unknown) => error !== 'fatal';

    it(
      'should rethrow a fatal error at once without resubscribing',
      marbles((m) => {
        // prettier-ignore
        const source = m.cold('--#', undefined, 'fatal');
        const subs =          '^-!';
        const expected =      '--#';

        m.expect(source.pipe(retryBackoff({ shouldRetry, scheduler: m.scheduler }))).toBeObservable(
          expected,
          undefined,
          'fatal',
        );
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );

    it(
      'should retry transient errors and stop at the first fatal one',
      marbles((m) => {
        const config = { initialDelay: m.time('--|'), jitter: 0, shouldRetry };
        // prettier-ignore
        const first =  m.cold('-#', undefined, 'transient');
        const second = m.cold('   -#', undefined, 'fatal');
        const expected =      '----#';
        // prettier-ignore
        const firstSubs =     '^!';
        const secondSubs =    '---^!';

        m.expect(attempts(first, second).pipe(retryBackoff(config))).toBeObservable(
          expected,
          undefined,
          'fatal',
        );
        m.expect(first).toHaveSubscriptions(firstSubs);
        m.expect(second).toHaveSubscriptions(secondSubs);
      }),
    );
  });

  describe('with wake', () => {
    it(
      'should retry at once when wake emits during a wait, and ignore wake otherwise',
      marbles((m) => {
        const source = m.cold('-#', undefined, 'lost');
        const wake = m.hot('   ------w----------w', { w: 'online' });
        // prettier-ignore
        const subs = [
          '^!',
          '------^!',
          '-----------------^!',
        ];
        const expected = '------------------#';
        const config = { initialDelay: m.time('----------|'), maxAttempts: 2, jitter: 0, wake, scheduler: m.scheduler };

        m.expect(source.pipe(retryBackoff(config))).toBeObservable(expected, undefined, 'lost');
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );
  });

  describe('with onRetry', () => {
    it(
      'should report each attempt and its jittered delay when the wait starts',
      marbles((m) => {
        const calls: unknown[] = [];
        const config = {
          initialDelay: m.time('----|'),
          maxAttempts: 2,
          jitter: 0.5,
          random: () => 0,
          onRetry: (info: { attempt: number; delay: number; error: unknown }) =>
            calls.push({ ...info, frame: m.scheduler.now() }),
          scheduler: m.scheduler,
        };
        const source = m.cold('-#', undefined, 'lost');
        // prettier-ignore
        const subs = [
          '^!',
          '---^!',
          '--------^!',
        ];
        const expected = '---------#';

        m.expect(source.pipe(retryBackoff(config))).toBeObservable(expected, undefined, 'lost');
        m.expect(source).toHaveSubscriptions(subs);
        m.flush();
        expect(calls).toEqual([
          { attempt: 1, delay: 2, error: 'lost', frame: 1 },
          { attempt: 2, delay: 4, error: 'lost', frame: 4 },
        ]);
      }),
    );
  });

  describe('with { maxAttempts: 0 }', () => {
    it(
      'should rethrow the first error without resubscribing',
      marbles((m) => {
        // prettier-ignore
        const source = m.cold('--#');
        const subs =          '^-!';
        const expected =      '--#';

        m.expect(source.pipe(retryBackoff({ maxAttempts: 0 }))).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
      }),
    );
  });

  describe('with an invalid config', () => {
    it.each([
      [{ initialDelay: -1 }, /`initialDelay` must be 0 or more, got -1\. Pass/],
      [{ initialDelay: Number.NaN }, /`initialDelay` must be 0 or more, got NaN\. Pass/],
      [{ maxDelay: -1 }, /`maxDelay` must be 0 or more, got -1\. Pass/],
      [{ resetAfter: Number.NaN }, /`resetAfter` must be 0 or more, got NaN\. Pass/],
      [{ maxAttempts: -1 }, /`maxAttempts` must be 0 or more, got -1\. Pass/],
      [{ jitter: 1.5 }, /`jitter` must be a fraction between 0 and 1, got 1\.5\. Pass/],
      [{ jitter: -0.1 }, /`jitter` must be a fraction between 0 and 1, got -0\.1\. Pass/],
    ] satisfies [RetryBackoffConfig, RegExp][])(
      'should throw a TypeError at creation for %o',
      (config, message) => {
        expect(() => retryBackoff(config)).toThrow(TypeError);
        expect(() => retryBackoff(config)).toThrow(message);
      },
    );

    it('should accept the boundary values', () => {
      const config = { initialDelay: 0, maxDelay: 0, resetAfter: 0, maxAttempts: 0, jitter: 1 };
      expect(() => retryBackoff(config)).not.toThrow();
    });
  });
});
