import type { Subscription } from 'rxjs';
import type { JobStreams } from '../../src/client/createJobStreams.js';
import type { JobState } from '../../src/client/JobState.js';
import type { WebSocketEvent } from '../../src/protocol/index.js';

/** What a client showed of one generation, recorded by {@link followJob}. */
export interface FollowedJob {
  readonly id: string;
  /** Every event of `generationProgress$(id)`, in order. */
  readonly events: WebSocketEvent[];
  /** Every state of `generationState$(id)`, in order. */
  readonly states: JobState[];
  /** Whether both streams completed (after the terminal event). */
  readonly finished: boolean;
  /** An error either stream ended with: a stream of a job must never error. */
  readonly error: unknown;
  /** Resolves when both streams ended, completed or errored. */
  readonly done: Promise<void>;
  /** Unsubscribes both streams (for a job that never finished). */
  stop(): void;
}

/**
 * Subscribes to a generation's events and folded state at once, as a progress UI would, and
 * records both until they complete.
 *
 * @example
 * const job = followJob(client, id);
 * await job.done;
 * expect(jobViolations(job, server.jobs.get(id))).toEqual([]);
 */
export function followJob(client: JobStreams, id: string): FollowedJob {
  const events: WebSocketEvent[] = [];
  const states: JobState[] = [];
  let ended = 0;
  let error: unknown;
  let resolve: () => void = () => {};
  const done = new Promise<void>((settle) => (resolve = settle));
  const end = (failure?: unknown) => {
    if (failure !== undefined) error ??= failure;
    if (++ended === 2) resolve();
  };
  const subscriptions: Subscription[] = [
    client.generationProgress$(id).subscribe({ next: (event) => events.push(event), error: end, complete: () => end() }),
    client.generationState$(id).subscribe({ next: (state) => states.push(state), error: end, complete: () => end() }),
  ];
  return {
    id,
    events,
    states,
    get finished() {
      return ended === 2 && error === undefined;
    },
    get error() {
      return error;
    },
    done,
    stop: () => subscriptions.forEach((subscription) => subscription.unsubscribe()),
  };
}
