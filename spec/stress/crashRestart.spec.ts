import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { createJobStreams } from '../../src/client/createJobStreams.js';
import type { DeadLetter } from '../../src/outbox/DeadLetter.js';
import { outbox } from '../../src/outbox.js';
import type { PersistedState } from '../../src/server/index.js';
import { followJob } from '../helpers/followJob.js';
import { jobViolations } from '../helpers/jobViolations.js';
import { FAST } from '../helpers/liveClient.js';
import { mulberry32 } from '../helpers/mulberry32.js';
import { printFigure } from '../helpers/printFigure.js';
import { stressSeeds } from '../helpers/stressSeeds.js';
import { trackProcessErrors } from '../helpers/trackProcessErrors.js';
import { watchConnection } from '../helpers/watchConnection.js';

const KILLS = 20;
const JOBS = 20;
/** Uptime of each server process before its SIGKILL, from the moment it listens. */
const UPTIME_MS = { min: 250, max: 1000 };
const DEADLINE_MS = 60_000;
const SCRIPT = fileURLToPath(new URL('./serveCrashable.ts', import.meta.url));

/** One reference server process on the state file. */
interface ServerProcess {
  child: ChildProcess;
  exited: Promise<unknown>;
  /** Ms from spawn to listening. */
  bootMs: number;
}

async function startServer(stateFile: string, port: number): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, stateFile, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const ready = once(createInterface({ input: child.stdout }), 'line');
  const died = exited.then(([code]) => {
    throw new Error(`the server process exited (${String(code)}) before listening on port ${port}`);
  });
  await Promise.race([ready, died]);
  return { child, exited, bootMs: performance.now() - started };
}

/** A port that was free a moment ago: every restart must come back on the same one. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function createJob(url: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${url}/api/v1/generations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST /api/v1/generations answered ${response.status}: ${await response.text()}`);
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function runCrashes(seed: number): Promise<string[]> {
  const random = mulberry32(seed);
  const directory = mkdtempSync(join(tmpdir(), 'jobstream-crash-'));
  const stateFile = join(directory, 'state.json');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const processErrors = trackProcessErrors();
  let server = await startServer(stateFile, port);
  const bootMs = [server.bootMs];
  const client = createJobStreams({ ...FAST, url, transports: ['websocket'], outbox: outbox() });
  const connection = watchConnection(client);
  const deadLetters: DeadLetter[] = [];
  client.deadLetters$.subscribe((letter) => deadLetters.push(letter));
  cleanup = async () => {
    processErrors.stop();
    connection.stop();
    client.dispose();
    server.child.kill('SIGKILL');
    await server.exited;
    rmSync(directory, { recursive: true, force: true });
  };
  const started = performance.now();

  // Jobs long enough to span many kills: a restarted job starts its step timer over.
  const ids = Array.from({ length: JOBS }, (_, index) => `crash_s${seed}_${index}`);
  const cancelled = `crash_s${seed}_cancelled`;
  for (const id of ids) {
    await createJob(url, {
      id,
      clips: 2 + Math.floor(random() * 4),
      progressPerClip: 3,
      stepMs: 100 + Math.floor(random() * 300),
    });
  }
  await createJob(url, { id: cancelled, clips: 6, progressPerClip: 3, stepMs: 400 });
  const jobs = [...ids, cancelled].map((id) => followJob(client, id));
  // When every job has ended before a kill (some seeds draw short jobs), a fresh one is started
  // and seen running first, so that each of the 20 kills lands mid-job.
  const startAnotherJob = async () => {
    const id = `crash_s${seed}_extra_${ids.length - JOBS + 1}`;
    await createJob(url, { id, clips: 2 + Math.floor(random() * 3), progressPerClip: 3, stepMs: 200 });
    ids.push(id);
    const job = followJob(client, id);
    jobs.push(job);
    const running = () => job.events.some((event) => event.type === 'progress');
    await vi.waitFor(() => expect(running(), `${id} running`).toBe(true), { timeout: 10_000, interval: 10 });
  };

  const sent: string[] = [];
  const note = () => sent.push(client.send('note', { n: sent.length }));
  let killsMidJob = 0;
  for (let kill = 1; kill <= KILLS; kill++) {
    const uptime = UPTIME_MS.min + random() * (UPTIME_MS.max - UPTIME_MS.min);
    const notesAt = Array.from({ length: Math.floor(random() * 3) }, () => random() * uptime).sort((a, b) => a - b);
    let elapsed = 0;
    for (const at of notesAt) {
      await sleep(at - elapsed);
      elapsed = at;
      note();
    }
    if (kill === 3) sent.push(client.send('cancel', { generation_id: cancelled }));
    await sleep(uptime - elapsed);
    if (jobs.every((job) => job.finished)) await startAnotherJob();
    if (jobs.some((job) => !job.finished)) killsMidJob += 1;
    server.child.kill('SIGKILL');
    await server.exited;
    // Sent while no server runs: the outbox must hold it until one is back.
    note();
    server = await startServer(stateFile, port);
    bootMs.push(server.bootMs);
  }

  const finished = await Promise.race([
    Promise.all(jobs.map((job) => job.done)).then(() => true),
    sleep(DEADLINE_MS).then(() => false),
  ]);
  const outboxDrained = await firstValueFrom(
    client.outbox$.pipe(
      filter((messages) => messages.length === 0),
      timeout({ first: 20_000 }),
    ),
  ).then(
    () => true,
    () => false,
  );
  const debug = (await (await fetch(`${url}/debug/outbox`)).json()) as { dedupe: string[] };
  server.child.kill('SIGKILL');
  await server.exited;
  const persisted = JSON.parse(readFileSync(stateFile, 'utf8')) as PersistedState;
  const snapshot = (id: string) => persisted.jobs.find((record) => record.id === id)?.snapshot;

  const violations = jobs.flatMap((job) => jobViolations(job, snapshot(job.id)).map((problem) => `${job.id}: ${problem}`));
  if (!finished)
    violations.unshift(`${jobs.filter((job) => !job.finished).length} jobs unfinished ${DEADLINE_MS} ms after the last restart`);
  for (const id of ids) {
    const record = persisted.jobs.find((job) => job.id === id);
    const expected = Array.from(
      { length: record?.kind === 'generation' ? record.plan.clips : 0 },
      (_, index) => `${id}_clip_${index + 1}`,
    );
    const clips = (snapshot(id) as { clips?: { clip_id: string }[] } | undefined)?.clips?.map((clip) => clip.clip_id) ?? [];
    if (snapshot(id)?.status !== 'completed' || clips.join() !== expected.join()) {
      violations.push(`${id}: the server ended ${snapshot(id)?.status} with clips [${clips.join(', ')}]`);
    }
  }
  if (snapshot(cancelled)?.status !== 'cancelled')
    violations.push(`${cancelled}: the server ended it ${snapshot(cancelled)?.status}, not cancelled`);

  // The dedupe log is persisted before an id acts; the `.applied` file lists what each process acted on.
  const applied = persisted.dedupe.map((entry) => entry.id);
  const acted = readFileSync(`${stateFile}.applied`, 'utf8').split('\n').filter(Boolean);
  const appliedTwice = acted.filter((id, index) => acted.indexOf(id) !== index);
  const neverApplied = sent.filter((id) => !applied.includes(id));
  const unknown = applied.filter((id) => !sent.includes(id));
  if (appliedTwice.length > 0) violations.push(`applied twice: ${appliedTwice.join(', ')}`);
  if (neverApplied.length > 0) violations.push(`never applied: ${neverApplied.join(', ')}`);
  if (unknown.length > 0) violations.push(`applied but never sent: ${unknown.join(', ')}`);
  if (debug.dedupe.join() !== applied.join()) violations.push('the live server and its state file disagree on the dedupe log');
  if (!outboxDrained) violations.push('the client outbox did not empty');
  if (killsMidJob < KILLS) violations.push(`only ${killsMidJob} of ${KILLS} kills came while a job was running`);
  if (deadLetters.length > 0)
    violations.push(`dead letters: ${deadLetters.map((letter) => `${letter.message.event} ${letter.reason}`).join(', ')}`);
  const errorsByName = connection.errorsByName();
  if (errorsByName.ValidationError) violations.push(`${errorsByName.ValidationError} validation errors on errors$`);
  violations.push(...processErrors.list);

  printFigure({
    test: 'crashRestart',
    seed,
    kills: KILLS,
    killsMidJob,
    jobs: jobs.length,
    reconnects: Math.max(0, connection.connects() - 1),
    eventsChecked: jobs.reduce((sum, job) => sum + job.events.length, 0),
    clipsChecked: jobs.reduce((sum, job) => sum + job.events.filter((event) => event.type === 'clip_completed').length, 0),
    outboxSent: sent.length,
    outboxApplied: applied.length,
    bootMsMedian: Math.round([...bootMs].sort((a, b) => a - b)[Math.floor(bootMs.length / 2)] ?? 0),
    errors$: errorsByName,
    unhandled: processErrors.list.length,
    violations: violations.length,
    durationMs: Math.round(performance.now() - started),
  });
  for (const job of jobs) job.stop();
  return violations;
}

describe('createJobStreams against a server SIGKILLed and restarted 20 times', () => {
  it.each(stressSeeds([1]))('should keep every job exact and apply every outbox message once (seed %i)', async (seed) => {
    const violations = await runCrashes(seed);
    expect(
      violations,
      `seed ${seed}; replay with CHAOS_SEED=${seed} npm run test:stress -- spec/stress/crashRestart.spec.ts`,
    ).toEqual([]);
  });
});
