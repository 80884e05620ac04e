import type { Socket } from 'socket.io';
import type { JobServer } from '../../src/server/index.js';

/**
 * The `auth` payload of every socket.io handshake `server` sees from now on (root and job
 * namespaces), in order. The server's own records keep no `auth` (credentials never sit in its
 * memory), so a spec that checks what a client sent reads it live, as a backend would.
 */
export function recordHandshakeAuth(server: JobServer): Record<string, unknown>[] {
  const seen: Record<string, unknown>[] = [];
  const record = (socket: Socket) => seen.push(socket.handshake.auth);
  server.io.on('connection', record);
  // Job namespaces are children of a dynamic one, created (and cleaned up) as clients connect.
  server.io.on('new_namespace', (namespace) => namespace.on('connection', record));
  return seen;
}
