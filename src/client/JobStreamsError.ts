import type { JobKind } from '../protocol/resources.js';

/**
 * A problem reported on `errors$`: a payload refused by validation, a failed poll, an unanswered
 * `subscribe`. The streams go on; this is for logging and toasts.
 */
export interface JobStreamsError {
  /** A `ValidationError`, `HttpError`, `TimeoutError`, … */
  error: Error;
  /** The job it concerns, when it concerns one. */
  job?: { kind: JobKind; id: string };
}
