import { asyncScheduler } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTimerQueue, type Timer, type TimerTarget } from '../../src/client/createTimerQueue.js';

/** A target that records `name` each time one of its timers fires. */
function recorder(calls: string[], name: string, onTimer?: (timer: Timer) => void): TimerTarget {
  return {
    onTimer(timer) {
      calls.push(`${name}@${Date.now()}`);
      onTimer?.(timer);
    },
  };
}

describe('createTimerQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('after()', () => {
    it('should call targets in due order, equal dues in the order they were asked for', () => {
      const timers = createTimerQueue(asyncScheduler);
      const calls: string[] = [];

      timers.after(300, recorder(calls, 'c'));
      timers.after(100, recorder(calls, 'a'));
      timers.after(300, recorder(calls, 'd'));
      timers.after(200, recorder(calls, 'b'));
      vi.advanceTimersByTime(299);
      expect(calls).toStrictEqual(['a@100', 'b@200']);
      vi.advanceTimersByTime(1);

      expect(calls).toStrictEqual(['a@100', 'b@200', 'c@300', 'd@300']);
      expect(timers.size).toBe(0);
    });

    it('should hold one scheduler timer for a thousand pending calls', () => {
      const timers = createTimerQueue(asyncScheduler);
      const calls: string[] = [];

      for (let index = 0; index < 1000; index++) timers.after(1000 + index, recorder(calls, 'job'));

      expect(timers.size).toBe(1000);
      expect(vi.getTimerCount()).toBe(1);
      vi.advanceTimersByTime(2000);
      expect(calls).toHaveLength(1000);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('should re-arm for a call due before the one it waits for', () => {
      const timers = createTimerQueue(asyncScheduler);
      const calls: string[] = [];

      timers.after(5000, recorder(calls, 'late'));
      vi.advanceTimersByTime(1000);
      timers.after(100, recorder(calls, 'early'));
      vi.advanceTimersByTime(100);

      expect(calls).toStrictEqual(['early@1100']);
      expect(vi.getTimerCount()).toBe(1);
    });

    it('should run a call asked for from a callback on a later action, even at delay 0', () => {
      const timers = createTimerQueue(asyncScheduler);
      const calls: string[] = [];
      const again = recorder(calls, 'again');

      timers.after(
        100,
        recorder(calls, 'first', () => timers.after(0, again)),
      );
      vi.advanceTimersByTime(100);
      expect(calls).toStrictEqual(['first@100']);
      // Node runs a 0 ms timer after 1 ms.
      vi.advanceTimersByTime(1);

      expect(calls).toStrictEqual(['first@100', 'again@101']);
    });
  });

  describe('cancel()', () => {
    it('should drop the call and leave no scheduler timer once nothing is pending', () => {
      const timers = createTimerQueue(asyncScheduler);
      const calls: string[] = [];

      const first = timers.after(100, recorder(calls, 'a'));
      const second = timers.after(200, recorder(calls, 'b'));
      first.cancel();
      first.cancel();
      expect(timers.size).toBe(1);
      second.cancel();

      expect(timers.size).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(1000);
      expect(calls).toStrictEqual([]);
    });

    it('should drop a call cancelled by another call due at the same time', () => {
      const timers = createTimerQueue(asyncScheduler);
      const calls: string[] = [];
      const victims: Timer[] = [];

      timers.after(
        100,
        recorder(calls, 'killer', () => victims[0]?.cancel()),
      );
      victims.push(timers.after(100, recorder(calls, 'victim')));
      vi.advanceTimersByTime(100);

      expect(calls).toStrictEqual(['killer@100']);
    });

    it('should keep the heap ordered when a call in the middle is cancelled', () => {
      const timers = createTimerQueue(asyncScheduler);
      const calls: string[] = [];
      const delays = [50, 10, 40, 20, 30, 60, 5, 45];
      const pending = delays.map((delay) => timers.after(delay, recorder(calls, String(delay))));

      pending[2]?.cancel();
      pending[4]?.cancel();
      vi.advanceTimersByTime(100);

      expect(calls.map((call) => call.split('@')[0])).toStrictEqual(['5', '10', '20', '45', '50', '60']);
    });
  });
});
