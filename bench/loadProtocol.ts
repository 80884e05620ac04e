import { fork } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A request of `bench/load.ts` to its server (`bench/loadServer.ts`), answered with the same `seq`. */
export type LoadRequest =
  | { seq: number; op: 'create'; count: number }
  | { seq: number; op: 'audience'; ids: readonly string[] }
  | { seq: number; op: 'engineConnections' }
  /**
   * Sends `rate` events a second to each job for `seconds`, spread evenly, round robin: every
   * `tickMs` (default 5) the events due by then go out together.
   */
  | { seq: number; op: 'play'; ids: readonly string[]; rate: number; seconds: number; tickMs?: number }
  | { seq: number; op: 'close' };

/** What the server played: events sent, those that reached no socket, its own CPU. */
export interface PlayReply {
  sent: number;
  unreached: number;
  /** Ticks that came more than 4 ticks late: the server itself could not keep the pace. */
  lateTicks: number;
  cpuUs: number;
  wallMs: number;
}

export type LoadReply = { seq: number } & (
  { ids: string[] } | { total: number; empty: number } | { value: number } | PlayReply | { closed: true } | { error: string }
);

/** Prefix of `message` before the send time, so a receiver tells load events from others. */
export const STAMP = 'sent@';

type Ask =
  | { op: 'create'; count: number }
  | { op: 'audience'; ids: readonly string[] }
  | { op: 'engineConnections' }
  | { op: 'play'; ids: readonly string[]; rate: number; seconds: number; tickMs?: number }
  | { op: 'close' };

/** The load server, running in a child process. */
export interface LoadServer {
  readonly url: string;
  request<R>(ask: Ask): Promise<R>;
  close(): Promise<void>;
}

/** Forks `bench/loadServer.ts` under tsx and resolves once it listens. */
export function startLoadServer(): Promise<LoadServer> {
  // Resolved from this file's path rather than `new URL(…, import.meta.url)`, which bundlers and
  // vitest's browser transform rewrite.
  const script = resolve(dirname(fileURLToPath(import.meta.url)), 'loadServer.ts');
  const child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve: (reply: LoadReply) => void; reject: (error: Error) => void }>();
  let seq = 0;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.on('message', (message: LoadReply | { ready: string }) => {
    if ('ready' in message) return;
    const waiter = waiting.get(message.seq);
    waiting.delete(message.seq);
    if ('error' in message) waiter?.reject(new Error(`load server: ${message.error}`));
    else waiter?.resolve(message);
  });
  child.once('exit', (code) => {
    for (const waiter of waiting.values()) waiter.reject(new Error(`load server exited (${code})`));
    waiting.clear();
  });
  const request = <R>(ask: Ask) =>
    new Promise<R>((resolveReply, reject) => {
      const envelope = { ...ask, seq: ++seq };
      waiting.set(envelope.seq, { resolve: (reply) => resolveReply(reply as R), reject });
      child.send(envelope);
    });
  return new Promise((resolveServer, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`load server exited before it was ready (${code})`)));
    child.on('message', (message: LoadReply | { ready: string }) => {
      if (!('ready' in message)) return;
      resolveServer({
        url: message.ready,
        request,
        async close() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await Promise.race([request({ op: 'close' }).catch(() => undefined), exited]);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}
