import type { OutboxLog } from './createOutboxLog.js';
import type { Handshake } from './attachJobSockets.js';

/**
 * The knobs integration tests turn on the reference server to break it in realistic ways,
 * and what it records for them to assert on.
 *
 * @example
 * server.control.stopSocket();           // the socket side is down, REST still answers
 * await vi.waitFor(() => expect(state.transport).toBe('polling'));
 * server.control.startSocket();
 */
export interface ServerControl {
  /**
   * Closes every engine.io connection and refuses new handshakes (engine `allowRequest`) until
   * {@link ServerControl.startSocket}; REST keeps answering. Clients see `transport close`, then
   * failed connection attempts, like a socket service that went down behind a working API.
   */
  stopSocket(): void;
  /** Accepts engine.io handshakes again. */
  startSocket(): void;
  /**
   * Cuts every engine.io connection at once (websocket connections are terminated without a
   * close frame) while still accepting new ones: clients should reconnect and resync.
   */
  dropConnections(): void;
  /** Stops acking `heartbeat`, so a client's heartbeat times out on a link that stays open. */
  stopHeartbeatAcks(): void;
  /** Acks `heartbeat` again. */
  resumeHeartbeatAcks(): void;
  /** Still applies outbound `message`s (once per id) but never acks them, as if acks were lost. */
  stopMessageAcks(): void;
  /** Acks outbound `message`s again. */
  resumeMessageAcks(): void;
  /**
   * Refuses the next `count` job `subscribe`s with a recoverable `{ error: { code: 'UNAVAILABLE' } }`
   * ack and leaves those sockets out of the job's audience, as a busy or restarting backend would.
   */
  refuseNextSubscribes(count: number): void;
  /** Freezes a job: it sends nothing and its snapshot stays as it is. */
  stall(id: string): boolean;
  /** Lets a stalled job go on from where it stopped. */
  resume(id: string): boolean;
  /** Emits a payload that breaks the contract to a job's audience; returns the socket count. */
  sendMalformed(id: string, event: string, payload: unknown): number;
  /** Emits any payload to a job's audience without folding it into the snapshot. */
  emitRaw(id: string, event: string, payload: unknown): number;
  /**
   * Makes the next `count` REST job GETs answer `status`.
   * @default status 503
   */
  failNextPolls(count: number, status?: number): void;
  /** REST job GETs received for `id`, failed ones included; 0 for an id no job has (those are not counted). */
  restHits(id: string): number;
  /** Open engine.io connections: one per client Manager, however many namespaces it uses. */
  engineConnections(): number;
  /** Sockets currently subscribed to the job (one per client namespace socket). */
  namespaceSockets(id: string): number;
  /** Whether engine.io handshakes are accepted (`false` after `stopSocket`). */
  readonly accepting: boolean;
  /** Whether `heartbeat` is acked (`false` after `stopHeartbeatAcks`). */
  readonly heartbeatAcks: boolean;
  /** Whether outbound `message`s are acked (`false` after `stopMessageAcks`). */
  readonly messageAcks: boolean;
  /** Request ids of the socket.io handshakes that carried one, in order: the last `recordLimit`. */
  readonly requestIds: readonly string[];
  /**
   * Socket.io handshakes (one per namespace connection), in order, the last `recordLimit`: request
   * id and namespace. `auth` is never kept; read `socket.handshake.auth` in a `server.io`
   * connection listener to see it.
   */
  readonly handshakes: readonly Handshake[];
  /** Outbound envelopes received, applied (once per id) and rejected (the last `recordLimit` each), and the dedupe log. */
  readonly outbox: OutboxLog;
}
