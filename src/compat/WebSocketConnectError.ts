/** Why {@link WebSocketManager.connect} did not connect. */
export type WebSocketConnectErrorReason =
  /** The endpoint is not `/ws/generations/{id}` or `/ws/compositions/{id}`. */
  | 'invalid_endpoint'
  /** `disconnect()` (or a `connect()` to another endpoint) came before the connection did. */
  | 'disconnected'
  /**
   * The socket failed `reconnectionAttempts` times in a row. The job is not dropped: polling
   * carries it to the handlers and the socket keeps being probed, as the plan's fallback asks.
   */
  | 'unreachable';

/**
 * The rejection of a `connect()` that did not end connected, with what a caller needs to act:
 * the reason, the endpoint, and the underlying error as `cause` when there is one.
 *
 * @example
 * manager.connect(`/ws/generations/${id}`).catch((error) => {
 *   if (error instanceof WebSocketConnectError && error.reason === 'unreachable') showPollingBadge();
 * });
 */
export class WebSocketConnectError extends Error {
  override readonly name = 'WebSocketConnectError';

  constructor(
    /** What went wrong. */
    readonly reason: WebSocketConnectErrorReason,
    /** The endpoint `connect()` was given. */
    readonly endpoint: string,
    options?: { cause?: unknown },
  ) {
    super(messageFor(reason, endpoint), options);
  }
}

function messageFor(reason: WebSocketConnectErrorReason, endpoint: string): string {
  // A JavaScript caller can pass anything as the endpoint; the message must still be built.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion
  const shown = JSON.stringify(String(endpoint).slice(0, 300));
  switch (reason) {
    case 'invalid_endpoint':
      return `jobstream: ${shown} is not a job endpoint; use "/ws/generations/{generation_id}" or "/ws/compositions/{composition_id}".`;
    case 'disconnected':
      return `jobstream: disconnected from ${shown} before the connection was established.`;
    case 'unreachable':
      return `jobstream: could not reach the socket for ${shown} within the reconnection attempts; updates now come by polling while the socket is retried.`;
  }
}
