import { Observable } from 'rxjs';
import { Socket, type Manager } from 'socket.io-client';
import { ConnectionLostError } from './ConnectionLostError.js';
import { connectRouted } from './connectRouted.js';

/** Options of {@link socket$}. */
export interface SocketConfig {
  /**
   * Called on every handshake, so a refreshed token is used on reconnect. The result is merged
   * with `{ requestId }` and sent in the CONNECT packet.
   * @default no credentials
   */
  auth?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** The handshake's request id, also sent in `auth` so every transport carries it. */
  requestId: string;
  /**
   * Called when a job socket stays on socket.io-client's broadcast path because its internals
   * are not what {@link connectRouted} expects: still correct, only slower with many jobs.
   * @default nothing
   */
  onUnrouted?: () => void;
}

/**
 * A cold observable of one namespace socket on `manager`: subscribing connects it, the socket is
 * emitted once connected, and unsubscribing disconnects it. A failed connect or a disconnection
 * the client did not ask for errors with {@link ConnectionLostError}, so `retry` can take over.
 *
 * The root namespace (`/`) uses the manager's own socket; socket.io closes the shared connection
 * when its last *registered* socket leaves, so job sockets are created outside that registry and
 * the root socket alone decides when the connection closes. Job sockets get their packets through
 * {@link connectRouted}, so a packet costs one lookup rather than one call per open job.
 *
 * @example
 * socket$(manager, '/ws/generations/gen_1', { requestId }).subscribe((socket) => …);
 */
export function socket$(manager: Manager, namespace: string, config: SocketConfig): Observable<Socket> {
  const { auth = () => ({}), requestId, onUnrouted } = config;
  return new Observable<Socket>((subscriber) => {
    const handshake = (callback: (data: object) => void) => {
      // An auth provider that fails (an expired refresh token, say) fails this attempt only.
      Promise.resolve()
        .then(auth)
        .then(
          // socket.io sends the CONNECT whenever this answers, even for a socket disconnected
          // meanwhile: the server would keep a namespace socket nobody listens to.
          (credentials) => subscriber.closed || callback({ ...credentials, requestId }),
          (cause: unknown) => subscriber.error(new ConnectionLostError('auth provider failed', namespace, { cause })),
        );
    };
    const socket = namespace === '/' ? manager.socket('/') : new Socket(manager, namespace);
    // The manager caches its root socket, options and all: set this subscription's handshake, or a
    // retry would send the first subscription's request id and report to a closed subscriber.
    socket.auth = handshake;

    const onConnect = () => subscriber.next(socket);
    const onConnectError = (error: Error) =>
      subscriber.error(new ConnectionLostError(error.message, namespace, { cause: error }));
    const onDisconnect = (reason: string) => subscriber.error(new ConnectionLostError(reason, namespace));

    socket.on('connect', onConnect);
    socket.on('connect_error', onConnectError);
    socket.on('disconnect', onDisconnect);
    // The root socket is a single listener on the manager; a job socket is one of thousands.
    if (namespace === '/') socket.connect();
    else if (!connectRouted(socket)) onUnrouted?.();

    return () => {
      socket.off('connect', onConnect);
      socket.off('connect_error', onConnectError);
      socket.off('disconnect', onDisconnect);
      socket.disconnect();
    };
  });
}
