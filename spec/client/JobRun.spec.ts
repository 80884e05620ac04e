import { asyncScheduler, BehaviorSubject, EMPTY, NEVER, type Observable, of, Subject, throwError } from 'rxjs';
import type { Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clip, completed, failure, progress } from '../../marbles/fixtures/events.js';
import { createConnectionStore } from '../../src/client/createConnectionStore.js';
import { createFeedHub } from '../../src/client/createFeedHub.js';
import type { JobPoll } from '../../src/client/createJobPoll.js';
import { createTimerQueue, type TimerQueue } from '../../src/client/createTimerQueue.js';
import { JobRun, type JobRunHost } from '../../src/client/JobRun.js';
import type { JobStreamsOptions } from '../../src/client/JobStreamsOptions.js';
import { resolveOptions } from '../../src/client/resolveOptions.js';
import type { WebSocketEvent } from '../../src/protocol/events.js';
import { downLink, expectNothingScheduled } from './feedHarness.js';

// Virtual time is vitest's fake clock under `asyncScheduler`: the timer queue reads
// `scheduler.now()` (Date.now) and holds one scheduler action, and `advanceTimersByTime` steps to
// an exact instant, where a `TestScheduler` would only flush everything at once.
// The link never comes up: the namespace session, its ack and its retry need a real socket and
// are covered by the integration specs; here the socket is simply never there.

/** A `JobPoll` whose polls are whatever the test hands out, noting when each was asked for. */
function fakePoll() {
  const poll = {
    fallbackAt: [] as number[],
    idleAt: [] as number[],
    fallback$: (): Observable<WebSocketEvent> => NEVER,
    idle$: (): Observable<WebSocketEvent> => NEVER,
  };
  const jobPoll: JobPoll = {
    fallback: () => {
      poll.fallbackAt.push(Date.now());
      return poll.fallback$();
    },
    idle: () => {
      poll.idleAt.push(Date.now());
      return poll.idle$();
    },
    socketBack: () => {},
  };
  return { poll, jobPoll };
}

/** `progress 10@200`: what a delivered event was, and when. */
function label(event: WebSocketEvent): string {
  switch (event.type) {
    case 'progress':
    case 'encoding_progress':
      return `${event.type} ${event.data.percentage}@${Date.now()}`;
    case 'clip_completed':
      return `clip ${event.data.clip_id}@${Date.now()}`;
    case 'error':
      return `error ${event.data.recoverable ? 'recoverable' : 'fatal'}@${Date.now()}`;
    default:
      return `${event.type}@${Date.now()}`;
  }
}

/** A run over a link that stays down, with short delays; the caller starts it. */
function setup(overrides: JobStreamsOptions = {}) {
  const options = resolveOptions({
    url: 'http://jobs.test',
    idleTimeout: 60_000,
    polling: { grace: 100, interval: 1000 },
    throttle: 100,
    scheduler: asyncScheduler,
    wake$: EMPTY,
    fetch: () => Promise.reject(new Error('fetch is never called: the poll is faked')),
    ...overrides,
  });
  const timers: TimerQueue = createTimerQueue(options.scheduler);
  const disposed = new Subject<void>();
  const root$ = new BehaviorSubject<Socket | null>(null);
  const { poll, jobPoll } = fakePoll();
  const delivered: string[] = [];
  const calls = { ended: 0 };
  const host: JobRunHost = {
    job: { kind: 'generation', id: 'g1' },
    namespace: '/ws/generations/g1',
    client: {
      options,
      link: downLink,
      store: createConnectionStore(),
      hub: createFeedHub(root$, disposed),
      timers,
      report: () => {},
    },
    poll: jobPoll,
    seen: { id: 'g1', status: 'queued' },
    record: () => {},
    transport: 'none',
    eventsFrom: () => [],
    report: () => {},
    deliver: (event) => delivered.push(label(event)),
    ended: () => calls.ended++,
  };
  return { run: new JobRun(host), host, timers, poll, delivered, calls, disposed, root$ };
}

/**
 * A run whose first fallback poll (at `grace`, 100 ms) subscribes to `wire` and never completes,
 * so later ticks are skipped: `wire.next(event)` stands in for the socket.
 */
function setupWithWire(overrides: JobStreamsOptions = {}) {
  const harness = setup(overrides);
  const wire = new Subject<WebSocketEvent>();
  harness.poll.fallback$ = () => wire;
  harness.run.start();
  advanceTo(100);
  expect(wire.observed).toBe(true);
  return { ...harness, wire };
}

function advanceTo(time: number): void {
  vi.advanceTimersByTime(time - Date.now());
}

describe('JobRun', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('polling fallback, with a socket that never comes up', () => {
    it('should poll polling.grace after start, then every polling.interval', () => {
      const { run, poll } = setup({ polling: { grace: 300, interval: 1000 } });
      poll.fallback$ = () => EMPTY;

      run.start();
      advanceTo(299);
      expect(poll.fallbackAt).toStrictEqual([]);
      advanceTo(300);
      expect(poll.fallbackAt).toStrictEqual([300]);
      advanceTo(3299);
      expect(poll.fallbackAt).toStrictEqual([300, 1300, 2300]);
      advanceTo(3300);

      expect(poll.fallbackAt).toStrictEqual([300, 1300, 2300, 3300]);
    });

    it('should deliver what a poll brings, over the polling transport', () => {
      const { run, host, poll, delivered } = setup({ polling: { grace: 300, interval: 1000 } });
      poll.fallback$ = () => of(progress(10));

      run.start();
      advanceTo(300);

      expect(delivered).toStrictEqual(['progress 10@300']);
      expect(host.transport).toBe('polling');
    });

    it('should skip a tick while a poll is still in flight', () => {
      const { run, poll } = setup({ polling: { grace: 300, interval: 1000 } });
      const polls: Subject<WebSocketEvent>[] = [];
      poll.fallback$ = () => {
        const request = new Subject<WebSocketEvent>();
        polls.push(request);
        return request;
      };

      run.start();
      advanceTo(1300);
      expect(poll.fallbackAt).toStrictEqual([300]);
      advanceTo(1800);
      polls[0]!.complete();
      advanceTo(2299);
      expect(poll.fallbackAt).toStrictEqual([300]);
      advanceTo(2300);

      expect(poll.fallbackAt).toStrictEqual([300, 2300]);
    });

    it('should poll again at the next tick after a poll that failed', () => {
      const { run, poll } = setup({ polling: { grace: 300, interval: 1000 } });
      poll.fallback$ = () => throwError(() => new Error('poll failed'));

      run.start();
      advanceTo(2300);

      expect(poll.fallbackAt).toStrictEqual([300, 1300, 2300]);
    });

    it('should never poll with polling.enabled: false', () => {
      const { run, poll, timers } = setup({ polling: { enabled: false, grace: 300, interval: 1000 } });
      poll.fallback$ = () => EMPTY;

      run.start();
      // The idle timer alone.
      expect(timers.size).toBe(1);
      advanceTo(59_999);

      expect(poll.fallbackAt).toStrictEqual([]);
    });
  });

  describe('idle resync, with idleTimeout: 1000', () => {
    it('should resync once after idleTimeout of silence, and not again while it is in flight', () => {
      const { run, poll } = setup({ idleTimeout: 1000 });
      const resync = new Subject<WebSocketEvent>();
      poll.idle$ = () => resync;

      run.start();
      advanceTo(999);
      expect(poll.idleAt).toStrictEqual([]);
      advanceTo(1000);
      expect(poll.idleAt).toStrictEqual([1000]);
      expect(resync.observed).toBe(true);
      advanceTo(10_000);

      expect(poll.idleAt).toStrictEqual([1000]);
    });

    it('should start the silence over after a resync that failed', () => {
      const { run, poll } = setup({ idleTimeout: 1000 });
      poll.idle$ = () => throwError(() => new Error('resync failed'));

      run.start();
      advanceTo(3000);

      expect(poll.idleAt).toStrictEqual([1000, 2000, 3000]);
    });

    it('should deliver what the resync brings and start the silence over when it completes', () => {
      const { run, poll, delivered } = setup({ idleTimeout: 1000 });
      const resync = new Subject<WebSocketEvent>();
      poll.idle$ = () => resync;

      run.start();
      advanceTo(1200);
      resync.next(progress(40));
      advanceTo(1500);
      resync.complete();
      advanceTo(2499);
      expect(poll.idleAt).toStrictEqual([1000]);
      advanceTo(2500);

      expect(poll.idleAt).toStrictEqual([1000, 2500]);
      expect(delivered).toStrictEqual(['progress 40@1200']);
    });

    it('should push the resync back by each event', () => {
      const { poll, wire } = setupWithWire({ idleTimeout: 1000 });

      advanceTo(600);
      wire.next(progress(10));
      advanceTo(1599);
      expect(poll.idleAt).toStrictEqual([]);
      advanceTo(1600);

      expect(poll.idleAt).toStrictEqual([1600]);
    });

    it('should cancel a resync in flight when an event arrives, and wait a whole idleTimeout again', () => {
      const { poll, wire, delivered } = setupWithWire({ idleTimeout: 1000 });
      const resync = new Subject<WebSocketEvent>();
      poll.idle$ = () => resync;

      advanceTo(1000);
      expect(resync.observed).toBe(true);
      advanceTo(1200);
      wire.next(progress(10));
      expect(resync.observed).toBe(false);
      resync.next(progress(50));
      advanceTo(2199);
      expect(poll.idleAt).toStrictEqual([1000]);
      advanceTo(2200);

      expect(poll.idleAt).toStrictEqual([1000, 2200]);
      expect(delivered).toStrictEqual(['progress 10@1200']);
    });
  });

  describe('de-duplication, with throttle: 0', () => {
    it('should drop a repeated or lower progress', () => {
      const { wire, delivered } = setupWithWire({ throttle: 0 });

      advanceTo(200);
      wire.next(progress(10));
      advanceTo(300);
      wire.next(progress(10));
      advanceTo(400);
      wire.next(progress(5));
      advanceTo(500);
      wire.next(progress(20));

      expect(delivered).toStrictEqual(['progress 10@200', 'progress 20@500']);
    });

    it('should drop a clip already delivered', () => {
      const { wire, delivered } = setupWithWire({ throttle: 0 });

      advanceTo(200);
      wire.next(clip('c1'));
      advanceTo(300);
      wire.next(clip('c2'));
      advanceTo(400);
      wire.next(clip('c1'));

      expect(delivered).toStrictEqual(['clip c1@200', 'clip c2@300']);
    });
  });

  describe('progress throttle (throttle: 100 unless said)', () => {
    it('should send the first progress at once and the latest of its window at the window end', () => {
      const { wire, delivered } = setupWithWire();

      advanceTo(200);
      wire.next(progress(10));
      advanceTo(220);
      wire.next(progress(20));
      advanceTo(250);
      wire.next(progress(30));
      advanceTo(299);
      expect(delivered).toStrictEqual(['progress 10@200']);
      advanceTo(300);
      expect(delivered).toStrictEqual(['progress 10@200', 'progress 30@300']);
      // The trailing send opens a window of its own.
      advanceTo(350);
      wire.next(progress(40));
      advanceTo(400);
      // That window closed with nothing pending: the next progress goes out at once.
      advanceTo(600);
      wire.next(progress(50));

      expect(delivered).toStrictEqual(['progress 10@200', 'progress 30@300', 'progress 40@400', 'progress 50@600']);
    });

    it('should flush the pending progress before a clip_completed, in order', () => {
      const { wire, delivered } = setupWithWire();

      advanceTo(200);
      wire.next(progress(10));
      advanceTo(220);
      wire.next(progress(20));
      advanceTo(240);
      wire.next(clip('c1'));
      expect(delivered).toStrictEqual(['progress 10@200', 'progress 20@240', 'clip c1@240']);
      // The flushed progress opened a window at 240, as `throttle` does after a trailing value.
      advanceTo(260);
      wire.next(progress(30));
      advanceTo(339);
      expect(delivered).toHaveLength(3);
      advanceTo(340);

      expect(delivered).toStrictEqual(['progress 10@200', 'progress 20@240', 'clip c1@240', 'progress 30@340']);
    });

    it('should pass every progress at once with throttle: 0', () => {
      const { wire, delivered, timers } = setupWithWire({ throttle: 0 });

      advanceTo(200);
      wire.next(progress(10));
      advanceTo(201);
      wire.next(progress(20));
      advanceTo(202);
      wire.next(progress(30));

      expect(delivered).toStrictEqual(['progress 10@200', 'progress 20@201', 'progress 30@202']);
      // The polling tick and the idle timer: no throttle window.
      expect(timers.size).toBe(2);
    });
  });

  describe('terminal event', () => {
    it('should deliver completed once, after the pending progress, then end and cancel every timer', () => {
      const { wire, delivered, calls, timers, poll } = setupWithWire({ idleTimeout: 1000 });

      advanceTo(200);
      wire.next(progress(10));
      advanceTo(220);
      wire.next(progress(20));
      advanceTo(240);
      wire.next(completed);
      expect(delivered).toStrictEqual(['progress 10@200', 'progress 20@240', 'completed@240']);
      expect(calls.ended).toBe(1);
      expect(wire.observed).toBe(false);
      expectNothingScheduled(timers);
      wire.next(progress(90));
      wire.next(completed);
      advanceTo(60_000);

      expect(delivered).toHaveLength(3);
      expect(calls.ended).toBe(1);
      expect(poll.fallbackAt).toStrictEqual([100]);
      expect(poll.idleAt).toStrictEqual([]);
    });

    it('should end at a non-recoverable error, not at a recoverable one', () => {
      const { wire, delivered, calls, timers } = setupWithWire();

      advanceTo(200);
      wire.next(failure(true));
      expect(calls.ended).toBe(0);
      advanceTo(300);
      wire.next(failure(false));
      wire.next(failure(false));

      expect(delivered).toStrictEqual(['error recoverable@200', 'error fatal@300']);
      expect(calls.ended).toBe(1);
      expectNothingScheduled(timers);
    });

    it('should leave no timer behind when a poll that completes at once brings the terminal event', () => {
      const { run, poll, delivered, calls, timers } = setup({ polling: { grace: 300, interval: 1000 } });
      poll.fallback$ = () => of(progress(90), completed);

      run.start();
      advanceTo(300);

      expect(delivered).toStrictEqual(['progress 90@300', 'completed@300']);
      expect(calls.ended).toBe(1);
      expectNothingScheduled(timers);
    });

    it('should end at a terminal event a resync brings, and not arm another resync', () => {
      const { run, poll, delivered, calls, timers } = setup({ idleTimeout: 1000 });
      // Completes at once, after the terminal event has stopped the run.
      poll.idle$ = () => of(progress(90), completed);

      run.start();
      advanceTo(1000);

      expect(delivered).toStrictEqual(['progress 90@1000', 'completed@1000']);
      expect(calls.ended).toBe(1);
      expectNothingScheduled(timers);
    });
  });

  describe('stop()', () => {
    it('should cancel every timer, the poll and the resync in flight, and deliver nothing afterwards', () => {
      const { run, poll, wire, delivered, calls, timers, root$ } = setupWithWire({ idleTimeout: 1000 });
      const resync = new Subject<WebSocketEvent>();
      poll.idle$ = () => resync;

      advanceTo(1000);
      resync.next(progress(10));
      advanceTo(1050);
      // Pending until the window ends at 1100.
      resync.next(progress(20));
      expect(root$.observed).toBe(true);
      run.stop();

      expect(wire.observed).toBe(false);
      expect(resync.observed).toBe(false);
      // No longer watching the link: the hub released it.
      expect(root$.observed).toBe(false);
      expectNothingScheduled(timers);
      wire.next(progress(30));
      resync.next(progress(40));
      advanceTo(60_000);
      expect(delivered).toStrictEqual(['progress 10@1000']);
      expect(poll.fallbackAt).toStrictEqual([100]);
      expect(poll.idleAt).toStrictEqual([1000]);
      // Stopped from outside: the host asked for it, so the run does not report an end.
      expect(calls.ended).toBe(0);
    });

    it('should cancel the polling grace and the idle timer of a run that never polled', () => {
      const { run, poll, timers } = setup({ idleTimeout: 1000 });

      run.start();
      advanceTo(50);
      run.stop();
      expectNothingScheduled(timers);
      advanceTo(60_000);

      expect(poll.fallbackAt).toStrictEqual([]);
      expect(poll.idleAt).toStrictEqual([]);
    });
  });

  describe('clientDisposed()', () => {
    it('should call ended() once, however often it is told', () => {
      const { run, calls, timers } = setup();

      run.start();
      run.clientDisposed();
      run.clientDisposed();

      expect(calls.ended).toBe(1);
      expect(timers.size).toBe(0);
    });

    it('should hear of the disposal through the hub and end', () => {
      const { wire, delivered, calls, timers, disposed } = setupWithWire();

      disposed.next();
      wire.next(progress(10));

      expect(calls.ended).toBe(1);
      expect(delivered).toStrictEqual([]);
      expectNothingScheduled(timers);
    });

    it('should end at once, with no timer left, when started on a client already disposed', () => {
      const { run, calls, timers, disposed } = setup();

      disposed.next();
      run.start();

      expect(calls.ended).toBe(1);
      expectNothingScheduled(timers);
    });

    it('should not call ended() again after the terminal event', () => {
      const { run, wire, calls } = setupWithWire();

      wire.next(completed);
      run.clientDisposed();

      expect(calls.ended).toBe(1);
    });
  });
});
