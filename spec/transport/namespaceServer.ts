import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { Manager, Socket } from 'socket.io-client';

/**
 * A plain socket.io server on 127.0.0.1, port 0, accepting any namespace under `/ns/` and the root
 * (others are refused), acking `echo` with its payload, and a Manager on it shaped like jobstream's.
 */
export interface NamespaceServer {
  io: Server;
  url: string;
  /** A Manager with socket.io's reconnection off, as jobstream creates it. */
  manager(): Manager;
  /** The server side of the connected sockets of `nsp`, waiting until there are `count`. */
  connected(nsp: string, count?: number): Promise<ServerSocket[]>;
  close(): Promise<void>;
}

export async function startNamespaceServer(): Promise<NamespaceServer> {
  const httpServer = createServer();
  const io = new Server(httpServer);
  for (const namespace of [io.of('/'), io.of(/^\/ns\/\w+$/)]) {
    namespace.on('connection', (socket) => {
      socket.on('echo', (payload: unknown, ack: (answer: unknown) => void) => ack(payload));
    });
  }
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const managers: Manager[] = [];
  return {
    io,
    url,
    manager() {
      const manager = new Manager(url, { reconnection: false, autoConnect: false, transports: ['websocket'] });
      managers.push(manager);
      return manager;
    },
    async connected(nsp, count = 1) {
      let sockets: ServerSocket[] = [];
      await vi.waitFor(() => {
        sockets = [...io.of(nsp).sockets.values()];
        if (sockets.length !== count) throw new Error(`${sockets.length} sockets on ${nsp}, waiting for ${count}`);
      });
      return sockets;
    },
    async close() {
      // Typed as always there, `engine` is undefined until the first connect.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      for (const manager of managers) manager.engine?.close();
      await io.close();
    },
  };
}

/** A job-style socket on `manager`, outside its registry, with the `news` it hears in `heard`. */
export function jobSocket(manager: Manager, nsp: string): { socket: Socket; heard: unknown[] } {
  const socket = new Socket(manager, nsp);
  const heard: unknown[] = [];
  socket.on('news', (value: unknown) => heard.push(value));
  return { socket, heard };
}

/** Resolves once `socket` is connected. */
export async function untilConnected(socket: Socket): Promise<void> {
  await vi.waitFor(() => {
    if (!socket.connected) throw new Error('not connected yet');
  });
}

/**
 * Resolves once every packet the server sent before this call has been handled by the client:
 * packets of one connection arrive in order, so the echo's ack comes after them.
 */
export async function settled(socket: Socket): Promise<void> {
  await socket.timeout(5000).emitWithAck('echo', 'barrier');
}
