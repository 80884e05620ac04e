import type { Server } from 'socket.io';

/** The engine.io connections of one socket.io server. */
export interface EngineConnections {
  /** Cuts every open engine.io connection at once. */
  drop(): void;
}

interface EngineSocket {
  transport: { name: string; socket?: { terminate?: () => void } };
  close(discard?: boolean): void;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Keeps the set of open engine.io connections (engine.io keeps its own map private) so they
 * can be cut abruptly: a websocket is terminated without a close frame, as when a server or a
 * network path dies; a polling connection, which has no socket to cut, is closed.
 *
 * @example
 * const engine = trackEngineConnections(io);
 * engine.drop();
 */
export function trackEngineConnections(io: Server): EngineConnections {
  const open = new Set<EngineSocket>();
  io.engine.on('connection', (connection: EngineSocket) => {
    open.add(connection);
    connection.once('close', () => open.delete(connection));
  });
  return {
    drop() {
      for (const connection of [...open]) {
        const { transport } = connection;
        const ws = transport.socket;
        if (transport.name === 'websocket' && typeof ws?.terminate === 'function') ws.terminate();
        else connection.close(true);
      }
    },
  };
}
