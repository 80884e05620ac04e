import { catchError, EMPTY, exhaustMap, mergeMap, type Observable, takeWhile, throwError, timer } from 'rxjs';
import type { ResolvedOptions } from '../client/resolveOptions.js';
import { isTerminalStatus } from '../protocol/guards.js';
import { parseSnapshot } from '../protocol/parseSnapshot.js';
import type { Composition, Generation, JobKind } from '../protocol/resources.js';
import { HttpError } from '../transport/HttpError.js';
import { poll$ } from '../transport/poll$.js';

/** Options of {@link pollSnapshots$}. */
export interface PollSnapshotsConfig {
  /** The client's options: `apiUrl`, `fetch`, `scheduler`, `requestId`, `withCredentials`. */
  options: ResolvedOptions;
  /** Ms between two GETs; the first goes out at once. */
  interval: number;
  /**
   * Receives what a poll could not deliver and polling survives: a transient failure after its
   * retries (network, 5xx) or a snapshot that failed validation.
   */
  onProblem: (error: Error) => void;
}

/**
 * The plan's polling fallback as a stream: GET the job's REST resource now and then every
 * `interval` ms, emit each validated snapshot, and complete after the first one with a terminal
 * status (the plan's "Stop Condition": completed, failed or cancelled). A poll still in flight
 * skips the next tick; unsubscribing aborts it. A non-transient failure (404 first of all) errors
 * the stream with its {@link HttpError}: asking again cannot help.
 *
 * @example
 * pollSnapshots$('generation', id, { options, interval: 5000, onProblem: console.warn }).subscribe(render);
 */
export function pollSnapshots$(kind: 'generation', id: string, config: PollSnapshotsConfig): Observable<Generation>;
export function pollSnapshots$(kind: 'composition', id: string, config: PollSnapshotsConfig): Observable<Composition>;
export function pollSnapshots$(kind: JobKind, id: string, config: PollSnapshotsConfig): Observable<Generation | Composition>;
export function pollSnapshots$(kind: JobKind, id: string, config: PollSnapshotsConfig): Observable<Generation | Composition> {
  const { options, interval, onProblem } = config;
  if (!(interval > 0 && interval < Infinity)) {
    throw new TypeError(`jobstream: a polling interval must be a number of ms above 0, got ${interval}.`);
  }
  const url = `${options.apiUrl}/api/v1/${kind}s/${encodeURIComponent(id)}`;
  const once = () =>
    poll$(url, {
      fetch: options.fetch,
      scheduler: options.scheduler,
      headers: { 'X-Request-ID': options.requestId() },
      credentials: options.withCredentials ? 'include' : 'same-origin',
    }).pipe(
      catchError((error: unknown) => {
        if (error instanceof HttpError && !error.transient) return throwError(() => error);
        onProblem(error instanceof Error ? error : new Error(String(error)));
        return EMPTY;
      }),
    );

  return timer(0, interval, options.scheduler).pipe(
    exhaustMap(once),
    mergeMap((body) => {
      const parsed = parseSnapshot(kind, body);
      if (parsed.ok) return [parsed.value];
      onProblem(parsed.error);
      return [];
    }),
    takeWhile((snapshot) => !isTerminalStatus(snapshot.status), true),
  );
}
