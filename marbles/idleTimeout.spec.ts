import { marbles } from 'rxjs-marbles';
import { describe, expect, it } from 'vitest';
import { idleTimeout } from '../src/operators/idleTimeout';
import type { IdleTimeoutConfig } from '../src/operators/idleTimeout';

describe('idleTimeout', () => {
  describe('with the default config', () => {
    it(
      'should pass source values through unchanged',
      marbles((m) => {
        const values = { a: { progress: 10 }, b: { progress: 20 }, c: { progress: 30 } };
        const onIdle$ = m.cold('r|');
        // prettier-ignore
        const source =   m.cold('a-b-c|', values);
        const subs =            '^----!';
        const expected =        'a-b-c|';

        m.expect(source.pipe(idleTimeout({ onIdle: () => onIdle$ }))).toBeObservable(
          expected,
          values,
        );
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(onIdle$).toHaveSubscriptions([]);
      }),
    );

    it(
      'should resync after exactly 300000 ms of silence',
      marbles((m) => {
        // prettier-ignore
        const onIdle$ = m.cold(            '-r|');
        const idleSubs =       '  300000ms ^-!';
        const source =   m.cold('a 300004ms      |');
        const subs =            '^ 300004ms      !';
        const expected =        'a 300000ms r 3ms |';

        const result = source.pipe(idleTimeout({ onIdle: () => onIdle$ }));
        m.expect(result).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(onIdle$).toHaveSubscriptions(idleSubs);
      }),
    );
  });

  describe('with { idle: 5 }', () => {
    it(
      'should resync at exactly idle ms of silence',
      marbles((m) => {
        const idle = m.time('-----|');
        // prettier-ignore
        const onIdle$ = m.cold(      '-(rs|)');
        const idleSubs =       '------^!';
        const source =   m.cold('-a---------|');
        const subs =            '^----------!';
        const expected =        '-a-----(rs)|';

        const result = source.pipe(
          idleTimeout({ idle, onIdle: () => onIdle$, scheduler: m.scheduler }),
        );
        m.expect(result).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(onIdle$).toHaveSubscriptions(idleSubs);
      }),
    );

    it(
      'should resync idle ms after subscription when the source stays silent',
      marbles((m) => {
        const idle = m.time('-----|');
        // prettier-ignore
        const onIdle$ = m.cold(     '-r|');
        const idleSubs =       '-----^-!';
        const source =   m.cold('---------|');
        const subs =            '^--------!';
        const expected =        '------r--|';

        const result = source.pipe(idleTimeout({ idle, onIdle: () => onIdle$ }));
        m.expect(result).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(onIdle$).toHaveSubscriptions(idleSubs);
      }),
    );

    it(
      'should restart the idle timer on every source value',
      marbles((m) => {
        const idle = m.time('-----|');
        // prettier-ignore
        const onIdle$ = m.cold(              '-r|');
        const idleSubs =       '--------------^-!';
        const source =   m.cold('-a---b---c------|');
        const subs =            '^---------------!';
        const expected =        '-a---b---c-----r|';

        const result = source.pipe(idleTimeout({ idle, onIdle: () => onIdle$ }));
        m.expect(result).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(onIdle$).toHaveSubscriptions(idleSubs);
      }),
    );

    it(
      'should resync again idle ms after each resync completes while silence continues',
      marbles((m) => {
        const idle = m.time('-----|');
        // prettier-ignore
        const onIdle$ = m.cold(      '-r|');
        const idleSubs =      ['------^-!',
                               '-------------^-!'];
        const source =   m.cold('-a-----------------|');
        const subs =            '^------------------!';
        const expected =        '-a-----r------r----|';

        const result = source.pipe(
          idleTimeout({ idle, onIdle: () => onIdle$, scheduler: m.scheduler }),
        );
        m.expect(result).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(onIdle$).toHaveSubscriptions(idleSubs);
      }),
    );

    it(
      'should cancel a running resync when a source value arrives',
      marbles((m) => {
        const idle = m.time('-----|');
        // prettier-ignore
        const onIdle$ = m.cold(      '---r|');
        const idleSubs =       '------^-!';
        const source =   m.cold('-a------b---|');
        const subs =            '^-----------!';
        const expected =        '-a------b---|';

        const result = source.pipe(idleTimeout({ idle, onIdle: () => onIdle$ }));
        m.expect(result).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(onIdle$).toHaveSubscriptions(idleSubs);
      }),
    );

    it(
      'should complete at once when the source completes, with no further resync',
      marbles((m) => {
        const idle = m.time('-----|');
        // prettier-ignore
        const onIdle$ = m.cold(      '---r|');
        const idleSubs =       '------^--!';
        const source =   m.cold('-a-------|');
        const subs =            '^--------!';
        const expected =        '-a-------|';

        const result = source.pipe(idleTimeout({ idle, onIdle: () => onIdle$ }));
        m.expect(result).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(onIdle$).toHaveSubscriptions(idleSubs);
      }),
    );

    it(
      'should error at once when the source errors',
      marbles((m) => {
        const idle = m.time('-----|');
        // prettier-ignore
        const onIdle$ = m.cold(      '---r|');
        const idleSubs =       '------^!';
        const source =   m.cold('-a-----#');
        const subs =            '^------!';
        const expected =        '-a-----#';

        const result = source.pipe(idleTimeout({ idle, onIdle: () => onIdle$ }));
        m.expect(result).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(onIdle$).toHaveSubscriptions(idleSubs);
      }),
    );

    it(
      'should error when the resync errors',
      marbles((m) => {
        const idle = m.time('-----|');
        // prettier-ignore
        const onIdle$ = m.cold(      '-#');
        const idleSubs =       '------^!';
        const source =   m.cold('-a-----------|');
        const subs =            '^------!';
        const expected =        '-a-----#';

        const result = source.pipe(
          idleTimeout({ idle, onIdle: () => onIdle$, scheduler: m.scheduler }),
        );
        m.expect(result).toBeObservable(expected);
        m.expect(source).toHaveSubscriptions(subs);
        m.expect(onIdle$).toHaveSubscriptions(idleSubs);
      }),
    );
  });

  describe('without onIdle', () => {
    it('should throw a TypeError at creation', () => {
      const config = {} as IdleTimeoutConfig<never>;
      expect(() => idleTimeout(config)).toThrow(TypeError);
      expect(() => idleTimeout(config)).toThrow(/onIdle/);
    });
  });

  describe('with { idle: 0 }', () => {
    it('should throw a TypeError at creation', () => {
      expect(() => idleTimeout({ idle: 0, onIdle: () => [] })).toThrow(TypeError);
      expect(() => idleTimeout({ idle: 0, onIdle: () => [] })).toThrow(/idle/);
    });
  });
});
