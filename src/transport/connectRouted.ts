import type { Manager, Socket } from 'socket.io-client';

/** What `socket.connect()` changed, as {@link ConnectRoutedConfig.recognize} sees it. */
export interface ConnectChange {
  /** The `'packet'` listeners the Manager gained during the connect, by identity. */
  added: readonly unknown[];
  /** The socket's `subs` after the connect: its teardown functions when the internals are as expected. */
  subs: unknown;
  /** The socket's `nsp`, the key its packets carry. */
  nsp: unknown;
}

/** Options of {@link connectRouted}. */
export interface ConnectRoutedConfig {
  /**
   * Decides whether what `socket.connect()` changed matches the socket.io-client internals the
   * router relies on. When it returns false the socket stays on socket.io-client's own path.
   * Tests replace it to force that fallback.
   * @default exactly one listener added, `subs` an array of functions, `nsp` a string
   */
  recognize?: (change: ConnectChange) => boolean;
}

/** The defaults of {@link ConnectRoutedConfig}. */
export const DEFAULT_CONNECT_ROUTED = {
  recognize: ({ added, subs, nsp }: ConnectChange): boolean =>
    added.length === 1 &&
    typeof added[0] === 'function' &&
    typeof nsp === 'string' &&
    Array.isArray(subs) &&
    subs.every((sub) => typeof sub === 'function'),
} as const satisfies Required<ConnectRoutedConfig>;

/** The private fields of a socket.io-client Socket that routing reads and extends. */
interface SocketInternals {
  nsp?: unknown;
  subs?: unknown;
}

type PacketListener = (packet: { nsp: string }) => void;

interface Route {
  socket: Socket;
  listener: PacketListener;
}

/**
 * Routes of one Manager by namespace. Each array is replaced, never mutated, so a dispatch in
 * progress keeps iterating the routes it started with, as socket.io's emitter does with its
 * listeners: a socket reconnected by a handler must not get the packet that triggered it twice.
 */
type Routes = Map<string, readonly Route[]>;

interface Router {
  routes: Routes;
  dispatch: PacketListener;
}

const routers = new WeakMap<Manager, Router>();

/**
 * Connects a namespace socket so that the Manager's packets reach it by a lookup on their
 * namespace instead of a broadcast to every socket, and returns whether it is routed.
 *
 * socket.io-client hands every decoded packet to every Socket of the Manager (each drops the
 * ones of other namespaces), so with one socket per job each packet costs one call per job.
 * Here each Manager gets a single `'packet'` listener that looks up the namespace's sockets, and
 * the socket's own listener is moved from the Manager to that table while the socket's
 * subscriptions live (socket.io-client tears them down on disconnect and re-creates them on
 * connect). Routing relies on socket.io-client internals, so they are checked on every connect:
 * a socket whose connect does not change them as expected keeps socket.io-client's own path,
 * which is correct, only slower.
 *
 * Use it for sockets outside the Manager's registry (`new Socket(manager, nsp)`); the root
 * socket is one listener and stays on the default path.
 *
 * @example
 * const socket = new Socket(manager, '/ws/generations/gen_1');
 * socket.on('connect', onConnect);
 * connectRouted(socket); // true when the socket is routed
 */
export function connectRouted(socket: Socket, config: ConnectRoutedConfig = {}): boolean {
  const { recognize } = { ...DEFAULT_CONNECT_ROUTED, ...config };
  const manager = socket.io as Manager | undefined;
  // A socket that is already active keeps its listener where it is (routed or not), and a
  // Manager from a custom `io` factory may not be socket.io's emitter at all.
  if (socket.active || typeof manager?.listeners !== 'function') {
    socket.connect();
    return false;
  }
  // An inactive socket's routes are stale by definition: dropping them here keeps a reconnect
  // from hearing each packet twice even if its teardown never ran.
  unroute(manager, socket);
  const before = [...manager.listeners('packet')];
  socket.connect();
  const internals = socket as unknown as SocketInternals;
  const added = manager.listeners('packet').filter((listener) => !before.includes(listener));
  if (!recognize({ added, subs: internals.subs, nsp: internals.nsp })) return false;

  const listener = added[0] as PacketListener;
  const nsp = internals.nsp as string;
  const subs = internals.subs as (() => void)[];
  manager.off('packet', listener);
  // Routed while still on the broadcast, the socket would get every packet twice.
  if (manager.listeners('packet').includes(listener)) return false;
  const routes = routesOf(manager);
  routes.set(nsp, [...(routes.get(nsp) ?? []), { socket, listener }]);
  // socket.io-client runs and drops `subs` whenever the socket stops listening (disconnect,
  // destroy, a refused namespace), so the route ends exactly when its listener would have.
  subs.push(() => removeRoutes(routes, nsp, (route) => route.listener === listener));
  return true;
}

/** Drops every route of `socket` on `manager`. */
function unroute(manager: Manager, socket: Socket): void {
  const routes = routers.get(manager)?.routes;
  const nsp = (socket as unknown as SocketInternals).nsp;
  if (routes !== undefined && typeof nsp === 'string') removeRoutes(routes, nsp, (route) => route.socket === socket);
}

function removeRoutes(routes: Routes, nsp: string, matches: (route: Route) => boolean): void {
  const left = (routes.get(nsp) ?? []).filter((route) => !matches(route));
  if (left.length > 0) routes.set(nsp, left);
  else routes.delete(nsp);
}

/** The routes of `manager`, its one dispatching listener installed (again, if someone removed it). */
function routesOf(manager: Manager): Routes {
  let router = routers.get(manager);
  if (router === undefined) {
    const routes: Routes = new Map();
    const dispatch: PacketListener = (packet) => {
      const found = routes.get(packet.nsp);
      if (found === undefined) return;
      for (const { socket, listener } of found) {
        // A socket whose subscriptions are gone must hear nothing, even if a future
        // socket.io-client tore them down without running the teardown that unroutes it.
        if (socket.active) listener(packet);
      }
    };
    router = { routes, dispatch };
    routers.set(manager, router);
  }
  if (!manager.listeners('packet').includes(router.dispatch)) manager.on('packet', router.dispatch);
  return router.routes;
}
