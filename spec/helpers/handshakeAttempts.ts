import type { JobServer } from '../../src/server/index.js';

/** engine.io handshakes a server saw, counted since {@link countHandshakeAttempts} was called. */
export interface HandshakeAttempts {
  /** Handshakes accepted: new engine.io connections. */
  readonly accepted: number;
  /** Handshakes refused, e.g. while `control.stopSocket()` holds. */
  readonly refused: number;
}

/**
 * Counts every engine.io handshake attempt, accepted or refused, so a spec can tell that a
 * client keeps probing a stopped socket server.
 *
 * The server's engine emits `connection_error` for each refusal. A `socketOptions.allowRequest`
 * would not do: `createJobServer` runs it only while it accepts, and refuses on its own before
 * it while stopped.
 *
 * @example
 * const attempts = countHandshakeAttempts(server);
 * server.control.stopSocket();
 * await vi.waitFor(() => expect(attempts.refused).toBeGreaterThan(2));
 */
export function countHandshakeAttempts(server: JobServer): HandshakeAttempts {
  const counts = { accepted: 0, refused: 0 };
  server.io.engine.on('connection', () => counts.accepted++);
  server.io.engine.on('connection_error', () => counts.refused++);
  return counts;
}
