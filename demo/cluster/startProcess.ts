import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { ProcessWatchdog } from './processWatchdog.js';

/** How a child process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process of the cluster harness. */
export interface ManagedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<ProcessExit>;
  /** Whether it has not exited yet. */
  readonly running: boolean;
  /** Sends `signal` (SIGKILL by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<ProcessExit>;
}

/** Options of {@link startProcess}. */
export interface StartProcessConfig {
  /** Told about the process at once, and that it is gone once it exits. */
  watchdog: ProcessWatchdog;
  /** Whether a line of its stdout says it is ready; the process is started when one does. */
  ready?: (line: string) => boolean;
  /** Or whether it is ready, asked every 20 ms (for a process that prints nothing, like haproxy). */
  probe?: () => Promise<boolean>;
  /** Passed to `spawn` (`stdio` is set here: stdout piped, stderr kept for the error). */
  spawnOptions?: Omit<SpawnOptions, 'stdio'>;
  /** Adds an IPC channel (for `node` children). */
  ipc?: boolean;
  /** Copies the child's output to this process's stderr (for `start:cluster`). */
  echo?: boolean;
  /**
   * Kill it and fail when it is not ready by then.
   * @default 60_000
   */
  timeoutMs?: number;
}

/**
 * Spawns `command` and resolves once it is ready: a line of its stdout passes `ready`, or
 * `probe` answers `true`. Rejects with the last lines it printed when it exits or times out
 * first. Its stdout and stderr are read to the end, so a chatty process never blocks on a full pipe.
 *
 * @example
 * const redis = await startProcess('redis-server', ['--port', '6400'], { watchdog, ready: (line) => line.includes('Ready') });
 * await redis.stop();
 */
export async function startProcess(
  command: string,
  args: readonly string[],
  config: StartProcessConfig,
): Promise<ManagedProcess> {
  const { watchdog, ready, probe, spawnOptions, ipc = false, echo = false, timeoutMs = 60_000 } = config;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])] });
  const tail: string[] = [];
  // 'close', not 'exit': it also comes after a spawn that failed (ENOENT), which has no 'exit'.
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const failedToSpawn = once(child, 'error').then(([error]) => Promise.reject(error as Error));
  failedToSpawn.catch(() => undefined);
  if (child.pid !== undefined) watchdog.watch(child.pid);
  void exited.then(() => child.pid !== undefined && watchdog.forget(child.pid));

  // Once a line said ready, later lines are not matched any more.
  let isReady = false;
  let markReady: () => void = () => undefined;
  const readyLine = new Promise<void>((resolve) => {
    markReady = () => {
      isReady = true;
      resolve();
    };
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (echo) process.stderr.write(`${line}\n`);
      if (!isReady && stream === child.stdout && ready?.(line)) markReady();
    });
  }

  const description = `${command} ${args.join(' ')}`;
  const managed: ManagedProcess = {
    child,
    pid: child.pid ?? -1,
    exited,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    async stop(signal = 'SIGKILL') {
      if (managed.running) child.kill(signal);
      return exited;
    },
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ready ? readyLine : pollUntil(probe ?? (() => Promise.resolve(true)), () => managed.running),
      failedToSpawn,
      exited.then(({ code, signal }) => {
        throw new Error(`${description} exited (${signal ?? code}) before it was ready:\n${tail.join('\n')}`);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${description} was not ready after ${timeoutMs} ms:\n${tail.join('\n')}`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    await managed.stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return managed;
}

async function pollUntil(check: () => Promise<boolean>, alive: () => boolean): Promise<void> {
  while (alive() && !(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}
