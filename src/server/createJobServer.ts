import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { Server, type ServerOptions } from 'socket.io';
import { attachJobSockets } from './attachJobSockets.js';
import { createJobSimulator, DEFAULT_JOB_SIMULATOR } from './createJobSimulator.js';
import { createOutboxLog, DEFAULT_OUTBOX_LOG } from './createOutboxLog.js';
import { createRequestGuard, LOOPBACK_ORIGINS, parseOrigin } from './createRequestGuard.js';
import { createRestHandler } from './createRestHandler.js';
import { createStateStore } from './createStateStore.js';
import { trackEngineConnections } from './trackEngineConnections.js';
import { cancelAction } from './cancelAction.js';
import { connectCluster, type ClusterConfig, type RedisClientLike } from './cluster/connectCluster.js';
import {
  checkLeaseTtl,
  createRedisJobStore,
  DEFAULT_REDIS_JOB_STORE,
  type RedisJobStore,
} from './cluster/createRedisJobStore.js';
import { jobsInRedis } from './cluster/jobsInRedis.js';
import { redisOutboxDedupe } from './cluster/redisOutboxDedupe.js';
import type { JobSimulator } from './JobSimulator.js';
import type { JobStore } from './JobStore.js';
import { sendError } from './sendJson.js';
import type { ServerControl } from './ServerControl.js';
import { simulatorStore } from './simulatorStore.js';

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
   * `allowRequest` given here runs after the server's own (which refuses all while stopped, and
   * any handshake whose `Host` or `Origin` is not allowed).
   * @default { cleanupEmptyChildNamespaces: true, cors: the allowedOrigins and publicOrigin }
   */
  socketOptions?: Partial<ServerOptions>;
  /**
   * Origins of the pages that may use this server from a browser besides its own (the origin
   * of the `Host` it was reached by) and `publicOrigin`: socket.io handshakes and REST writes
   * from any other `Origin` get a 403, and REST answers carry CORS headers for these. An entry is
   * an exact origin (`https://app.example`), any port of a host (`http://localhost:*`), or `'*'`.
   * A request without `Origin` comes from no browser (a backend, curl, a test) and is allowed.
   * @default LOOPBACK_ORIGINS (http and https on localhost, 127.0.0.1 and [::1], any port)
   */
  allowedOrigins?: readonly string[];
  /**
   * Host names the `Host` header may carry besides IP addresses, `localhost` (and
   * `*.localhost`), `host` and the host of `publicOrigin`; any other gets a 403, which stops a
   * DNS-rebinding page (its own name resolved to this server) from reading or driving it.
   * `['*']` turns the check off (behind a proxy that rewrites `Host`, say).
   * @default []
   */
  allowedHosts?: readonly string[];
  /**
   * The origin browsers reach this server at (`https://api.example`), when it is not the page's:
   * media URLs in snapshots and events are then absolute under it (root-relative otherwise),
   * and it is an allowed origin and host.
   * @default undefined (root-relative media URLs)
   */
  publicOrigin?: string;
  /**
   * Jobs that may be live (not ended) at once: one more is refused with a `TooManyJobsError`
   * (REST: 429). `Infinity` for no limit.
   * @default 1000
   */
  maxLiveJobs?: number;
  /**
   * Ended jobs kept readable; beyond it the one that ended first is forgotten (REST then 404s).
   * @default 1000
   */
  maxFinishedJobs?: number;
  /**
   * Entries kept in each test record (`control.handshakes`, `requestIds`, and the outbox log's
   * `received`, `applied`, `rejected`): the last ones, in arrival order.
   * @default 1000
   */
  recordLimit?: number;
  /**
   * How long an outbound message id is remembered: a resend within it is acked without acting
   * again. Keep it at least the clients' outbox `ttl`.
   * @default 3_600_000 (1 h, the outbox plugin's default `ttl`)
   */
  dedupeTtlMs?: number;
  /**
   * Most message ids remembered at once; beyond it the oldest is forgotten early.
   * @default 100_000
   */
  dedupeLimit?: number;
  /**
   * JSON file holding every job and the outbox dedupe log, written synchronously on every
   * change and read at start: `running` jobs resume from their snapshot, so a test can kill the
   * server (even with SIGKILL) and start another on the same file. Not with `redis`, where Redis
   * holds all of it.
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
   * Broadcasts go through the Redis streams adapter; job records, job leases and the outbox
   * dedupe ids live in Redis (see docs/scaling.md), so `server.store` answers with promises and
   * `server.jobs` is not available.
   * @default undefined (one process, everything in memory, nothing Redis-related loaded)
   */
  redis?: ClusterConfig['redis'];
  /**
   * This node's id in a cluster, sent in the `X-Jobstream-Node` response header; only with `redis`.
   * @default `node-` and 8 random hex digits
   */
  nodeId?: string;
  /**
   * How long a node's lease on a job it runs lasts unless renewed (every sixth of it): when the
   * node dies, another one plays the job on from its recorded step within about this long.
   * Only with `redis`.
   * @default 3000
   */
  leaseTtlMs?: number;
}

/** Defaults of {@link JobServerOptions}. */
export const DEFAULT_JOB_SERVER = {
  port: 0,
  host: '127.0.0.1',
  scheduler: asyncScheduler,
  allowedOrigins: LOOPBACK_ORIGINS,
  allowedHosts: [],
  maxLiveJobs: DEFAULT_JOB_SIMULATOR.maxLiveJobs,
  maxFinishedJobs: DEFAULT_JOB_SIMULATOR.maxFinishedJobs,
  recordLimit: DEFAULT_OUTBOX_LOG.recordLimit,
  dedupeTtlMs: DEFAULT_OUTBOX_LOG.dedupeTtlMs,
  dedupeLimit: DEFAULT_OUTBOX_LOG.dedupeLimit,
  leaseTtlMs: DEFAULT_REDIS_JOB_STORE.leaseTtlMs,
} as const satisfies Partial<JobServerOptions>;

/** A server running as one node of a cluster (`createJobServer({ redis })`). */
export interface ClusterMember {
  /** The node id sent in the `X-Jobstream-Node` header. */
  readonly id: string;
  /** The connected Redis client the node uses (the caller's, or one made from the URL). */
  readonly redis: RedisClientLike;
  /** Outbound message ids applied by any node of the cluster, oldest first (the last `recordLimit`). */
  appliedMessages(): Promise<string[]>;
  /** Ids of the jobs this node runs now (it holds their lease). */
  runningHere(): string[];
}

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
  /**
   * The simulated jobs, synchronously (one process only: with `redis` every member throws, saying
   * to use {@link JobServer.store}).
   */
  readonly jobs: JobSimulator;
  /** Where every request reads and changes jobs: the simulator, or Redis on a cluster node (promises). */
  readonly store: JobStore;
  /** Knobs and records for tests (with `redis`: of this node; `stall` and `resume` are the store's). */
  readonly control: ServerControl;
  /** This node of a cluster, when started with `redis`. */
  readonly cluster: ClusterMember | undefined;
  /** Stops jobs, closes every connection and the HTTP server; leaves no handle open. */
  close(): Promise<void>;
}

/**
 * Starts the reference server, a development tool: the whole wire contract (a namespace per job
 * acking `subscribe` with the job's snapshot then sending its typed events, `heartbeat` and
 * deduplicated outbound `message`s on `/`, and the REST snapshots) over simulated jobs, plus the
 * controls integration tests use to break it. It binds to loopback, checks `Host` and `Origin`,
 * caps what one request can make it allocate and keeps no credentials.
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
    allowedOrigins,
    allowedHosts,
    publicOrigin: givenOrigin,
    maxLiveJobs,
    maxFinishedJobs,
    recordLimit,
    dedupeTtlMs,
    dedupeLimit,
    leaseTtlMs,
  } = {
    ...DEFAULT_JOB_SERVER,
    ...options,
  };
  if (options.redis !== undefined && stateFile !== undefined) {
    throw new TypeError('stateFile and redis do not go together: in a cluster, Redis holds the jobs and the dedupe ids.');
  }
  if (options.redis !== undefined) checkLeaseTtl(leaseTtlMs);
  const publicOrigin = checkPublicOrigin(givenOrigin);
  const guard = createRequestGuard({
    allowedOrigins,
    allowedHosts: isIP(host) === 0 ? [...allowedHosts, host] : allowedHosts,
    publicOrigin,
  });
  const cluster =
    options.redis === undefined ? undefined : await connectCluster({ redis: options.redis, nodeId: options.nodeId });
  const stateStore = stateFile === undefined ? undefined : createStateStore(stateFile);
  const saved = stateStore?.load();
  // Both logs exist before anything can change, so `persist` never sees half a server.
  const persist = (): void => stateStore?.save({ jobs: jobs.records(), dedupe: outbox.dedupe() });
  const limits = { maxLiveJobs, maxFinishedJobs, mediaOrigin: publicOrigin ?? '' };
  const simulator = cluster
    ? undefined
    : createJobSimulator({ scheduler, onChange: persist, restore: saved?.jobs ?? [], ...limits });
  const jobs = simulator ?? jobsInRedis();
  const redisStore: RedisJobStore | undefined =
    cluster &&
    createRedisJobStore({
      redis: cluster.redis,
      events$: cluster.jobEvents$,
      nodeId: cluster.id,
      leaseTtlMs,
      scheduler,
      ...limits,
    });
  const store = redisStore ?? simulatorStore(jobs);
  const dedupe =
    cluster &&
    redisOutboxDedupe({
      redis: cluster.redis,
      ttlMs: dedupeTtlMs,
      limit: dedupeLimit,
      recordLimit,
      scheduler,
      keyPrefix: 'jobstream:',
    });
  const outbox = createOutboxLog({
    apply: cancelAction(store),
    onChange: persist,
    restore: saved?.dedupe ?? [],
    dedupeTtlMs,
    dedupeLimit,
    recordLimit,
    scheduler,
    ...(dedupe && { claim: (id: string) => dedupe.claim(id) }),
  });
  const rest = createRestHandler({ jobs: store, guard });

  const httpServer = createServer((req, res) => {
    const refusal = guard.refusal(req, !['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET'));
    if (refusal !== undefined) {
      req.resume();
      return sendError(res, 403, 'FORBIDDEN', refusal);
    }
    if (requestHandler?.(req, res) !== true) rest.handle(req, res);
  });
  let accepting = true;
  const io = new Server(httpServer, {
    cleanupEmptyChildNamespaces: true,
    cors: { origin: (origin, allow) => allow(null, origin !== undefined && guard.crossOriginAllowed(origin)), credentials: true },
    ...socketOptions,
    allowRequest(req, callback) {
      // A handshake is a write: once connected, a page can cancel jobs through `message`.
      const refusal = accepting ? guard.refusal(req, true) : 'The socket server is stopped (control.stopSocket).';
      if (refusal !== undefined) callback(refusal, false);
      else if (socketOptions.allowRequest) socketOptions.allowRequest(req, callback);
      else callback(null, true);
    },
  });
  cluster?.attach(io);
  const engine = trackEngineConnections(io);
  const sockets = attachJobSockets(io, { jobs: store, outbox, scheduler, recordLimit });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    // A port in use: what was started for this server must not outlive the failed start.
    sockets.dispose();
    simulator?.dispose();
    await redisStore?.close();
    await io.close();
    await cluster?.close();
    throw error;
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
    store,
    control,
    cluster: cluster &&
      dedupe &&
      redisStore && {
        id: cluster.id,
        redis: cluster.redis,
        appliedMessages: () => dedupe.applied(),
        runningHere: () => redisStore.held(),
      },
    close() {
      closing ??= (async () => {
        accepting = false;
        // Jobs played here are given back first, so other nodes take them over at once.
        await redisStore?.close();
        sockets.dispose();
        simulator?.dispose();
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

// Media URLs are built as `${origin}/api/v1/…`, so anything but a bare origin would break them.
function checkPublicOrigin(origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  const url = parseOrigin(origin);
  if (url === undefined) {
    throw new TypeError(`publicOrigin must be an http(s) origin with no path, such as "https://api.example"; got "${origin}".`);
  }
  return url.origin;
}
