import { fileURLToPath } from 'node:url';
import type { NodeReady, NodeReplyEnvelope, NodeRequest } from './nodeProtocol.js';
import type { ProcessWatchdog } from './processWatchdog.js';
import { startProcess, type ManagedProcess } from './startProcess.js';

const NODE_SCRIPT = fileURLToPath(new URL('./node.ts', import.meta.url));

/** Options of {@link startNode}. */
export interface StartNodeConfig {
  watchdog: ProcessWatchdog;
  /** Node id, in the `X-Jobstream-Node` header and HAProxy's cookie. */
  id: string;
  /** Redis URL; without it the node is the in-memory single-process server. @default undefined */
  redis?: string;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Built dashboard directory to serve, with the demo controls on when `demo` is. @default undefined */
  dashboard?: string;
  /** @default false */
  demo?: boolean;
  /** The demo controls' token, shared by the nodes of a cluster (passed in the environment, not seen in `ps`). @default a new one per node */
  demoToken?: string;
  /** Copy the node's output to stderr. @default false */
  echo?: boolean;
}

/** A reference server node in a child process (`node.ts`). */
export interface NodeProcess {
  readonly id: string;
  readonly port: number;
  readonly url: string;
  readonly process: ManagedProcess;
  /** Asks the node over IPC (see `nodeProtocol.ts`). */
  request<R>(request: NodeRequest): Promise<R>;
}

/**
 * Forks `demo/cluster/node.ts` under tsx and resolves once it listens.
 *
 * @example
 * const node = await startNode({ watchdog, id: 'node-1', redis: redis.url });
 * await node.request({ op: 'emit', event: 'hello', payload: 1 });
 * await node.process.stop(); // SIGKILL
 */
export async function startNode(config: StartNodeConfig): Promise<NodeProcess> {
  const { watchdog, id, redis, port = 0, dashboard, demo = false, demoToken, echo = false } = config;
  const args = [
    ...['--import', 'tsx', NODE_SCRIPT, '--node-id', id, '--port', String(port)],
    ...(redis === undefined ? [] : ['--redis', redis]),
    ...(dashboard === undefined ? [] : ['--dashboard', dashboard]),
    ...(demo ? ['--demo'] : []),
  ];
  let ready: NodeReady | undefined;
  const managed = await startProcess(process.execPath, args, {
    watchdog,
    echo,
    ipc: true,
    ...(demoToken !== undefined && { spawnOptions: { env: { ...process.env, JOBSTREAM_DEMO_TOKEN: demoToken } } }),
    ready: (line) => {
      if (!line.startsWith('{"ready":true')) return false;
      ready = JSON.parse(line) as NodeReady;
      return true;
    },
  });
  // startProcess resolved, so the matcher saw the line; the check is for the type.
  if (ready === undefined) throw new Error(`${id} printed no ready line`);
  const { port: bound, url } = ready;
  const { child } = managed;
  const pending = new Map<number, { resolve: (reply: unknown) => void; reject: (error: Error) => void }>();
  let seq = 0;
  child.on('message', (message: NodeReplyEnvelope | NodeReady) => {
    if (!('seq' in message)) return;
    const waiter = pending.get(message.seq);
    pending.delete(message.seq);
    if (message.error !== undefined) waiter?.reject(new Error(`${id}: ${message.error}`));
    else waiter?.resolve(message.reply);
  });
  void managed.exited.then(({ code, signal }) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${id} exited (${signal ?? code})`));
    pending.clear();
  });
  return {
    id,
    port: bound,
    url,
    process: managed,
    request<R>(request: NodeRequest) {
      if (!managed.running) return Promise.reject(new Error(`${id} is not running`));
      return new Promise<R>((resolve, reject) => {
        pending.set(++seq, { resolve: (reply) => resolve(reply as R), reject });
        child.send({ seq, request });
      });
    },
  };
}
