/**
 * The socket could not connect, or its connection ended without the client asking. `reason` is
 * socket.io's (`transport close`, `ping timeout`, `io server disconnect`, or the connect error's
 * message); the stream that raised it retries unless told otherwise.
 */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';

  constructor(
    /** socket.io's reason, or the connect error's message. */
    readonly reason: string,
    /** The namespace whose socket failed. */
    readonly namespace: string,
    options?: { cause?: unknown },
  ) {
    super(`Socket ${namespace} lost its connection: ${reason}`, options);
  }
}
