/** What failed validation: a known event with a bad payload, an unknown event, or a snapshot. */
export type ValidationErrorKind = 'invalid_payload' | 'unknown_event' | 'invalid_snapshot';

/**
 * A payload from the wire that jobstream refused. It never reaches a handler; it is reported
 * (on `errors$` in the client) with enough to find the culprit on the server.
 */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';

  constructor(
    /** Which kind of check failed. */
    readonly kind: ValidationErrorKind,
    /** The event name as received, or the job kind (`generation`, `composition`) for a snapshot. */
    readonly event: string,
    /** Dot path of the offending field, `''` for the payload itself. */
    readonly path: string,
    /** What is wrong with it, for a human. */
    readonly reason: string,
  ) {
    super(`Rejected "${event}"${path ? ` at ${path}` : ''}: ${reason}`);
  }
}

/** Result of a parse that never throws. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ValidationError };
