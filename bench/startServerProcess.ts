import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReadyMessage, ReplyEnvelope, RequestEnvelope, ServerReply, ServerRequest } from './protocol.js';

/** The reference server running in a child process. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  request<R = ServerReply>(request: ServerRequest): Promise<R>;
  /** Closes the server and waits for the child to exit (killing it after `timeoutMs`). */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Forks `bench/server.ts` under the tsx loader and resolves once it listens.
 *
 * @example
 * const server = await startServerProcess();
 * const { ids } = await server.request<{ ids: string[] }>({ op: 'createGenerations', count: 1, processing: false });
 */
export function startServerProcess(): Promise<ServerProcess> {
  const script = fileURLToPath(new URL('./server.ts', import.meta.url));
  const child: ChildProcess = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (reply: ServerReply) => void; reject: (error: Error) => void }>();
  let seq = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  child.on('message', (message: ReplyEnvelope | ReadyMessage) => {
    if ('ready' in message) return;
    const waiter = pending.get(message.seq);
    pending.delete(message.seq);
    if (message.error !== undefined) waiter?.reject(new Error(`server: ${message.error}`));
    else if (message.reply) waiter?.resolve(message.reply);
  });
  child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`server process exited (${code})`));
    pending.clear();
  });

  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server process exited before it was ready (${code})`)));
    child.on('message', (message: ReplyEnvelope | ReadyMessage) => {
      if (!('ready' in message)) return;
      const request = <R = ServerReply>(body: ServerRequest) =>
        new Promise<R>((done, fail) => {
          const envelope: RequestEnvelope = { seq: ++seq, request: body };
          pending.set(envelope.seq, { resolve: (reply) => done(reply as R), reject: fail });
          child.send(envelope);
        });
      resolve({
        url: message.url,
        pid: child.pid ?? -1,
        request,
        async close(timeoutMs = 5000) {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
          try {
            await Promise.race([request({ op: 'close' }).catch(() => undefined), exited]);
            await exited;
          } finally {
            clearTimeout(killer);
          }
        },
      });
    });
  });
}
