import { spawn } from 'node:child_process';

/** Kills the processes it was told about when the process that started them dies. */
export interface ProcessWatchdog {
  /** Kill `pid` (SIGKILL) if this process dies first. */
  watch(pid: number): void;
  /** Remove `directory` (absolute, a temp one) when this process dies, after the kills. */
  removeLater(directory: string): void;
  /** `pid` exited (or was stopped) here: never kill it, its number may be reused. */
  forget(pid: number): void;
  /** Ends the watchdog, killing what is still watched. */
  close(): void;
}

// Plain JS for `node -e`: pids arrive one a line on stdin (a negative one is forgotten), and
// absolute paths of directories to remove. stdin ends when the parent exits for any reason,
// SIGKILL included, since the kernel closes the pipe.
const WATCHDOG = `
const { rmSync } = require('node:fs');
const pids = new Set();
const directories = new Set();
let rest = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  for (const line of lines) {
    const pid = Number(line);
    if (line.startsWith('/')) directories.add(line);
    else if (pid > 0) pids.add(pid);
    else if (pid < 0) pids.delete(-pid);
  }
});
process.stdin.on('end', () => {
  for (const pid of pids) {
    try { process.kill(pid, 'SIGKILL'); } catch {}
  }
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  process.exit(0);
});
`;

/**
 * Starts a watchdog process, so that redis-server, haproxy and the nodes a test, a bench or
 * `start:cluster` started never outlive it: a vitest worker killed on timeout runs no
 * `afterAll`. The watchdog is detached (its own process group), so a Ctrl+C that stops the
 * group does not stop it before it has done its work.
 *
 * @example
 * const watchdog = startProcessWatchdog();
 * watchdog.watch(child.pid);
 */
export function startProcessWatchdog(): ProcessWatchdog {
  const child = spawn(process.execPath, ['-e', WATCHDOG], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  child.unref();
  const stdin = child.stdin;
  // The pipe must not keep this process alive either.
  (stdin as unknown as { unref?: () => void }).unref?.();
  stdin.on('error', () => undefined);
  return {
    watch: (pid) => void stdin.write(`${pid}\n`),
    forget: (pid) => void stdin.write(`${-pid}\n`),
    removeLater: (directory) => void stdin.write(`${directory}\n`),
    close: () => void stdin.end(),
  };
}
