import { NEVER } from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import { marbles } from 'rxjs-marbles';
import type { Context } from 'rxjs-marbles';
import { describe, expect, it } from 'vitest';
import { HeartbeatTimeoutError } from '../src/operators/HeartbeatTimeoutError.js';
import { heartbeat } from '../src/operators/heartbeat.js';
import type { HeartbeatConfig } from '../src/operators/heartbeat.js';

/** A `ping` that answers each call with the next of `acks`, to script every round trip. */
function inTurn(...acks: Observable<string>[]): () => Observable<string> {
  return () => acks.shift() ?? NEVER;
}

/**
 * The marble scheduler behind a clock that can jump ahead, as `Date.now()` does when a sleeping
 * tab wakes up: timers still fire on their virtual frame, but `now()` has moved on by `ms`.
 */
function sleepingTab(m: Context): {
  scheduler: SchedulerLike;
  sleepAt(frame: number, ms: number): void;
} {
  let skew = 0;
  return {
    scheduler: {
      now: () => m.scheduler.now() + skew,
      schedule: m.scheduler.schedule.bind(m.scheduler),
    },
    sleepAt: (frame, ms) => {
      m.scheduler.schedule(() => {
        skew += ms;
      }, frame);
    },
  };
}

describe('heartbeat', () => {
  describe('with the default config', () => {
    it(
      'should ping at once and 30000 ms after each ack, emitting the latency',
      marbles((m) => {
        const socket$ = m.cold('s');
        const ack$ = m.cold('50ms a');
        // prettier-ignore
        const acksSubs = [
          '        ^ 49ms !',
          '30050ms ^ 49ms !',
          '60100ms ^ 49ms !',
        ];
        const unsub = '^ 69999ms !';
        const expected = '50ms l 30049ms l 30049ms l';

        const result = socket$.pipe(heartbeat({ ping: () => ack$ }));
        m.expect(result, unsub).toBeObservable(expected, { l: 50 });
        m.expect(ack$).toHaveSubscriptions(acksSubs);
      }),
    );

    it(
      'should error with a HeartbeatTimeoutError 10000 ms after an unanswered ping',
      marbles((m) => {
        const socket$ = m.cold('s');
        const ack$ = m.cold('-');
        const acksSubs = '^ 9999ms !';
        const expected = '10000ms #';

        const result = socket$.pipe(heartbeat({ ping: () => ack$ }));
        const error = new HeartbeatTimeoutError({ timeout: 10_000, sentAt: 0 });
        m.expect(result).toBeObservable(expected, undefined, error);
        m.expect(ack$).toHaveSubscriptions(acksSubs);
      }),
    );
  });

  describe('with { interval: 10, timeout: 5 }', () => {
    const scaled = (m: Context) => ({
      interval: m.time('----------|'),
      timeout: m.time('-----|'),
      scheduler: m.scheduler,
    });

    it(
      'should emit the round-trip latency of each ping and ping interval after each ack',
      marbles((m) => {
        const socket$ = m.cold('s');
        // prettier-ignore
        const first =  m.cold('--a');
        const second = m.cold('            ----a');
        const third =  m.cold('                          -a');
        const expected =      '--x-------------y----------z';
        const unsub =         '^-----------------------------!';
        // prettier-ignore
        const firstSubs =     '^-!';
        const secondSubs =    '------------^---!';
        const thirdSubs =     '--------------------------^!';

        const ping = inTurn(first, second, third);
        const result = socket$.pipe(heartbeat({ ...scaled(m), ping }));
        m.expect(result, unsub).toBeObservable(expected, { x: 2, y: 4, z: 1 });
        m.expect(first).toHaveSubscriptions(firstSubs);
        m.expect(second).toHaveSubscriptions(secondSubs);
        m.expect(third).toHaveSubscriptions(thirdSubs);
      }),
    );

    it(
      'should error with a HeartbeatTimeoutError at sentAt + timeout when an ack is missing',
      marbles((m) => {
        const socket$ = m.cold('s');
        // prettier-ignore
        const first =  m.cold('--a');
        const second = m.cold('            ------a');
        const expected =      '--x--------------#';
        // prettier-ignore
        const firstSubs =     '^-!';
        const secondSubs =    '------------^----!';

        const result = socket$.pipe(heartbeat({ ...scaled(m), ping: inTurn(first, second) }));
        const error = new HeartbeatTimeoutError({ timeout: 5, sentAt: 12 });
        m.expect(result).toBeObservable(expected, { x: 2 }, error);
        m.expect(first).toHaveSubscriptions(firstSubs);
        m.expect(second).toHaveSubscriptions(secondSubs);
      }),
    );

    it(
      'should take a ping that completes without an ack for an unanswered one',
      marbles((m) => {
        const socket$ = m.cold('s');
        // prettier-ignore
        const ack$ =   m.cold('--|');
        const expected =      '-----#';
        const unsub =         '^--------------!';
        const acksSubs =      '^-!';

        const result = socket$.pipe(heartbeat({ ...scaled(m), ping: () => ack$ }));
        const error = new HeartbeatTimeoutError({ timeout: 5, sentAt: 0 });
        m.expect(result, unsub).toBeObservable(expected, undefined, error);
        m.expect(ack$).toHaveSubscriptions(acksSubs);
      }),
    );

    it(
      'should carry timeout and sentAt on the HeartbeatTimeoutError',
      marbles((m) => {
        const socket$ = m.cold('s');
        const ack$ = m.cold('-');
        let caught: unknown;

        socket$.pipe(heartbeat({ ...scaled(m), ping: () => ack$ })).subscribe({
          error: (error: unknown) => (caught = error),
        });
        m.flush();
        expect(caught).toBeInstanceOf(HeartbeatTimeoutError);
        expect(caught).toBeInstanceOf(Error);
        expect(caught).toMatchObject({
          name: 'HeartbeatTimeoutError',
          message: 'No ack for the heartbeat ping sent at 0 within 5 ms.',
          timeout: 5,
          sentAt: 0,
        });
      }),
    );

    it(
      'should end the cycle of the previous source value and ping the new one at once',
      marbles((m) => {
        // prettier-ignore
        const socket$ = m.cold('a------------b');
        const ackA$ =   m.cold('--a');
        const ackB$ =   m.cold('             --b');
        const expected =       '--l------------l';
        const unsub =          '^-------------------!';
        // prettier-ignore
        const ackASubs = [
                               '^-!',
                               '------------^!',
        ];
        const ackBSubs =       '-------------^-!';

        const ping = (socket: string) => (socket === 'a' ? ackA$ : ackB$);
        const result = socket$.pipe(heartbeat({ ...scaled(m), ping }));
        m.expect(result, unsub).toBeObservable(expected, { l: 2 });
        m.expect(ackA$).toHaveSubscriptions(ackASubs);
        m.expect(ackB$).toHaveSubscriptions(ackBSubs);
      }),
    );
  });

  describe('with { interval: 10, timeout: 5, lateTolerance: 1 } in a tab that sleeps', () => {
    const scaled = (m: Context, scheduler: SchedulerLike) => ({
      interval: m.time('----------|'),
      timeout: m.time('-----|'),
      lateTolerance: m.time('-|'),
      scheduler,
    });
    const minute = 60_000;

    it(
      'should ping again at once when the timeout fires late, and still error on a real miss',
      marbles((m) => {
        const tab = sleepingTab(m);
        tab.sleepAt(m.time('---|'), minute);
        const socket$ = m.cold('s');
        // prettier-ignore
        const first =  m.cold('-');
        const second = m.cold('     --a');
        const third =  m.cold('                 ------a');
        const expected =      '-------x--------------#';
        // prettier-ignore
        const firstSubs =     '^----!';
        const secondSubs =    '-----^-!';
        const thirdSubs =     '-----------------^----!';

        const config = { ...scaled(m, tab.scheduler), ping: inTurn(first, second, third) };
        const error = new HeartbeatTimeoutError({ timeout: 5, sentAt: minute + 17 });
        m.expect(socket$.pipe(heartbeat(config))).toBeObservable(expected, { x: 2 }, error);
        m.expect(first).toHaveSubscriptions(firstSubs);
        m.expect(second).toHaveSubscriptions(secondSubs);
        m.expect(third).toHaveSubscriptions(thirdSubs);
      }),
    );

    it(
      'should error when the fresh ping sent on waking goes unanswered too',
      marbles((m) => {
        const tab = sleepingTab(m);
        tab.sleepAt(m.time('---|'), minute);
        const socket$ = m.cold('s');
        // prettier-ignore
        const first =  m.cold('-');
        const second = m.cold('     -');
        const expected =      '----------#';
        // prettier-ignore
        const firstSubs =     '^----!';
        const secondSubs =    '-----^----!';

        const config = { ...scaled(m, tab.scheduler), ping: inTurn(first, second) };
        const error = new HeartbeatTimeoutError({ timeout: 5, sentAt: minute + 5 });
        m.expect(socket$.pipe(heartbeat(config))).toBeObservable(expected, undefined, error);
        m.expect(first).toHaveSubscriptions(firstSubs);
        m.expect(second).toHaveSubscriptions(secondSubs);
      }),
    );

    it(
      'should still error when the timeout fires late by no more than lateTolerance',
      marbles((m) => {
        const tab = sleepingTab(m);
        tab.sleepAt(m.time('---|'), m.time('-|'));
        const socket$ = m.cold('s');
        // prettier-ignore
        const ack$ =   m.cold('-');
        const expected =      '-----#';
        const acksSubs =      '^----!';

        const config = { ...scaled(m, tab.scheduler), ping: () => ack$ };
        const error = new HeartbeatTimeoutError({ timeout: 5, sentAt: 0 });
        m.expect(socket$.pipe(heartbeat(config))).toBeObservable(expected, undefined, error);
        m.expect(ack$).toHaveSubscriptions(acksSubs);
      }),
    );

    it(
      'should ping when a late interval tick fires and time the round trip from then',
      marbles((m) => {
        const tab = sleepingTab(m);
        tab.sleepAt(m.time('-----|'), minute);
        const socket$ = m.cold('s');
        // prettier-ignore
        const ack$ =   m.cold('--a');
        const expected =      '--l-----------l';
        const unsub =         '^-------------------!';
        // prettier-ignore
        const acksSubs = [
                              '^-!',
                              '------------^-!',
        ];

        const config = { ...scaled(m, tab.scheduler), ping: () => ack$ };
        m.expect(socket$.pipe(heartbeat(config)), unsub).toBeObservable(expected, { l: 2 });
        m.expect(ack$).toHaveSubscriptions(acksSubs);
      }),
    );
  });

  describe('with an invalid config', () => {
    it('should throw a TypeError at creation when ping is missing', () => {
      const config = {} as HeartbeatConfig<unknown>;
      expect(() => heartbeat(config)).toThrow(TypeError);
      expect(() => heartbeat(config)).toThrow(/`ping` is required: pass a function/);
    });

    it.each([
      [{ interval: 0 }, /`interval` must be a number of ms above 0, e\.g\. 30000, got 0\./],
      [{ timeout: Number.NaN }, /`timeout` must be .* above 0, e\.g\. 10000, got NaN\./],
      [{ lateTolerance: -1 }, /`lateTolerance` must be .* 0 or more, e\.g\. 1000, got -1\./],
    ])('should throw a TypeError at creation for %o', (options, message) => {
      const config = { ping: () => NEVER, ...options };
      expect(() => heartbeat(config)).toThrow(TypeError);
      expect(() => heartbeat(config)).toThrow(message);
    });
  });
});
