#!/usr/bin/env node
// The tarball import test: packs jobstream as npm would publish it, installs the tarball and its
// peers into a scratch project in a temp dir, then imports every entry point from ESM and CJS in
// child processes, exactly as a user's app would, and runs one job end to end against the
// reference server, sending one message through the outbox plugin. Builds first when dist/ is
// missing or older than src/. Always removes the temp dir. Exits 1 if any check fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const PEERS = ['rxjs', 'socket.io-client', 'socket.io', 'react', 'observable-hooks'];

/** Runtime exports each entry must have; types are attw's job (`npm run lint:package`). */
const ENTRIES = {
  jobstream: [
    'createJobStreams',
    'configFromEnv',
    'DEFAULT_JOB_STREAMS',
    'ValidationError',
    'HeartbeatTimeoutError',
    'parseEvent',
  ],
  'jobstream/operators': ['retryBackoff', 'heartbeat', 'idleTimeout', 'pollingFallback', 'throttleProgress', 'untilTerminal'],
  'jobstream/server': ['createJobServer', 'createJobSimulator', 'DEFAULT_JOB_SERVER'],
  'jobstream/react': ['JobStreamsProvider', 'useGenerationProgress', 'useConnectionState', 'ConnectionStatus', 'JobProgress'],
  'jobstream/compat': ['WebSocketManager', 'WebSocketService', 'createWebSocketConnection', 'useWebSocket'],
  'jobstream/outbox': ['outbox', 'DEFAULT_OUTBOX', 'memoryStorage', 'MessageRejectedError'],
};

const results = [];
function check(name, run) {
  const started = Date.now();
  try {
    run();
    results.push({ name, ok: true, ms: Date.now() - started });
    console.log(`  ✓ ${name}`);
  } catch (error) {
    results.push({ name, ok: false, ms: Date.now() - started });
    console.log(`  ✗ ${name}\n${indent(error instanceof Error ? error.message : String(error))}`);
  }
}

function indent(text) {
  return text
    .trim()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}

/** Runs `node` in the scratch project; throws with its output when it fails. */
function node(cwd, args, input) {
  const run = spawnSync(process.execPath, args, { cwd, input, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0)
    throw new Error(`${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}` || `exit ${run.status}`);
  return run.stdout;
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function peerVersion(name) {
  // The versions the repo develops against, so the scratch install matches what the tests ran.
  const manifest = join(root, 'node_modules', name, 'package.json');
  return existsSync(manifest) ? `${name}@${JSON.parse(readFileSync(manifest, 'utf8')).version}` : name;
}

const esmProgram = (specifier, names) => `
const entry = await import(${JSON.stringify(specifier)});
const missing = ${JSON.stringify(names)}.filter((name) => entry[name] === undefined);
if (missing.length > 0) throw new Error('${specifier} (ESM) lacks ' + missing.join(', '));
`;

const cjsProgram = (specifier, names) => `
const entry = require(${JSON.stringify(specifier)});
const missing = ${JSON.stringify(names)}.filter((name) => entry[name] === undefined);
if (missing.length > 0) throw new Error('${specifier} (CJS) lacks ' + missing.join(', '));
`;

/**
 * One generation, start to finish, through the packed client and server, and one message sent
 * through the outbox plugin of the separate `jobstream/outbox` entry.
 */
const endToEnd = (load) => `
const { createJobStreams } = ${load('jobstream')};
const { outbox, memoryStorage } = ${load('jobstream/outbox')};
const { createJobServer } = ${load('jobstream/server')};
const { filter, firstValueFrom, lastValueFrom, toArray } = ${load('rxjs')};
const server = await createJobServer();
const client = createJobStreams({ url: server.url, throttle: 0, linger: 0, outbox: outbox({ storage: memoryStorage() }) });
try {
  const id = server.jobs.startGeneration({ clips: 2, stepMs: 10 });
  const events = await lastValueFrom(client.generationProgress$(id).pipe(toArray()));
  const types = events.map((event) => event.type);
  if (types.at(-1) !== 'completed' || types.filter((type) => type === 'clip_completed').length !== 2) {
    throw new Error('unexpected events: ' + types.join(', '));
  }
  const sent = client.send('note', { packed: true });
  await firstValueFrom(client.outbox$.pipe(filter((waiting) => waiting.length === 0)));
  const applied = server.control.outbox.applied.map((envelope) => envelope.id);
  if (applied.join() !== sent) throw new Error('the outbox applied ' + JSON.stringify(applied) + ', not ' + sent);
} finally {
  client.dispose();
  await server.close();
}
`;

const scratch = mkdtempSync(join(tmpdir(), 'jobstream-pack-'));
let exitCode = 0;
try {
  console.log(`jobstream tarball import test (scratch project in ${scratch})`);

  const built = join(root, 'dist', 'index.js');
  if (!existsSync(built) || statSync(built).mtimeMs < newestMtime(join(root, 'src'))) {
    console.log('  building: dist/ is missing or older than src/');
    execFileSync(npm, ['run', 'build'], { cwd: root, stdio: 'ignore' });
  }

  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' }),
  );
  const { filename, files, size } = packed[0];
  const tarball = join(scratch, filename);
  console.log(`  packed ${filename}: ${files.length} files, ${(size / 1024).toFixed(0)} kB`);

  check('the tarball holds only dist/, README.md, LICENSE and package.json', () => {
    const stray = files.map(({ path }) => path).filter((path) => !/^(dist\/|README\.md$|LICENSE$|package\.json$)/.test(path));
    if (stray.length > 0) throw new Error(`unexpected files: ${stray.join(', ')}`);
    for (const needed of ['LICENSE', 'README.md', 'dist/react/styles.css']) {
      if (!files.some(({ path }) => path === needed)) throw new Error(`missing ${needed}`);
    }
  });

  const app = join(scratch, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, version: '0.0.0' }, null, 2));
  console.log(`  installing the tarball and ${PEERS.join(', ')}`);
  execFileSync(
    npm,
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, ...PEERS.map(peerVersion)],
    {
      cwd: app,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );

  for (const [specifier, names] of Object.entries(ENTRIES)) {
    check(`import('${specifier}') has ${names.join(', ')}`, () =>
      node(app, ['--input-type=module', '-'], esmProgram(specifier, names)),
    );
    check(`require('${specifier}') has ${names.join(', ')}`, () =>
      node(app, ['--input-type=commonjs', '-'], cjsProgram(specifier, names)),
    );
  }
  check("require.resolve('jobstream/react/styles.css') and import.meta.resolve find the stylesheet", () => {
    node(
      app,
      ['--input-type=commonjs', '-'],
      "require('node:fs').readFileSync(require.resolve('jobstream/react/styles.css'), 'utf8');",
    );
    node(
      app,
      ['--input-type=module', '-'],
      "import { readFileSync } from 'node:fs'; import { fileURLToPath } from 'node:url'; readFileSync(fileURLToPath(import.meta.resolve('jobstream/react/styles.css')), 'utf8');",
    );
  });
  check("require('jobstream/package.json') is exported", () =>
    node(
      app,
      ['--input-type=commonjs', '-'],
      "if (require('jobstream/package.json').name !== 'jobstream') throw new Error('wrong package.json');",
    ),
  );
  check('a job runs and a message is sent end to end through the packed client and server (ESM)', () =>
    node(
      app,
      ['--input-type=module', '-'],
      endToEnd((specifier) => `await import(${JSON.stringify(specifier)})`),
    ),
  );
  check('a job runs and a message is sent end to end through the packed client and server (CJS)', () =>
    node(
      app,
      ['--input-type=commonjs', '-'],
      `(async () => {${endToEnd((specifier) => `require(${JSON.stringify(specifier)})`)}})().catch((error) => { console.error(error); process.exit(1); });`,
    ),
  );
} catch (error) {
  console.error(`pack test could not run: ${error instanceof Error ? error.message : String(error)}`);
  if (error && typeof error === 'object' && 'stderr' in error && error.stderr) console.error(String(error.stderr));
  exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const failed = results.filter(({ ok }) => !ok).length;
const passed = results.length - failed;
console.log(`\nscratch project ${existsSync(scratch) ? 'NOT removed' : 'removed'}: ${scratch}`);
console.log(`pack-test: ${passed} passed, ${failed} failed`);
process.exit(exitCode || (failed > 0 ? 1 : 0));
