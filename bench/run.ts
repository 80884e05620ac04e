/**
 * Runs the benchmarks, each in its own child process (`node --expose-gc --import tsx`, so gc()
 * is there and nothing one bench loaded or leaked skews the next), and prints each one's JSON
 * line as it finishes. Exits 1 when a bench crashes, times out or prints no JSON; a missed
 * target is reported in the JSON (`pass: false`) but is not a failure here: benchmarks are not
 * tests.
 *
 *   npm run bench                      # throughput, fanout, load, react-flood, size
 *   npm run bench -- fanout            # only the benches named
 *   BENCH_EVENTS=20000 BENCH_JOBS=200 npm run bench   # quick sizes (read by each bench)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Every bench, in the order they run (load takes one to two minutes). */
const DEFAULT_BENCHES = ['throughput', 'fanout', 'load', 'react-flood', 'size'];
const TIMEOUT_MS = Number(process.env['BENCH_TIMEOUT_MS'] ?? 15 * 60_000);

function runBench(name: string): Promise<{ ok: boolean; reason?: string }> {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  if (!existsSync(file)) return Promise.resolve({ ok: false, reason: `no bench/${name}.ts` });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const lines = output.split('\n').filter((line) => line.trim().startsWith('{'));
      for (const line of lines) process.stdout.write(`${line.trim()}\n`);
      if (signal) resolve({ ok: false, reason: `killed by ${signal}${signal === 'SIGKILL' ? ` (over ${TIMEOUT_MS} ms?)` : ''}` });
      // `size` exits 1 on a missed budget, for CI; here a missed target is a figure, not a crash.
      else if (code !== 0 && !lines.some((line) => line.includes('"pass":false'))) resolve({ ok: false, reason: `exited with ${code}` });
      else if (lines.length === 0) resolve({ ok: false, reason: 'printed no JSON' });
      else resolve({ ok: true });
    });
  });
}

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_BENCHES;
let failed = false;
for (const name of names) {
  const { ok, reason } = await runBench(name);
  if (!ok) {
    failed = true;
    process.stderr.write(`bench ${name}: ${reason}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
