import { request, type IncomingHttpHeaders } from 'node:http';
import { io, Manager, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { JobServer } from '../../src/server/index.js';
import { applyEvent, type JobSnapshot, type WebSocketEvent } from '../../src/protocol/index.js';

/** Socket.io client options every spec uses: websocket only, no retry of its own. */
export const CLIENT_OPTIONS = {
  transports: ['websocket'],
  forceNew: true,
  reconnection: false,
} as const satisfies Partial<ManagerOptions & SocketOptions>;

/** Opens a socket on `path` (`''` is the root namespace) with its own engine.io connection. */
export function connect(server: JobServer, path = '', options: Partial<ManagerOptions & SocketOptions> = {}): Socket {
  return io(`${server.url}${path}`, { ...CLIENT_OPTIONS, ...options });
}

/** A Manager whose namespaces share one engine.io connection, as the real client's do. */
export function manager(server: JobServer, options: Partial<ManagerOptions> = {}): Manager {
  return new Manager(server.url, { ...CLIENT_OPTIONS, ...options });
}

/** Resolves on `connect`, rejects on `connect_error`. */
export function connected(socket: Socket): Promise<Socket> {
  if (socket.connected) return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Every event the socket receives, in order, as `{ type, data }`. */
export function recordEvents(socket: Socket): { type: string; data: unknown }[] {
  const events: { type: string; data: unknown }[] = [];
  socket.onAny((type: string, data: unknown) => events.push({ type, data }));
  return events;
}

/** Connects to a job namespace, subscribes, and records what follows the ack. */
export async function subscribeTo(
  socket: Socket,
  kind: 'generation' | 'composition',
  id: string,
): Promise<{ ack: unknown; events: { type: string; data: unknown }[] }> {
  const events = recordEvents(socket);
  await connected(socket);
  const ack: unknown = await socket.emitWithAck('subscribe', { type: 'subscribe', [`${kind}_id`]: id });
  return { ack, events };
}

/** The snapshot a client would hold after folding `events` into `snapshot`. */
export function fold(snapshot: JobSnapshot, events: readonly { type: string; data: unknown }[]): JobSnapshot {
  return events.reduce((current, event) => applyEvent(current, event as WebSocketEvent), snapshot);
}

/** GETs `path` on the server and reads the JSON body. */
export async function getJson(server: JobServer, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, body: await response.json() };
}

/** Whether the last recorded event ends a job. */
export function ended(events: readonly { type: string; data: unknown }[]): boolean {
  const last = events.at(-1);
  if (!last) return false;
  if (last.type === 'completed') return true;
  if (last.type === 'error') return (last.data as { recoverable?: boolean }).recoverable === false;
  const status = (last.data as { new_status?: string }).new_status;
  return last.type === 'status_change' && (status === 'cancelled' || status === 'failed');
}

/** What {@link httpRequest} answers: the status, the headers and the body (parsed when JSON). */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * One HTTP request with node:http, which (unlike fetch) sends any `Host` and `Origin` as given,
 * the way a browser on another page or a DNS-rebinding page would.
 */
export function httpRequest(
  server: JobServer,
  path: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const json = (res.headers['content-type'] ?? '').startsWith('application/json');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: json ? (JSON.parse(text) as unknown) : text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A JSON POST, as a backend or the dashboard sends it. */
export function postJson(server: JobServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return httpRequest(server, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
