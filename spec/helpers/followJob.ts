import type { Subscription } from 'rxjs';
import type { JobStreams } from '../../src/client/createJobStreams.js';
import type { JobState } from '../../src/client/JobState.js';
import type { JobKind, WebSocketEvent } from '../../src/protocol/index.js';

/** What a client showed of one job, recorded by {@link followJob}. */
export interface FollowedJob {
  readonly id: string;
  /** Every event of `generationProgress$(id)` (or `compositionProgress$(id)`), in order. */
  readonly events: WebSocketEvent[];
  /** Every state of `generationState$(id)` (or `compositionState$(id)`), in order. */
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
 * Subscribes to a job's events and folded state at once, as a progress UI would, and records
 * both until they complete: a generation's by default, a composition's with `kind`.
 *
 * @example
 * const job = followJob(client, id);
 * await job.done;
 * expect(jobViolations(job, server.jobs.get(id))).toEqual([]);
 * @example
 * const composition = followJob(client, server.jobs.startComposition(), 'composition');
 */
export function followJob(client: JobStreams, id: string, kind: JobKind = 'generation'): FollowedJob {
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
  const [events$, state$] =
    kind === 'generation'
      ? [client.generationProgress$(id), client.generationState$(id)]
      : [client.compositionProgress$(id), client.compositionState$(id)];
  const subscriptions: Subscription[] = [
    events$.subscribe({ next: (event) => events.push(event), error: end, complete: () => end() }),
    state$.subscribe({ next: (state) => states.push(state), error: end, complete: () => end() }),
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
