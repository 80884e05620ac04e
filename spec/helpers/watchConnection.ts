import type { JobStreams } from '../../src/client/createJobStreams.js';
import type { ConnectionState } from '../../src/protocol/index.js';
import type { JobStreamsError } from '../../src/client/JobStreamsError.js';

/** A client's connection states and reported problems, as recorded by {@link watchConnection}. */
export interface ConnectionLog {
  /** Every state, with `performance.now()` when it was seen. */
  readonly states: { state: ConnectionState; at: number }[];
  /** Every `errors$` problem, in order. */
  readonly errors: JobStreamsError[];
  /** Times the link turned `connected`: the first connect plus every reconnect. */
  connects(): number;
  /** `errors$` problems counted by error name (`ValidationError`, `HttpError`, …), or message for a plain `Error`. */
  errorsByName(): Record<string, number>;
  stop(): void;
}

/** Records `connectionState$` and `errors$` of `client` (watching opens no connection). */
export function watchConnection(client: JobStreams): ConnectionLog {
  const states: ConnectionLog['states'] = [];
  const errors: JobStreamsError[] = [];
  const subscriptions = [
    client.connectionState$.subscribe((state) => states.push({ state, at: performance.now() })),
    client.errors$.subscribe((problem) => errors.push(problem)),
  ];
  return {
    states,
    errors,
    connects: () =>
      states.filter(({ state }, index) => state.status === 'connected' && states[index - 1]?.state.status !== 'connected').length,
    errorsByName: () =>
      errors.reduce<Record<string, number>>((counts, { error }) => {
        const key = error.name === 'Error' ? error.message.slice(0, 60) : error.name;
        return { ...counts, [key]: (counts[key] ?? 0) + 1 };
      }, {}),
    stop: () => subscriptions.forEach((subscription) => subscription.unsubscribe()),
  };
}
