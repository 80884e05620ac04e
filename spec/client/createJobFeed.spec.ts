import { take } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initialJobState, type JobState } from '../../src/client/JobState.js';
import type { WebSocketEvent } from '../../src/protocol/events.js';
import {
  advanceTo,
  createFeedHarness,
  done,
  expectNothingScheduled,
  generation,
  showEvent,
  showState,
  watch,
  type FeedHarness,
  type Watcher,
} from './feedHarness.js';

// The feed multicasts by hand what `share({ resetOnRefCountZero: () => timer(linger) })` would,
// with the job's history replayed first to each subscriber (`events$`) and a `ReplaySubject(1)`
// over a `scan` for `state$`; each expectation below is what those operators would do.
// The harness polls at 100, 1100, 2100…, serves what `serve` was last given, and lingers 1200 ms.

/** Over for good: the client was told to forget the feed once, no timer is left, and until 10 s nothing polls or closes again. */
async function expectClosedForGood({ calls, timers, polls }: Pick<FeedHarness, 'calls' | 'timers' | 'polls'>): Promise<void> {
  expect(calls.onClose).toBe(1);
  expectNothingScheduled(timers);
  const before = [...polls];
  await advanceTo(10_000);
  expect(polls).toStrictEqual(before);
  expect(calls.onClose).toBe(1);
}

describe('createJobFeed', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('events$', () => {
    it('should share one run between two subscribers: one poll per tick, the same live events', async () => {
      const { feed, polls, serve, problems } = createFeedHarness();
      serve(generation(10, ['c1']));
      const a = watch(feed.events$, showEvent);
      const b = watch(feed.events$, showEvent);

      await advanceTo(100);
      serve(generation(20, ['c1', 'c2']));
      await advanceTo(1100);

      const live = ['status queued>processing@100', 'progress 10@100', 'clip c1@100', 'progress 20@1100', 'clip c2@1100'];
      expect(a.log).toStrictEqual(live);
      expect(b.log).toStrictEqual(live);
      expect(polls).toStrictEqual([100, 1100]);
      expect(problems).toStrictEqual([]);
    });

    it('should replay the history so far to a late subscriber, synchronously, then live events', async () => {
      const { feed, polls, serve } = createFeedHarness();
      serve(generation(10, ['c1']));
      const a = watch(feed.events$, showEvent);
      await advanceTo(100);
      serve(generation(30, ['c1', 'c2']));
      await advanceTo(1100);
      // Progress alone last: the history must fold in the latest progress the feed keeps aside.
      serve(generation(40, ['c1', 'c2']));
      await advanceTo(2500);

      const b = watch(feed.events$, showEvent);
      expect(b.log).toStrictEqual(['status queued>processing@2500', 'progress 40@2500', 'clip c1@2500', 'clip c2@2500']);
      serve(generation(50, ['c1', 'c2', 'c3']));
      await advanceTo(3100);

      expect(b.log.slice(4)).toStrictEqual(['progress 50@3100', 'clip c3@3100']);
      expect(a.log.slice(-2)).toStrictEqual(['progress 50@3100', 'clip c3@3100']);
      expect(polls).toStrictEqual([100, 1100, 2100, 3100]);
    });

    it('should complete every subscriber at the terminal event, and a later one at once with the whole history', async () => {
      const { feed, polls, serve, timers, calls } = createFeedHarness();
      serve(generation(10, ['c1']));
      const a = watch(feed.events$, showEvent);
      const b = watch(feed.events$, showEvent);
      await advanceTo(100);
      serve(generation(100, ['c1', 'c2'], done));
      await advanceTo(1100);

      const ending = ['progress 100@1100', 'clip c2@1100', 'completed@1100', '|@1100'];
      expect(a.log.slice(3)).toStrictEqual(ending);
      expect(b.log.slice(3)).toStrictEqual(ending);
      expect(calls.onClose).toBe(1);
      expectNothingScheduled(timers);
      await advanceTo(5000);

      const c = watch(feed.events$, showEvent);
      expect(c.log).toStrictEqual(['progress 100@5000', 'clip c1@5000', 'clip c2@5000', 'completed@5000', '|@5000']);
      await advanceTo(10_000);
      expect(polls).toStrictEqual([100, 1100]);
      expect(calls.onClose).toBe(1);
      expectNothingScheduled(timers);
    });

    // Regression: "already ended" was decided by the status, so a subscriber arriving between a
    // `status_change` to completed and the `completed` event was completed without the video.
    it('should keep a late subscriber open after a status_change to completed, until the completed event', async () => {
      const { feed, serve } = createFeedHarness();
      serve(generation(10));
      const a = watch(feed.events$, showEvent);
      await advanceTo(100);
      // A backend that reports completion before the video: the feed turns it into a status_change.
      serve(generation(100, [], { status: 'completed' }));
      await advanceTo(1100);
      expect(a.log.slice(2)).toStrictEqual(['progress 100@1100', 'status processing>completed@1100']);

      const b = watch(feed.events$, showEvent);
      serve(generation(100, [], done));
      await advanceTo(2100);

      expect(a.log.slice(4)).toStrictEqual(['completed@2100', '|@2100']);
      expect(b.log).toStrictEqual(['progress 100@1100', 'status queued>completed@1100', 'completed@2100', '|@2100']);
    });

    describe('with linger: 1200', () => {
      it('should keep the run, polling on, for linger ms after the last subscriber leaves, then close it once', async () => {
        const { feed, polls, serve, timers, calls } = createFeedHarness();
        serve(generation(10));
        const a = watch(feed.events$, showEvent);
        await advanceTo(600);
        a.subscription.unsubscribe();
        await advanceTo(1799);
        expect(polls).toStrictEqual([100, 1100]);
        expect(calls.onClose).toBe(0);
        await advanceTo(1800);

        await expectClosedForGood({ calls, timers, polls });
      });

      it('should hand the lingering run to a subscriber arriving within linger: the polls keep their schedule', async () => {
        const { feed, polls, serve, calls } = createFeedHarness();
        serve(generation(10));
        const a = watch(feed.events$, showEvent);
        await advanceTo(600);
        a.subscription.unsubscribe();
        await advanceTo(1500);

        const b = watch(feed.events$, showEvent);
        serve(generation(20));
        await advanceTo(5000);

        expect(b.log).toStrictEqual(['status queued>processing@1500', 'progress 10@1500', 'progress 20@2100']);
        // A restarted run would poll `grace` after the resubscription, at 1600.
        expect(polls).toStrictEqual([100, 1100, 2100, 3100, 4100]);
        expect(calls.onClose).toBe(0);
      });

      it('should start a new run for a subscriber arriving after the linger', async () => {
        const { feed, polls, serve, calls } = createFeedHarness();
        serve(generation(10));
        const a = watch(feed.events$, showEvent);
        await advanceTo(600);
        a.subscription.unsubscribe();
        await advanceTo(3000);
        expect(calls.onClose).toBe(1);

        const b = watch(feed.events$, showEvent);
        serve(generation(20));
        await advanceTo(3100);

        expect(b.log).toStrictEqual(['status queued>processing@3000', 'progress 10@3000', 'progress 20@3100']);
        expect(polls).toStrictEqual([100, 1100, 3100]);
      });
    });

    describe('with linger: 0', () => {
      it('should keep the run for a subscriber arriving in the same turn, and close it at the next one', async () => {
        const { feed, polls, serve, timers, calls } = createFeedHarness({ linger: 0 });
        serve(generation(10));
        const a = watch(feed.events$, showEvent);
        await advanceTo(600);
        a.subscription.unsubscribe();
        const b = watch(feed.events$, showEvent);
        serve(generation(20));
        await advanceTo(1500);
        expect(b.log).toStrictEqual(['status queued>processing@600', 'progress 10@600', 'progress 20@1100']);
        expect(calls.onClose).toBe(0);

        b.subscription.unsubscribe();
        // As `timer(0)`: the reset waits for the next scheduler turn.
        expect(calls.onClose).toBe(0);
        await advanceTo(1501);

        expect(polls).toStrictEqual([100, 1100]);
        await expectClosedForGood({ calls, timers, polls });
      });
    });

    describe('re-entrancy', () => {
      it('should stop delivering to a subscriber that unsubscribed itself inside next, and go on with the others', async () => {
        const { feed, serve } = createFeedHarness();
        serve(generation(10, ['c1']));
        const a = watch(feed.events$, showEvent, () => a.subscription.unsubscribe());
        const b = watch(feed.events$, showEvent);
        await advanceTo(100);
        serve(generation(20, ['c1']));
        await advanceTo(1100);

        expect(a.log).toStrictEqual(['status queued>processing@100']);
        expect(b.log).toStrictEqual(['status queued>processing@100', 'progress 10@100', 'clip c1@100', 'progress 20@1100']);
      });

      it('should deliver nothing more to subscribers another one unsubscribed inside next, and lose nothing for the rest', async () => {
        const { feed, serve } = createFeedHarness();
        serve(generation(10, ['c1']));
        // In subscription order: b, then a (which drops b and c at its first event), c, d.
        const b = watch(feed.events$, showEvent);
        const a = watch(feed.events$, showEvent, () => {
          b.subscription.unsubscribe();
          c.subscription.unsubscribe();
        });
        const c = watch(feed.events$, showEvent);
        const d = watch(feed.events$, showEvent);
        await advanceTo(100);

        const all = ['status queued>processing@100', 'progress 10@100', 'clip c1@100'];
        expect(b.log).toStrictEqual(['status queued>processing@100']);
        expect(a.log).toStrictEqual(all);
        expect(c.log).toStrictEqual([]);
        expect(d.log).toStrictEqual(all);
      });

      it('should give a subscriber subscribed inside next the history with that event, and that event only once', async () => {
        const { feed, serve } = createFeedHarness();
        serve(generation(10, ['c1']));
        let late: Watcher<WebSocketEvent> | undefined;
        const a = watch(feed.events$, showEvent, () => (late ??= watch(feed.events$, showEvent)));
        const b = watch(feed.events$, showEvent);
        await advanceTo(100);
        serve(generation(20, ['c1']));
        await advanceTo(1100);

        const all = ['status queued>processing@100', 'progress 10@100', 'clip c1@100', 'progress 20@1100'];
        expect(late?.log).toStrictEqual(all);
        expect(a.log).toStrictEqual(all);
        expect(b.log).toStrictEqual(all);
      });

      it('should start nothing for a subscriber that leaves during the history', async () => {
        const { feed, polls, serve, timers, calls } = createFeedHarness();
        serve(generation(10, ['c1']));
        const a = watch(feed.events$, showEvent);
        await advanceTo(600);
        a.subscription.unsubscribe();
        await advanceTo(3000);
        expect(calls.onClose).toBe(1);

        const b = watch(feed.events$.pipe(take(1)), showEvent);

        expect(b.log).toStrictEqual(['status queued>processing@3000', '|@3000']);
        expect(polls).toStrictEqual([100, 1100]);
        await expectClosedForGood({ calls, timers, polls });
      });

      // Regression: a subscriber that left on the last history event (`take(n)`, `first(...)`)
      // was added anyway, so a run polled for nobody; `concat(history$, shared$)` would never
      // subscribe to the shared part.
      it('should start nothing for a subscriber that leaves on the last event of the history', async () => {
        const { feed, polls, serve, timers, calls } = createFeedHarness();
        serve(generation(10, ['c1']));
        const a = watch(feed.events$, showEvent);
        await advanceTo(600);
        a.subscription.unsubscribe();
        await advanceTo(3000);

        const b = watch(feed.events$.pipe(take(3)), showEvent);

        expect(b.log).toStrictEqual(['status queued>processing@3000', 'progress 10@3000', 'clip c1@3000', '|@3000']);
        await advanceTo(10_000);
        expect(polls).toStrictEqual([100, 1100]);
        expect(calls.onClose).toBe(1);
        expectNothingScheduled(timers);
      });
    });
  });

  describe('state$', () => {
    it('should emit initialJobState first, then the fold of each event', async () => {
      const { feed, serve } = createFeedHarness();
      serve(generation(10, ['c1']));
      const s = watch(feed.state$, showState);
      expect(s.values).toStrictEqual([initialJobState('generation', 'g1')]);
      await advanceTo(100);

      expect(s.log).toStrictEqual([
        'queued 0% [] none@0',
        'processing 0% [] polling@100',
        'processing 10% [] polling@100',
        'processing 10% [c1] polling@100',
      ]);
      expect(s.values.at(-1)?.updatedAt).toStrictEqual(new Date(100));
    });

    it('should replay the latest state to a late subscriber at once, then share the live ones', async () => {
      const { feed, polls, serve } = createFeedHarness();
      serve(generation(10, ['c1']));
      const s1 = watch(feed.state$, showState);
      await advanceTo(1500);

      const s2 = watch(feed.state$, showState);
      expect(s2.log).toStrictEqual(['processing 10% [c1] polling@1500']);
      expect(s2.values[0]).toBe(s1.values.at(-1));
      serve(generation(20, ['c1', 'c2']));
      await advanceTo(2100);

      const live = ['processing 20% [c1] polling@2100', 'processing 20% [c1,c2] polling@2100'];
      expect(s1.log.slice(-2)).toStrictEqual(live);
      expect(s2.log.slice(1)).toStrictEqual(live);
      expect(s2.values.slice(1)).toStrictEqual(s1.values.slice(-2));
      expect(polls).toStrictEqual([100, 1100, 2100]);
    });

    it('should complete every subscriber when the events end, and start a later one afresh from the fold of the history', async () => {
      const { feed, polls, serve, timers } = createFeedHarness();
      serve(generation(10, ['c1']));
      const s1 = watch(feed.state$, showState);
      const s2 = watch(feed.state$, showState);
      await advanceTo(100);
      serve(generation(100, ['c1'], done));
      await advanceTo(1100);

      const ending = ['processing 100% [c1] polling@1100', 'completed 100% [c1] polling@1100', '|@1100'];
      expect(s1.log.slice(-3)).toStrictEqual(ending);
      expect(s2.log.slice(-3)).toStrictEqual(ending);
      expectNothingScheduled(timers);
      await advanceTo(5000);

      const s3 = watch(feed.state$, showState);
      expect(s3.log).toStrictEqual([
        'queued 0% [] none@5000',
        'queued 100% [] polling@5000',
        'queued 100% [c1] polling@5000',
        'completed 100% [c1] polling@5000',
        '|@5000',
      ]);
      expect(s3.values[0]).toStrictEqual(initialJobState('generation', 'g1'));
      expect(polls).toStrictEqual([100, 1100]);
    });

    describe('re-entrancy', () => {
      it('should give a subscriber subscribed inside next the latest state once, then the live ones', async () => {
        const { feed, serve } = createFeedHarness();
        serve(generation(10, ['c1']));
        let late: Watcher<JobState> | undefined;
        const s1 = watch(feed.state$, showState, (state) => {
          if (state.status === 'processing') late ??= watch(feed.state$, showState);
        });
        await advanceTo(100);

        expect(late?.log).toStrictEqual(s1.log.slice(1));
        expect(late?.values).toStrictEqual(s1.values.slice(1));
      });

      it('should stop publishing to subscribers unsubscribed inside next, and lose nothing for the rest', async () => {
        const { feed, serve } = createFeedHarness();
        serve(generation(10, ['c1']));
        // In subscription order: b, then a (which drops itself and b at its first live state), c.
        const b = watch(feed.state$, showState);
        const a = watch(feed.state$, showState, (state) => {
          if (state.status !== 'processing') return;
          a.subscription.unsubscribe();
          b.subscription.unsubscribe();
        });
        const c = watch(feed.state$, showState);
        await advanceTo(100);

        expect(a.log).toStrictEqual(['queued 0% [] none@0', 'processing 0% [] polling@100']);
        expect(b.log).toStrictEqual(a.log);
        expect(c.log).toStrictEqual([
          'queued 0% [] none@0',
          'processing 0% [] polling@100',
          'processing 10% [] polling@100',
          'processing 10% [c1] polling@100',
        ]);
      });
    });

    describe('with linger: 1200', () => {
      it('should replay the latest state to a subscriber arriving within its linger', async () => {
        const { feed, serve } = createFeedHarness();
        serve(generation(10));
        const s1 = watch(feed.state$, showState);
        await advanceTo(600);
        s1.subscription.unsubscribe();
        await advanceTo(1500);

        const s2 = watch(feed.state$, showState);
        expect(s2.log).toStrictEqual(['processing 10% [] polling@1500']);
        expect(s2.values[0]).toBe(s1.values.at(-1));
        // Past the end of the linger it cancelled: still connected.
        serve(generation(20));
        await advanceTo(2100);

        expect(s2.log.slice(1)).toStrictEqual(['processing 20% [] polling@2100']);
      });

      it('should start afresh after its linger, while an events$ subscriber keeps the run', async () => {
        const { feed, polls, serve, calls } = createFeedHarness();
        serve(generation(10));
        const e = watch(feed.events$, showEvent);
        const s1 = watch(feed.state$, showState);
        await advanceTo(600);
        s1.subscription.unsubscribe();
        await advanceTo(2500);

        const s2 = watch(feed.state$, showState);
        expect(s2.log).toStrictEqual([
          'queued 0% [] none@2500',
          'processing 0% [] polling@2500',
          'processing 10% [] polling@2500',
        ]);
        serve(generation(20));
        await advanceTo(3100);

        expect(s2.log.slice(3)).toStrictEqual(['processing 20% [] polling@3100']);
        expect(e.log.slice(2)).toStrictEqual(['progress 20@3100']);
        expect(polls).toStrictEqual([100, 1100, 2100, 3100]);
        expect(calls.onClose).toBe(0);
      });

      it('should go on folding after the last events$ subscriber leaves', async () => {
        const { feed, polls, serve, calls } = createFeedHarness();
        serve(generation(10));
        const e = watch(feed.events$, showEvent);
        const s = watch(feed.state$, showState);
        await advanceTo(600);
        e.subscription.unsubscribe();
        // Past the linger events$ would have had on its own.
        await advanceTo(1900);
        serve(generation(20));
        await advanceTo(2100);

        expect(s.log.slice(-1)).toStrictEqual(['processing 20% [] polling@2100']);
        expect(polls).toStrictEqual([100, 1100, 2100]);
        expect(calls.onClose).toBe(0);
      });

      it('should release events$ after its linger, which then lingers in turn', async () => {
        const { feed, polls, serve, timers, calls } = createFeedHarness();
        serve(generation(10));
        const s = watch(feed.state$, showState);
        await advanceTo(600);
        s.subscription.unsubscribe();
        // state$ lets go at 1800, and events$ closes the run a linger later.
        await advanceTo(2999);
        expect(calls.onClose).toBe(0);
        await advanceTo(3000);

        expect(calls.onClose).toBe(1);
        expectNothingScheduled(timers);
        expect(polls).toStrictEqual([100, 1100, 2100]);
      });
    });
  });

  describe('client disposal', () => {
    it('should complete every subscriber of both streams, call onClose once and leave nothing scheduled', async () => {
      const { feed, polls, serve, timers, dispose, calls } = createFeedHarness();
      serve(generation(10));
      const watchers = [
        watch(feed.events$, showEvent),
        watch(feed.events$, showEvent),
        watch(feed.state$, showState),
        watch(feed.state$, showState),
      ];
      await advanceTo(1500);

      dispose();

      for (const { log } of watchers) expect(log.at(-1)).toBe('|@1500');
      expect(polls).toStrictEqual([100, 1100]);
      await expectClosedForGood({ calls, timers, polls });
    });

    it('should end a feed whose subscribers have all left, cancelling both lingers', async () => {
      const { feed, polls, serve, timers, dispose, calls } = createFeedHarness();
      serve(generation(10));
      const e = watch(feed.events$, showEvent);
      const s = watch(feed.state$, showState);
      await advanceTo(600);
      e.subscription.unsubscribe();
      s.subscription.unsubscribe();
      await advanceTo(1000);

      dispose();

      await expectClosedForGood({ calls, timers, polls });
    });

    it('should end a feed whose events$ run is lingering', async () => {
      const { feed, polls, serve, timers, dispose, calls } = createFeedHarness();
      serve(generation(10));
      const e = watch(feed.events$, showEvent);
      await advanceTo(600);
      e.subscription.unsubscribe();
      await advanceTo(1000);

      dispose();

      await expectClosedForGood({ calls, timers, polls });
    });
  });
});
