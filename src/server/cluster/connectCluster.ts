import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Subject, type Observable } from 'rxjs';
import type { Namespace, Server } from 'socket.io';
import type { WebSocketEvent } from '../../protocol/index.js';
import { JOB_NAMESPACE } from '../attachJobSockets.js';
import type { JobNotice } from '../JobRecord.js';
import { ADAPTER_STREAM, JOB_STORE_UID } from './adapterBroadcast.js';
import type { RedisCommands } from './redisScript.js';

/** Response header naming the node that answered, on every HTTP response of a cluster node. */
export const NODE_HEADER = 'x-jobstream-node';

/**
 * A client of the `redis` package (v5), already connected. Typed by the members jobstream uses,
 * so that `jobstream/server` does not need `redis`'s types to compile.
 */
export interface RedisClientLike extends RedisCommands {
  /** `true` once `connect()` has resolved. */
  readonly isOpen: boolean;
  /** A new client with the same options; the adapter reads its streams on duplicates. */
  duplicate(): unknown;
}

/** Options of {@link connectCluster}. */
export interface ClusterConfig {
  /**
   * Where the nodes meet: a Redis URL (`redis://127.0.0.1:6379`), connected here and closed
   * with the node, or a connected client of the `redis` package, which stays the caller's to
   * close.
   */
  redis: string | RedisClientLike;
  /**
   * This node's name in the {@link NODE_HEADER} header (letters, digits, `.`, `_`, `-`; at most
   * 64), so a dashboard or a test can tell which node serves a connection.
   * @default `node-` and 8 random hex digits
   */
  nodeId?: string;
}

/** One node of a cluster, connected to Redis by {@link connectCluster}. */
export interface ClusterNode {
  /** The node id sent in the {@link NODE_HEADER} header. */
  readonly id: string;
  /** The connected Redis client the adapter publishes on (the caller's, or one made from the URL). */
  readonly redis: RedisClientLike;
  /**
   * Makes `io` this node: its broadcasts go through the Redis streams adapter and every HTTP
   * response carries {@link NODE_HEADER}. Call it before any socket connects: a namespace's
   * sockets stay on the adapter the namespace was made with.
   */
  attach(io: Server): void;
  /**
   * The job events a job store appended to the adapter's stream (see `adapterBroadcast`), in
   * the stream's order, as this node's adapter reads them: those of the job namespaces that
   * have sockets on this node. The adapter hands them here instead of broadcasting them, so that
   * the server sends them to each subscriber only after its `subscribe` ack.
   */
  readonly jobEvents$: Observable<JobNotice>;
  /** Closes the Redis client made from a URL; call it after `io.close()`. A client passed in is left open. */
  close(): Promise<void>;
}

type RedisModule = typeof import('redis');
type AdapterModule = typeof import('@socket.io/redis-streams-adapter');
type RedisClient = ReturnType<RedisModule['createClient']>;

const NODE_ID = /^[\w.-]{1,64}$/;

/**
 * Connects a node of a cluster to Redis; {@link ClusterNode.attach} then puts a socket.io server
 * on it: broadcasts go through `@socket.io/redis-streams-adapter`, so an event any node emits
 * reaches the matching sockets of every node, and every HTTP response names the node.
 * `redis` and `@socket.io/redis-streams-adapter` are loaded here, on first use, so a server
 * without `redis` never needs them installed.
 *
 * @example
 * const node = await connectCluster({ redis: 'redis://127.0.0.1:6379', nodeId: 'node-1' });
 * const io = new Server(httpServer);
 * node.attach(io);
 * io.emit('hello'); // reaches the sockets of every node
 * await io.close();
 * await node.close();
 */
export async function connectCluster(config: ClusterConfig): Promise<ClusterNode> {
  const { redis, nodeId = `node-${randomUUID().slice(0, 8)}` } = config;
  if (typeof nodeId !== 'string' || !NODE_ID.test(nodeId)) {
    throw new TypeError(
      `nodeId must be 1 to 64 letters, digits, '.', '_' or '-' (it is sent in a header); got ${JSON.stringify(nodeId)}`,
    );
  }
  checkRedisOption(redis);
  const [{ createClient }, { createAdapter }] = await importClusterPackages();
  let client: RedisClientLike;
  let owned: RedisClient | undefined;
  if (typeof redis === 'string') client = owned = await connect(createClient, redis);
  else client = redis;

  const jobEvents$ = new Subject<JobNotice>();
  return {
    id: nodeId,
    redis: client,
    jobEvents$: jobEvents$.asObservable(),
    attach(io) {
      io.adapter(handingOverJobEvents(createAdapter(withUnrefedDuplicates(client), ADAPTER_STREAM), jobEvents$));
      const stamp = (_req: IncomingMessage, res: ServerResponse) => res.setHeader(NODE_HEADER, nodeId);
      // A 'request' listener sees REST, static files and engine.io's polling; a websocket
      // upgrade is no 'request', so engine.io's own header hook covers it.
      io.httpServer.prependListener('request', stamp);
      io.engine.on('headers', (headers: Record<string, string>) => {
        headers[NODE_HEADER] = nodeId;
      });
    },
    close() {
      jobEvents$.complete();
      if (owned?.isOpen) owned.destroy();
      return Promise.resolve();
    },
  };
}

/** What `io.adapter()` takes: a function making each namespace's adapter. */
type AdapterFactory = Extract<Parameters<Server['adapter']>[0], (nsp: Namespace) => unknown>;

/** What {@link handingOverJobEvents} uses of an adapter of socket.io-adapter's `ClusterAdapter` family. */
interface ClusterAdapterLike {
  onMessage(message: { uid: string; nsp: string; type: number; data?: unknown }, offset?: string): void;
}

/**
 * Wraps the adapter factory so that each namespace's adapter hands the entries of a job store
 * (sender {@link JOB_STORE_UID}) to `jobEvents$` instead of broadcasting them to the namespace's
 * sockets; every other message is the adapter's. `onMessage` is where socket.io-adapter's
 * `ClusterAdapter` receives what other members published.
 */
function handingOverJobEvents(adapterFor: AdapterFactory, jobEvents$: Subject<JobNotice>): AdapterFactory {
  // A function, not an arrow: socket.io calls it with `new`.
  return function (nsp: Namespace) {
    const adapter = adapterFor(nsp) as ReturnType<AdapterFactory> & ClusterAdapterLike;
    const onMessage = adapter.onMessage.bind(adapter);
    adapter.onMessage = (message, offset) => {
      if (message.uid !== JOB_STORE_UID) return onMessage(message, offset);
      const [, plural, id = ''] = JOB_NAMESPACE.exec(message.nsp) ?? [];
      const [type, data] = (message.data as { packet: { data: [WebSocketEvent['type'], unknown] } }).packet.data;
      if (plural)
        jobEvents$.next({
          id,
          kind: plural === 'generations' ? 'generation' : 'composition',
          event: { type, data } as WebSocketEvent,
        });
    };
    return adapter;
  };
}

async function importClusterPackages(): Promise<[RedisModule, AdapterModule]> {
  try {
    return await Promise.all([import('redis'), import('@socket.io/redis-streams-adapter')]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    const install = 'npm install redis @socket.io/redis-streams-adapter';
    throw new Error(`createJobServer({ redis }) needs two optional packages: ${install}`, { cause: error });
  }
}

/** Waits between reconnects to a Redis that went away: node-redis's backoff, capped at 1 s so a restarted Redis is found again quickly. */
const reconnectDelay = (retries: number) => Math.min(50 * 2 ** retries, 1000);

async function connect(createClient: RedisModule['createClient'], url: string): Promise<RedisClient> {
  let connected = false;
  const client = createClient({
    url,
    // A first connection that fails is a wrong URL or a Redis not started: say so instead of
    // retrying for ever. Once connected, a lost Redis is waited for.
    socket: { reconnectStrategy: (retries, cause) => (connected ? reconnectDelay(retries) : cause) },
  });
  // node-redis reports each failed reconnect as 'error'; unheard, the first one would end the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot reach Redis at ${url}: ${(error as Error).message}`, { cause: error });
  }
  connected = true;
  return client;
}

function checkRedisOption(redis: unknown): void {
  if (typeof redis === 'string') {
    if (/^rediss?:\/\//.test(redis)) return;
    throw new TypeError(`redis must be a redis:// or rediss:// URL or a connected client; got ${JSON.stringify(redis)}`);
  }
  const client = redis as Partial<RedisClientLike> | null;
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof client.duplicate !== 'function' ||
    typeof client.sendCommand !== 'function'
  ) {
    throw new TypeError(`redis must be a Redis URL or a client of the redis package; got ${typeof redis}`);
  }
  if (client.isOpen !== true)
    throw new TypeError('The redis client is not connected: await client.connect() before createJobServer');
}

/**
 * The adapter reads its stream on duplicates of the client, in a loop that tries again at once
 * when a read fails. So a duplicate must wait for Redis, not fail while it is away: its offline
 * queue is on and it reconnects for ever, whatever the given client was told (a read that
 * failed at once, again and again, would starve the event loop). Unrefed, the blocking read
 * still running when a server closes (up to 5 s) does not keep its process alive. And the adapter
 * never handles the promise of a `SUBSCRIBE` it sends on a duplicate (one per namespace): one
 * still waiting when the server closes would be rejected unhandled, so it is handled here.
 * Everything else is the client's own, through the prototype chain.
 */
function withUnrefedDuplicates(client: RedisClientLike): RedisClientLike {
  const source = client as unknown as DuplicableClient;
  return Object.create(client, {
    duplicate: {
      value: () => {
        const duplicate = source.duplicate({
          disableOfflineQueue: false,
          socket: { ...source.options?.socket, reconnectStrategy: reconnectDelay },
        });
        duplicate.unref();
        const subscribe = duplicate.subscribe.bind(duplicate);
        duplicate.subscribe = (...args) => {
          const subscribed = subscribe(...args);
          subscribed.catch(() => undefined);
          return subscribed;
        };
        return duplicate;
      },
    },
  }) as RedisClientLike;
}

/** What {@link withUnrefedDuplicates} uses of a node-redis v5 client. */
interface DuplicableClient {
  readonly options?: { socket?: object };
  duplicate(overrides: { disableOfflineQueue: boolean; socket: object }): {
    unref(): void;
    subscribe(...args: unknown[]): Promise<unknown>;
  };
}
