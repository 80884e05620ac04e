import { of } from 'rxjs';
import { marbles } from 'rxjs-marbles';
import { describe, expect, it } from 'vitest';
import { pollingFallback } from '../src/operators/pollingFallback';
import type { Delivered, PollingFallbackConfig } from '../src/operators/pollingFallback';

const up = { t: true, f: false };
const ws = (value: string): Delivered<string> => ({ transport: 'websocket', value });
const polled = (value: string): Delivered<string> => ({ transport: 'polling', value });
const delivered = {
  a: ws('a'),
  b: ws('b'),
  c: ws('c'),
  p: polled('p'),
  q: polled('q'),
};

describe('pollingFallback', () => {
  describe('with the default config', () => {
    it(
      'should tag socket values websocket and never poll while the socket is up',
      marbles((m) => {
        const poll$ = m.cold('-p|');
        // prettier-ignore
        const socketUp$ = m.cold('t', up);
        const socketSubs =       '^ 9998ms     !';
        const source =    m.cold('-a-b 9994ms c|');
        const subs =             '^ 9998ms     !';
        const expected =         '-a-b 9994ms c|';

        const result = source.pipe(pollingFallback({ socketUp$, poll: () => poll$ }));
        m.expect(result).toBeObservable(expected, delivered);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(socketUp$).toHaveSubscriptions(socketSubs);
        m.expect(poll$).toHaveSubscriptions([]);
      }),
    );

    it(
      'should poll 3000 ms after the socket goes down, then every 5000 ms',
      marbles((m) => {
        // prettier-ignore
        const poll$ =     m.cold(                     '-p|');
        const pollSubs =        ['3000ms               ^-!',
                                 '3000ms 5000ms        ^-!',
                                 '3000ms 5000ms 5000ms ^-!'];
        const socketUp$ = m.cold('f', up);
        const socketSubs =       '^ 16999ms  !';
        const source =    m.cold('-a 16998ms |');
        const subs =             '^ 16999ms  !';
        const expected =         '-a 2999ms  p 4999ms p 4999ms p 3998ms |';

        const result = source.pipe(pollingFallback({ socketUp$, poll: () => poll$ }));
        m.expect(result).toBeObservable(expected, delivered);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(socketUp$).toHaveSubscriptions(socketSubs);
        m.expect(poll$).toHaveSubscriptions(pollSubs);
      }),
    );

    it(
      'should poll 3000 ms after subscription when socketUp$ has not emitted',
      marbles((m) => {
        // prettier-ignore
        const poll$ =     m.cold(        '-p|');
        const pollSubs =         '3000ms ^-!';
        const socketUp$ = m.cold<boolean>('-');
        const socketSubs =       '^ 3999ms !';
        const source =    m.cold('4000ms   |');
        const subs =             '^ 3999ms !';
        const expected =         '3001ms p 998ms |';

        const result = source.pipe(pollingFallback({ socketUp$, poll: () => poll$ }));
        m.expect(result).toBeObservable(expected, delivered);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(socketUp$).toHaveSubscriptions(socketSubs);
        m.expect(poll$).toHaveSubscriptions(pollSubs);
      }),
    );
  });

  describe('with { grace: 3, interval: 5 }', () => {
    it(
      'should poll grace ms after the socket goes down, then every interval ms, tagged polling',
      marbles((m) => {
        const grace = m.time('---|');
        const interval = m.time('-----|');
        // prettier-ignore
        const poll$ = m.cold(          '-pq|');
        const pollSubs =     ['-----^--!',
                              '----------^--!',
                              '---------------^--!'];
        const socketUp$ = m.cold('t-f', up);
        const socketSubs =       '^------------------!';
        const source =    m.cold('-a--------b--------|');
        const subs =             '^------------------!';
        const expected =         '-a----pq--bpq---pq-|';

        const { scheduler } = m;
        const result = source.pipe(
          pollingFallback({ socketUp$, poll: () => poll$, grace, interval, scheduler }),
        );
        m.expect(result).toBeObservable(expected, delivered);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(socketUp$).toHaveSubscriptions(socketSubs);
        m.expect(poll$).toHaveSubscriptions(pollSubs);
      }),
    );

    it(
      'should stop polling at once when the socket comes back, cancelling a poll in flight',
      marbles((m) => {
        const grace = m.time('---|');
        const interval = m.time('-----|');
        // prettier-ignore
        const poll$ = m.cold(       '--p|');
        const pollSubs =     ['---^--!',
                              '--------^!',
                              '----------------^--!'];
        const socketUp$ = m.cold('f--------t---f', up);
        const socketSubs =       '^------------------!';
        const source =    m.cold('-a---------b-------|');
        const subs =             '^------------------!';
        const expected =         '-a---p-----b------p|';

        const result = source.pipe(
          pollingFallback({ socketUp$, poll: () => poll$, grace, interval }),
        );
        m.expect(result).toBeObservable(expected, delivered);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(socketUp$).toHaveSubscriptions(socketSubs);
        m.expect(poll$).toHaveSubscriptions(pollSubs);
      }),
    );

    it(
      'should never poll when the socket flaps down and up within grace',
      marbles((m) => {
        const grace = m.time('---|');
        const interval = m.time('-----|');
        // prettier-ignore
        const poll$ = m.cold('-p|');
        const socketUp$ = m.cold('t-f-t--f-tf-t--', up);
        const socketSubs =       '^-------------!';
        const source =    m.cold('-a---b----c---|');
        const subs =             '^-------------!';
        const expected =         '-a---b----c---|';

        const result = source.pipe(
          pollingFallback({ socketUp$, poll: () => poll$, grace, interval }),
        );
        m.expect(result).toBeObservable(expected, delivered);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(socketUp$).toHaveSubscriptions(socketSubs);
        m.expect(poll$).toHaveSubscriptions([]);
      }),
    );

    it(
      'should skip a tick while a poll is still in flight instead of doubling it',
      marbles((m) => {
        const grace = m.time('---|');
        const interval = m.time('-----|');
        // prettier-ignore
        const poll$ = m.cold(       '-------p|');
        const pollSubs =     ['---^-------!',
                              '-------------^-------!'];
        const socketUp$ = m.cold('f', up);
        const socketSubs =       '^---------------------!';
        const source =    m.cold('----------------------|');
        const subs =             '^---------------------!';
        const expected =         '----------p---------p-|';

        const { scheduler } = m;
        const result = source.pipe(
          pollingFallback({ socketUp$, poll: () => poll$, grace, interval, scheduler }),
        );
        m.expect(result).toBeObservable(expected, delivered);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(socketUp$).toHaveSubscriptions(socketSubs);
        m.expect(poll$).toHaveSubscriptions(pollSubs);
      }),
    );

    it(
      'should count socketUp$ as down from subscription until it emits',
      marbles((m) => {
        const grace = m.time('---|');
        const interval = m.time('-----|');
        // prettier-ignore
        const poll$ = m.cold(       '-p|');
        const pollSubs =         '---^-!';
        const socketUp$ = m.cold('--f', up);
        const socketSubs =       '^------!';
        const source =    m.cold('-------|');
        const subs =             '^------!';
        const expected =         '----p--|';

        const result = source.pipe(
          pollingFallback({ socketUp$, poll: () => poll$, grace, interval }),
        );
        m.expect(result).toBeObservable(expected, delivered);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(socketUp$).toHaveSubscriptions(socketSubs);
        m.expect(poll$).toHaveSubscriptions(pollSubs);
      }),
    );

    it(
      'should complete when the source completes, cancelling a poll in flight',
      marbles((m) => {
        const grace = m.time('---|');
        const interval = m.time('-----|');
        // prettier-ignore
        const poll$ = m.cold(       '--p|');
        const pollSubs =         '---^!';
        const socketUp$ = m.cold('f', up);
        const socketSubs =       '^---!';
        const source =    m.cold('-a--|');
        const subs =             '^---!';
        const expected =         '-a--|';

        const result = source.pipe(
          pollingFallback({ socketUp$, poll: () => poll$, grace, interval }),
        );
        m.expect(result).toBeObservable(expected, delivered);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(socketUp$).toHaveSubscriptions(socketSubs);
        m.expect(poll$).toHaveSubscriptions(pollSubs);
      }),
    );

    it(
      'should error when a poll errors',
      marbles((m) => {
        const grace = m.time('---|');
        const interval = m.time('-----|');
        // prettier-ignore
        const poll$ = m.cold(       '-#');
        const pollSubs =         '---^!';
        const socketUp$ = m.cold('f', up);
        const socketSubs =       '^---!';
        const source =    m.cold('-a-------|');
        const subs =             '^---!';
        const expected =         '-a--#';

        const result = source.pipe(
          pollingFallback({ socketUp$, poll: () => poll$, grace, interval }),
        );
        m.expect(result).toBeObservable(expected, delivered);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(socketUp$).toHaveSubscriptions(socketSubs);
        m.expect(poll$).toHaveSubscriptions(pollSubs);
      }),
    );
  });

  describe('with { enabled: false }', () => {
    it(
      'should never poll nor subscribe to socketUp$',
      marbles((m) => {
        const poll$ = m.cold('-p|');
        // prettier-ignore
        const socketUp$ = m.cold('f', up);
        const source =    m.cold('-a 9997ms b|');
        const subs =             '^ 9999ms   !';
        const expected =         '-a 9997ms b|';

        const result = source.pipe(
          pollingFallback({ socketUp$, poll: () => poll$, enabled: false, scheduler: m.scheduler }),
        );
        m.expect(result).toBeObservable(expected, delivered);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(socketUp$).toHaveSubscriptions([]);
        m.expect(poll$).toHaveSubscriptions([]);
      }),
    );
  });

  describe('with an invalid config', () => {
    const valid: PollingFallbackConfig<string> = { socketUp$: of(true), poll: () => [] };
    // prettier-ignore
    it.each([
      { name: 'without socketUp$',      config: { ...valid, socketUp$: undefined },   message: /socketUp\$/ },
      { name: 'without poll',           config: { ...valid, poll: undefined },        message: /poll/ },
      { name: 'with { interval: 0 }',   config: { ...valid, interval: 0 },            message: /interval/ },
      { name: 'with { interval: NaN }', config: { ...valid, interval: Number.NaN },   message: /interval/ },
      { name: 'with { grace: -1 }',     config: { ...valid, grace: -1 },              message: /grace/ },
    ])('should throw a TypeError at creation $name', ({ config, message }) => {
      const create = () => pollingFallback(config as unknown as PollingFallbackConfig<string>);
      expect(create).toThrow(TypeError);
      expect(create).toThrow(message);
    });

    it('should accept { grace: 0 }', () => {
      expect(() => pollingFallback({ ...valid, grace: 0 })).not.toThrow();
    });
  });
});
