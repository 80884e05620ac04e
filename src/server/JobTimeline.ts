import type { WebSocketEvent } from '../protocol/index.js';

/**
 * A job's timeline, computed one step at a time: `at(step)` builds the event of that step on
 * demand from the job's plan alone, so a job costs the same few bytes however many steps it has,
 * and any process holding the plan and a step index (a restarted server, another node that took
 * the job over) sends exactly the events the first one would have.
 *
 * @example
 * const timeline = generationTimeline(plan);
 * timeline.at(record.step); // the next event to send
 * [...timeline]; // every event, built on the spot (tests)
 */
export interface JobTimeline extends Iterable<WebSocketEvent> {
  /** How many steps (events) the timeline has; the last one ends the job. */
  readonly length: number;
  /** The event of `step` (0-based); `undefined` outside `0 … length - 1`. Pure: same plan, same event. */
  at(step: number): WebSocketEvent | undefined;
}

/**
 * A {@link JobTimeline} of `length` steps whose events `step` builds, called only with an index
 * inside the timeline.
 *
 * @example
 * lazyTimeline(2, (index) => (index === 0 ? started : completed));
 */
export function lazyTimeline(length: number, step: (index: number) => WebSocketEvent): JobTimeline {
  return {
    length,
    at: (index) => (Number.isInteger(index) && index >= 0 && index < length ? step(index) : undefined),
    *[Symbol.iterator]() {
      for (let index = 0; index < length; index++) yield step(index);
    },
  };
}
