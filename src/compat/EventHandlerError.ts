/**
 * A handler given to `subscribe` (or a `WebSocketService` handler) threw. The error is reported
 * (to `onError`) and the other handlers and the stream go on, as the plan's "Handler Errors" asks.
 *
 * @example
 * onError: (error) => {
 *   if (error instanceof EventHandlerError) console.warn(`the ${error.eventType} handler failed`, error.cause);
 * }
 */
export class EventHandlerError extends Error {
  override readonly name = 'EventHandlerError';

  constructor(
    /** The event whose handler threw, e.g. `progress`. */
    readonly eventType: string,
    /** What the handler threw. */
    cause: unknown,
  ) {
    super(`jobstream: a "${eventType}" handler threw: ${describe(cause)}`, { cause });
  }
}

function describe(cause: unknown): string {
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return 'unknown error';
  }
}
