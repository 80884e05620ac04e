import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import type { ProcessWatchdog } from './processWatchdog.js';
import { startProcess, type ManagedProcess, type ProcessExit } from './startProcess.js';

/** Options of {@link startRedis}. */
export interface StartRedisConfig {
  watchdog: ProcessWatchdog;
  /**
   * Keep the data across {@link RedisProcess.restart} (an append-only file fsynced every write,
   * in the temp directory): what a Redis deployed for jobs would do. Without it a restart
   * starts empty, like a Redis that lost its disk.
   * @default false
   */
  appendOnly?: boolean;
  /** Copy redis-server's log to stderr. @default false */
  echo?: boolean;
}

/** A redis-server child process on loopback. */
export interface RedisProcess {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The current process (a new one after each restart). */
  readonly process: ManagedProcess;
  /** Stops it with `signal` (SIGKILL by default) and starts it again on the same port and directory. */
  restart(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it for good and removes its directory. */
  stop(): Promise<ProcessExit>;
}

/**
 * Starts Debian's `redis-server` on a free loopback port, its working directory (and append-only
 * file, if any) in a fresh temp directory, never in the repository.
 *
 * @example
 * const redis = await startRedis({ watchdog });
 * const server = await createJobServer({ redis: redis.url });
 */
export async function startRedis(config: StartRedisConfig): Promise<RedisProcess> {
  const { watchdog, appendOnly = false, echo = false } = config;
  const directory = mkdtempSync(join(tmpdir(), 'jobstream-redis-'));
  watchdog.removeLater(directory);
  const start = async (port: number) =>
    startProcess(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--daemonize', 'no'],
        ...['--dir', directory, '--save', '', '--appendonly', appendOnly ? 'yes' : 'no', '--appendfsync', 'always'],
      ],
      { watchdog, echo, ready: (line) => line.includes('Ready to accept connections') },
    );

  let port = await freePort();
  let current: ManagedProcess;
  try {
    current = await start(port);
  } catch {
    // Another process took the port between freePort() and redis-server's bind: once more.
    port = await freePort();
    current = await start(port);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get process() {
      return current;
    },
    async restart(signal = 'SIGKILL') {
      await current.stop(signal);
      current = await start(port);
    },
    async stop() {
      const exit = await current.stop();
      rmSync(directory, { recursive: true, force: true });
      return exit;
    },
  };
}
