import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { Server, type ServerOptions } from 'socket.io';
import { attachJobSockets } from './attachJobSockets.js';
import { createJobSimulator } from './createJobSimulator.js';
import { createOutboxLog } from './createOutboxLog.js';
import { createRestHandler } from './createRestHandler.js';
import { createStateStore } from './createStateStore.js';
import { trackEngineConnections } from './trackEngineConnections.js';
import { cancelAction } from './cancelAction.js';
import { connectCluster, type ClusterConfig, type ClusterNode } from './cluster/connectCluster.js';
import type { JobSimulator } from './JobSimulator.js';
import type { ServerControl } from './ServerControl.js';

/** Options of {@link createJobServer}. */
export interface JobServerOptions {
  /**
   * TCP port; 0 picks a free one (read it back from `server.port`), which is what tests want.
   * @default 0
   */
  port?: number;
  /**
   * Interface to listen on.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Schedules job steps and stamps heartbeat acks.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
  /**
   * Passed to the socket.io `Server` as is (`pingInterval`, `cors`, `transports`…). An
   * `allowRequest` given here runs after the server's own (which refuses all while stopped).
   * @default { cleanupEmptyChildNamespaces: true }
   */
  socketOptions?: Partial<ServerOptions>;
  /**
   * JSON file holding every job and the outbox dedupe log, written synchronously on every
   * change and read at start: `running` jobs resume from their snapshot, so a test can kill the
   * server (even with SIGKILL) and start another on the same file.
   * @default undefined (nothing persisted)
   */
  stateFile?: string;
  /**
   * Sees every HTTP request outside `/socket.io` first; return `true` when it answered (a demo
   * serving its static files), `false` to let the REST API handle it.
   * @default undefined
   */
  requestHandler?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /**
   * Runs the server as one node of a cluster: a Redis URL or a connected `redis` client (see
   * {@link connectCluster}; `redis` and `@socket.io/redis-streams-adapter` must be installed).
   * @default undefined (one process, everything in memory, nothing Redis-related loaded)
   */
  redis?: ClusterConfig['redis'];
  /**
   * This node's id in a cluster, sent in the `X-Jobstream-Node` response header; only with `redis`.
   * @default `node-` and 8 random hex digits
   */
  nodeId?: string;
}

/** Defaults of {@link JobServerOptions}. */
export const DEFAULT_JOB_SERVER = {
  port: 0,
  host: '127.0.0.1',
  scheduler: asyncScheduler,
} as const satisfies Partial<JobServerOptions>;

/** A running reference server. */
export interface JobServer {
  /** Base URL for REST and socket.io, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  /** The node HTTP server (REST, and socket.io on `/socket.io`). */
  readonly httpServer: HttpServer;
  /** The socket.io server. */
  readonly io: Server;
  /** The simulated jobs. */
  readonly jobs: JobSimulator;
  /** Knobs and records for tests. */
  readonly control: ServerControl;
  /** This node of a cluster (id, Redis client), when started with `redis`. */
  readonly cluster: ClusterNode | undefined;
  /** Stops jobs, closes every connection and the HTTP server; leaves no handle open. */
  close(): Promise<void>;
}

/**
 * Starts the reference server: the wire contract of DESIGN.md (job namespaces, `subscribe`
 * acked with a snapshot, typed events, heartbeat, deduplicated outbound messages, REST) over
 * simulated jobs, plus the controls integration tests use to break it.
 *
 * @example
 * const server = await createJobServer();
 * const id = server.jobs.startGeneration({ clips: 2, stepMs: 10 });
 * const socket = io(`${server.url}/ws/generations/${id}`, { transports: ['websocket'] });
 * // …
 * await server.close();
 */
export async function createJobServer(options: JobServerOptions = {}): Promise<JobServer> {
  const {
    port,
    host,
    scheduler,
    socketOptions = {},
    stateFile,
    requestHandler,
  } = {
    ...DEFAULT_JOB_SERVER,
    ...options,
  };
  const cluster =
    options.redis === undefined ? undefined : await connectCluster({ redis: options.redis, nodeId: options.nodeId });
  const store = stateFile === undefined ? undefined : createStateStore(stateFile);
  const saved = store?.load();
  // Both logs exist before anything can change, so `persist` never sees half a server.
  const persist = (): void => store?.save({ jobs: jobs.records(), applied: outbox.applied });
  const jobs = createJobSimulator({ scheduler, onChange: persist, restore: saved?.jobs ?? [] });
  const outbox = createOutboxLog({ apply: cancelAction(jobs), onChange: persist, restore: saved?.applied ?? [] });
  const rest = createRestHandler(jobs);

  const httpServer = createServer((req, res) => {
    if (requestHandler?.(req, res) !== true) rest.handle(req, res);
  });
  let accepting = true;
  const io = new Server(httpServer, {
    cleanupEmptyChildNamespaces: true,
    ...socketOptions,
    allowRequest(req, callback) {
      if (!accepting) callback('The socket server is stopped (control.stopSocket).', false);
      else if (socketOptions.allowRequest) socketOptions.allowRequest(req, callback);
      else callback(null, true);
    },
  });
  cluster?.attach(io);
  const engine = trackEngineConnections(io);
  const sockets = attachJobSockets(io, { jobs, outbox, scheduler });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const bound = (httpServer.address() as AddressInfo).port;

  const control: ServerControl = {
    stopSocket() {
      accepting = false;
      engine.drop();
    },
    startSocket() {
      accepting = true;
    },
    dropConnections: () => engine.drop(),
    stopHeartbeatAcks() {
      sockets.heartbeatAcks = false;
    },
    resumeHeartbeatAcks() {
      sockets.heartbeatAcks = true;
    },
    stopMessageAcks() {
      sockets.messageAcks = false;
    },
    resumeMessageAcks() {
      sockets.messageAcks = true;
    },
    refuseNextSubscribes(count) {
      sockets.refuseSubscribes = count;
    },
    stall: (id) => jobs.stall(id),
    resume: (id) => jobs.resume(id),
    sendMalformed: (id, event, payload) => sockets.emitRaw(id, event, payload),
    emitRaw: (id, event, payload) => sockets.emitRaw(id, event, payload),
    failNextPolls: (count, status) => rest.failNextPolls(count, status),
    restHits: (id) => rest.restHits(id),
    engineConnections: () => io.engine.clientsCount,
    namespaceSockets: (id) => sockets.audience(id),
    get accepting() {
      return accepting;
    },
    get heartbeatAcks() {
      return sockets.heartbeatAcks;
    },
    get messageAcks() {
      return sockets.messageAcks;
    },
    requestIds: sockets.requestIds,
    handshakes: sockets.handshakes,
    outbox,
  };

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    httpServer,
    io,
    jobs,
    control,
    cluster,
    close() {
      closing ??= (async () => {
        accepting = false;
        sockets.dispose();
        jobs.dispose();
        // Terminated websockets leave no close-handshake timer behind, unlike a polite close.
        engine.drop();
        const closed = io.close();
        httpServer.closeAllConnections();
        await closed;
        await cluster?.close();
      })();
      return closing;
    },
  };
}
