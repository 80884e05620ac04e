/* eslint-disable @typescript-eslint/non-nullable-type-assertion-style -- heap indexes are in bounds by construction, and `!` is banned here. */
import type { SchedulerLike, Subscription } from 'rxjs';

/** What a {@link TimerQueue} calls back: one method, so a job needs no closure per timer. */
export interface TimerTarget {
  /** `timer` is due; compare it with the timers the target holds to tell which one. */
  onTimer(timer: Timer): void;
}

/** One pending call of a {@link TimerQueue}. */
export interface Timer {
  /** Drops the call if it has not happened yet; calling it again does nothing. */
  cancel(): void;
}

/**
 * Every timer of one client on a single scheduler action, armed for the earliest one. A thousand
 * jobs each holding an idle timer, a polling tick and a throttle window would otherwise hold
 * thousands of scheduler actions (and, on `asyncScheduler`, Node `Timeout`s).
 */
export interface TimerQueue {
  /** Calls `target.onTimer(timer)` once `delay` ms have passed on the scheduler, never synchronously. */
  after(delay: number, target: TimerTarget): Timer;
  /** Timers still pending, for tests. */
  readonly size: number;
}

class Entry implements Timer {
  index = -1;
  cancelled = false;
  constructor(
    readonly queue: Queue,
    readonly due: number,
    readonly seq: number,
    readonly target: TimerTarget,
  ) {}

  cancel(): void {
    // Out of the heap already when a target due at the same time cancels it: the flag stops it.
    this.cancelled = true;
    if (this.index >= 0) this.queue.remove(this);
  }
}

/** A binary min-heap on (due, seq): equal due times run in the order they were asked for. */
class Queue implements TimerQueue {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private action: Subscription | undefined;
  private armedFor = Infinity;
  private running = false;

  constructor(private readonly scheduler: SchedulerLike) {}

  get size(): number {
    return this.heap.length;
  }

  after(delay: number, target: TimerTarget): Timer {
    const entry = new Entry(this, this.scheduler.now() + Math.max(0, delay), this.seq++, target);
    entry.index = this.heap.length;
    this.heap.push(entry);
    this.up(entry.index);
    if (!this.running && entry.due < this.armedFor) this.arm();
    return entry;
  }

  remove(entry: Entry): void {
    const { heap } = this;
    const index = entry.index;
    const last = heap.pop() as Entry;
    entry.index = -1;
    if (last !== entry) {
      heap[index] = last;
      last.index = index;
      this.down(index);
      this.up(last.index);
    }
    // An emptied queue must hold no scheduler action: a disposed client leaves no timer behind.
    if (heap.length === 0 && !this.running) this.disarm();
  }

  private readonly fire = (): void => {
    this.action = undefined;
    this.armedFor = Infinity;
    this.running = true;
    try {
      const now = this.scheduler.now();
      // Timers asked for while these run wait for the next action, even at delay 0, as a
      // scheduler action would.
      const due: Entry[] = [];
      while (this.heap.length > 0 && (this.heap[0] as Entry).due <= now) {
        const entry = this.heap[0] as Entry;
        this.remove(entry);
        due.push(entry);
      }
      for (const entry of due) if (!entry.cancelled) entry.target.onTimer(entry);
    } finally {
      this.running = false;
      if (this.heap.length > 0) this.arm();
    }
  };

  private arm(): void {
    this.disarm();
    const first = this.heap[0] as Entry;
    this.armedFor = first.due;
    this.action = this.scheduler.schedule(this.fire, Math.max(0, first.due - this.scheduler.now()));
  }

  private disarm(): void {
    this.action?.unsubscribe();
    this.action = undefined;
    this.armedFor = Infinity;
  }

  private up(index: number): void {
    const { heap } = this;
    const entry = heap[index] as Entry;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as Entry;
      if (!before(entry, parent)) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = entry;
    entry.index = index;
  }

  private down(index: number): void {
    const { heap } = this;
    const entry = heap[index] as Entry;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= heap.length) break;
      const right = child + 1;
      if (right < heap.length && before(heap[right] as Entry, heap[child] as Entry)) child = right;
      const smaller = heap[child] as Entry;
      if (!before(smaller, entry)) break;
      heap[index] = smaller;
      smaller.index = index;
      index = child;
    }
    heap[index] = entry;
    entry.index = index;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

/**
 * Creates a client's timer queue on `scheduler` (the marble `TestScheduler` in tests).
 *
 * @example
 * const timers = createTimerQueue(asyncScheduler);
 * const timer = timers.after(5000, { onTimer: () => poll() });
 * timer.cancel();
 */
export function createTimerQueue(scheduler: SchedulerLike): TimerQueue {
  return new Queue(scheduler);
}
