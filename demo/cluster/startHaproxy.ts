import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haproxyConfig, type HaproxyServer } from './haproxyConfig.js';
import { freePort, isListening } from './ports.js';
import type { ProcessWatchdog } from './processWatchdog.js';
import { startProcess, type ManagedProcess, type ProcessExit } from './startProcess.js';

/** Options of {@link startHaproxy}. */
export interface StartHaproxyConfig {
  watchdog: ProcessWatchdog;
  servers: readonly HaproxyServer[];
  /** Frontend port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Copy haproxy's warnings to stderr. @default false */
  echo?: boolean;
}

/** Debian's haproxy in front of the nodes. */
export interface HaproxyProcess {
  /** `http://127.0.0.1:<port>`: what clients connect to. */
  readonly url: string;
  readonly port: number;
  /** The configuration it runs, as written to its temp file. */
  readonly config: string;
  readonly process: ManagedProcess;
  stop(): Promise<ProcessExit>;
}

/**
 * Writes {@link haproxyConfig} to a temp file and runs `haproxy -db` (foreground) on it;
 * resolves once the frontend accepts connections.
 *
 * @example
 * const haproxy = await startHaproxy({ watchdog, servers: [{ id: 'node-1', port: 40001 }] });
 */
export async function startHaproxy(config: StartHaproxyConfig): Promise<HaproxyProcess> {
  const { watchdog, servers, port: wanted = 0, echo = false } = config;
  const port = wanted === 0 ? await freePort() : wanted;
  // The readiness probe is a connect: something already there would pass it for haproxy.
  if (await isListening(port)) throw new Error(`Port ${port} on 127.0.0.1 is in use.`);
  const directory = mkdtempSync(join(tmpdir(), 'jobstream-haproxy-'));
  watchdog.removeLater(directory);
  const file = join(directory, 'haproxy.cfg');
  const text = haproxyConfig({ port, servers });
  writeFileSync(file, text);
  const process = await startProcess('haproxy', ['-db', '-f', file], { watchdog, echo, probe: () => isListening(port) }).catch(
    (error: unknown) => {
      rmSync(directory, { recursive: true, force: true });
      throw error;
    },
  );
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    config: text,
    process,
    async stop() {
      const exit = await process.stop();
      rmSync(directory, { recursive: true, force: true });
      return exit;
    },
  };
}
