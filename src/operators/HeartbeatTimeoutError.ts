/**
 * Raised by the `heartbeat` operator (`jobstream/operators`) when the server does not ack a ping
 * within `timeout` ms: the link is dead even if the socket still looks open, so the caller should
 * drop it and reconnect.
 *
 * @example
 * ```ts
 * socket$.pipe(heartbeat({ ping: (socket) => socket.emitWithAck('ping') })).subscribe({
 *   next: (latency) => showLatency(latency),
 *   error: (error) => error instanceof HeartbeatTimeoutError && reconnect(),
 * });
 * ```
 */
export class HeartbeatTimeoutError extends Error {
  override readonly name = 'HeartbeatTimeoutError';
  /** Ms the ack was awaited. */
  readonly timeout: number;
  /** `scheduler.now()` when the unanswered ping was sent. */
  readonly sentAt: number;

  constructor(info: { timeout: number; sentAt: number }) {
    super(`No ack for the heartbeat ping sent at ${info.sentAt} within ${info.timeout} ms.`);
    // Keeps `instanceof` working when the class is compiled down to ES5 by a consumer's build.
    Object.setPrototypeOf(this, new.target.prototype);
    this.timeout = info.timeout;
    this.sentAt = info.sentAt;
  }
}
