import { describe, expect, it } from 'vitest';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { createJobStreams } from '../../src/client/createJobStreams.js';
import { outbox } from '../../src/outbox.js';
import { isTerminalStatus } from '../../src/protocol/index.js';
import { createJobServer, type CompositionOptions, type GenerationOptions, type JobServer } from '../../src/server/index.js';
import { createFaultProxy } from '../helpers/createFaultProxy.js';
import { followJob, type FollowedJob } from '../helpers/followJob.js';
import { jobViolations } from '../helpers/jobViolations.js';
import { FAST } from '../helpers/liveClient.js';
import { mulberry32 } from '../helpers/mulberry32.js';
import { printFigure } from '../helpers/printFigure.js';
import { stressSeeds } from '../helpers/stressSeeds.js';
import { trackProcessErrors } from '../helpers/trackProcessErrors.js';
import { watchConnection } from '../helpers/watchConnection.js';

const JOBS = 50;
/** Compositions followed alongside the generations, so the proof covers both job kinds. */
const COMPOSITIONS = 10;
/** A run whose jobs are not all over by then has a frozen stream: the longest job needs ~12 s. */
const DEADLINE_MS = 60_000;
const CUT_EVERY_MS = { min: 300, max: 2000 };
/** Outbox messages sent during a run, at random times within its first 8 s. */
const NOTES = 30;

/** One job of a run: how it plays, when it starts, and when the server cancels it, if ever. */
interface PlannedJob<Options = GenerationOptions> {
  options: Options & { id: string };
  startAfterMs: number;
  cancelAfterMs?: number;
}

/**
 * Draws the run's jobs from the seed: 1–5 clips of 2–5 progress events, 80–300 ms a step,
 * started within 2 s; one in ten fails at a clip, one in ten is cancelled by the server, so
 * every kind of terminal event meets the cuts.
 */
function planJobs(seed: number, random: () => number): PlannedJob[] {
  return Array.from({ length: JOBS }, (_, index) => {
    const clips = 1 + Math.floor(random() * 5);
    const options = {
      id: `gen_s${seed}_${index}`,
      clips,
      progressPerClip: 2 + Math.floor(random() * 4),
      stepMs: 80 + Math.floor(random() * 220),
      ...(random() < 0.1 && { failAtClip: 1 + Math.floor(random() * clips) }),
    };
    const startAfterMs = Math.floor(random() * 2000);
    const cancelAfterMs = random() < 0.1 ? startAfterMs + Math.floor(random() * 4000) : undefined;
    return { options, startAfterMs, ...(cancelAfterMs !== undefined && { cancelAfterMs }) };
  });
}

/**
 * Draws the run's compositions from the seed, after the generations so theirs stay the same:
 * 40–120 frames, 10 a step, 80–300 ms a step, started within 2 s; one in ten fails at a frame,
 * one in ten is cancelled by the server (a composition's cancel is an `error`, not a status).
 */
function planCompositions(seed: number, random: () => number): PlannedJob<CompositionOptions>[] {
  return Array.from({ length: COMPOSITIONS }, (_, index) => {
    const frames = 40 + Math.floor(random() * 81);
    const options = {
      id: `comp_s${seed}_${index}`,
      frames,
      framesPerStep: 10,
      stepMs: 80 + Math.floor(random() * 220),
      ...(random() < 0.1 && { failAtFrame: 1 + Math.floor(random() * frames) }),
    };
    const startAfterMs = Math.floor(random() * 2000);
    const cancelAfterMs = random() < 0.1 ? startAfterMs + Math.floor(random() * 4000) : undefined;
    return { options, startAfterMs, ...(cancelAfterMs !== undefined && { cancelAfterMs }) };
  });
}

/** Timers of the fault schedule; the only sleeps of the suite, since they are the faults. */
function schedule(): { at(ms: number, action: () => void): void; sleep(ms: number): Promise<void>; clear(): void } {
  const timers = new Set<NodeJS.Timeout>();
  const wakers = new Set<() => void>();
  return {
    at(ms, action) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        action();
      }, ms);
      timers.add(timer);
    },
    sleep(ms) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          wakers.delete(resolve);
          resolve();
        }, ms);
        timers.add(timer);
        wakers.add(resolve);
      });
    },
    clear() {
      timers.forEach(clearTimeout);
      timers.clear();
      wakers.forEach((wake) => wake());
      wakers.clear();
    },
  };
}

/** What the run broke: each job against the server's snapshot, and jobs the server never ended. */
function runViolations(server: JobServer, jobs: readonly FollowedJob[]): string[] {
  const violations = jobs.flatMap((job) => jobViolations(job, server.jobs.get(job.id)).map((problem) => `${job.id}: ${problem}`));
  const running = server.jobs.list().filter((snapshot) => !isTerminalStatus(snapshot.status));
  if (running.length > 0) violations.push(`the server still runs ${running.map((job) => job.id).join(', ')}`);
  return violations;
}

async function runChaos(seed: number, transports: ('websocket' | 'polling')[]): Promise<string[]> {
  const random = mulberry32(seed);
  const plan = planJobs(seed, random);
  const compositionPlan = planCompositions(seed, random);
  const server = await createJobServer();
  const proxy = await createFaultProxy(server.port, seed);
  const processErrors = trackProcessErrors();
  // The default progress throttle, so throttled progress meets resyncs and cuts too.
  const client = createJobStreams({ ...FAST, url: proxy.url, transports, throttle: 100, outbox: outbox() });
  const connection = watchConnection(client);
  const faults = schedule();
  const started = performance.now();
  // Read by the loops below after awaits, so a plain `let` would be narrowed to its first value.
  const run = { cuts: 0, running: true, timedOut: false };
  try {
    for (const { options } of plan) server.jobs.createGeneration(options);
    for (const { options } of compositionPlan) server.jobs.createComposition(options);
    const jobs = plan.map(({ options }) => followJob(client, options.id));
    const compositions = compositionPlan.map(({ options }) => followJob(client, options.id, 'composition'));
    const followed = [...jobs, ...compositions];
    for (const { options, startAfterMs, cancelAfterMs } of [...plan, ...compositionPlan]) {
      faults.at(startAfterMs, () => server.jobs.start(options.id));
      if (cancelAfterMs !== undefined) faults.at(cancelAfterMs, () => server.jobs.cancel(options.id));
    }
    // Outbox messages at random points, so some acks are lost to a cut and the resend is deduped.
    const sent: string[] = [];
    for (let note = 0; note < NOTES; note++) faults.at(random() * 8000, () => sent.push(client.send('note', { note })));
    const cutting = (async () => {
      for (;;) {
        await faults.sleep(CUT_EVERY_MS.min + random() * (CUT_EVERY_MS.max - CUT_EVERY_MS.min));
        if (!run.running) return;
        run.cuts += proxy.cut() > 0 ? 1 : 0;
      }
    })();
    await Promise.race([
      Promise.all(followed.map((job) => job.done)),
      faults.sleep(DEADLINE_MS).then(() => (run.timedOut = run.running)),
    ]);
    const drained = await firstValueFrom(
      client.outbox$.pipe(
        filter((messages) => messages.length === 0 && sent.length === NOTES),
        timeout({ first: 20_000 }),
      ),
    ).then(
      () => true,
      () => false,
    );
    run.running = false;
    faults.clear();
    await cutting;

    const applied = server.control.outbox.applied.map((envelope) => envelope.id);
    const errorsByName = connection.errorsByName();
    const violations = [
      ...(run.timedOut ? [`${followed.filter((job) => !job.finished).length} jobs unfinished after ${DEADLINE_MS} ms`] : []),
      ...runViolations(server, followed),
      ...(errorsByName.ValidationError ? [`${errorsByName.ValidationError} validation errors on errors$`] : []),
      ...processErrors.list,
      ...(drained ? [] : [`the outbox did not drain: ${sent.length} sent`]),
      ...(applied.join() === sent.join()
        ? []
        : [`outbox: sent [${sent.join(', ')}] but the server applied [${applied.join(', ')}]`]),
    ];

    const terminalsOf = (group: readonly FollowedJob[]) =>
      group.reduce<Record<string, number>>((counts, { id }) => {
        const status = server.jobs.get(id)?.status ?? 'unknown';
        return { ...counts, [status]: (counts[status] ?? 0) + 1 };
      }, {});
    printFigure({
      test: 'chaos',
      seed,
      transports: transports.join('+'),
      jobs: JOBS,
      compositions: COMPOSITIONS,
      cuts: run.cuts,
      connectionsReset: proxy.stats().cutConnections,
      reconnects: Math.max(0, connection.connects() - 1),
      eventsChecked: jobs.reduce((sum, job) => sum + job.events.length, 0),
      clipsChecked: jobs.reduce((sum, job) => sum + job.events.filter((event) => event.type === 'clip_completed').length, 0),
      compositionEventsChecked: compositions.reduce((sum, job) => sum + job.events.length, 0),
      terminals: terminalsOf(jobs),
      compositionTerminals: terminalsOf(compositions),
      outboxSent: sent.length,
      outboxResends: server.control.outbox.received.length - applied.length,
      polledUpdates: followed.reduce((sum, job) => sum + job.states.filter((state) => state.transport === 'polling').length, 0),
      errors$: errorsByName,
      unhandled: processErrors.list.length,
      violations: violations.length,
      durationMs: Math.round(performance.now() - started),
    });
    for (const job of followed) job.stop();
    return violations;
  } finally {
    run.running = false;
    faults.clear();
    processErrors.stop();
    connection.stop();
    client.dispose();
    await proxy.close();
    await server.close();
  }
}

const replay = (seed: number) => `seed ${seed}; replay with CHAOS_SEED=${seed} npm run test:stress -- spec/stress/chaos.spec.ts`;

describe('createJobStreams under chaos (50 generations and 10 compositions, connections cut every 0.3–2 s)', () => {
  describe('with the websocket transport', () => {
    it.each(stressSeeds([1, 2, 3]))('should keep every job exact through random cuts (seed %i)', async (seed) => {
      const violations = await runChaos(seed, ['websocket']);
      expect(violations, replay(seed)).toEqual([]);
    });
  });

  describe('with the long-polling transport', () => {
    it.each(stressSeeds([4]))('should keep every job exact through random cuts (seed %i)', async (seed) => {
      const violations = await runChaos(seed, ['polling']);
      expect(violations, replay(seed)).toEqual([]);
    });
  });
});
