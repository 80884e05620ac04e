/**
 * Issue 16's cluster proofs: jobs followed through HAProxy while nodes are SIGKILLed and
 * restarted (and Redis once), checked with `jobViolations` against the cluster's final snapshots.
 * They rest on job records in Redis (any node answers `subscribe` and REST alike), one node
 * playing each job under a lease that another takes over when it dies, and outbox dedupe ids in
 * Redis (`NodeStats.outboxApplied` lists the whole cluster's, from Redis).
 */
import { describe, expect, it } from 'vitest';
import { filter, firstValueFrom, timeout, type Subscription } from 'rxjs';
import { createJobStreams } from '../../src/client/createJobStreams.js';
import { outbox } from '../../src/outbox.js';
import { isTerminalStatus, type JobKind, type JobSnapshot } from '../../src/protocol/index.js';
import type { NodeStats } from '../../demo/cluster/nodeProtocol.js';
import { startCluster, type Cluster } from '../../demo/cluster/startCluster.js';
import { followJob, type FollowedJob } from '../helpers/followJob.js';
import { jobViolations } from '../helpers/jobViolations.js';
import { FAST } from '../helpers/liveClient.js';
import { mulberry32 } from '../helpers/mulberry32.js';
import { printFigure } from '../helpers/printFigure.js';
import { stressSeeds } from '../helpers/stressSeeds.js';
import { trackProcessErrors } from '../helpers/trackProcessErrors.js';
import { watchConnection } from '../helpers/watchConnection.js';

const GENERATIONS = 50;
const COMPOSITIONS = 10;
const MIN_KILLS = 10;
const KILL_EVERY_MS = { min: 1000, max: 3000 };
/** Jobs are started within the first 10 s, so kills keep landing mid-job. */
const START_WITHIN_MS = 10_000;
const NOTES = 30;
const DEADLINE_MS = 90_000;

interface PlannedJob {
  kind: JobKind;
  body: Record<string, number | string>;
  startAfterMs: number;
  cancelAfterMs?: number;
}

/** The run's jobs, drawn from the seed as chaos.spec.ts draws them, a bit longer. */
function planJobs(seed: number, random: () => number): PlannedJob[] {
  const timing = () => {
    const startAfterMs = Math.floor(random() * START_WITHIN_MS);
    const cancelAfterMs = random() < 0.1 ? startAfterMs + Math.floor(random() * 4000) : undefined;
    return { startAfterMs, ...(cancelAfterMs !== undefined && { cancelAfterMs }) };
  };
  const generations = Array.from({ length: GENERATIONS }, (_, index): PlannedJob => {
    const clips = 1 + Math.floor(random() * 5);
    const body = {
      id: `gen_n${seed}_${index}`,
      clips,
      progressPerClip: 2 + Math.floor(random() * 4),
      stepMs: 150 + Math.floor(random() * 350),
      ...(random() < 0.1 && { failAtClip: 1 + Math.floor(random() * clips) }),
    };
    return { kind: 'generation', body, ...timing() };
  });
  const compositions = Array.from({ length: COMPOSITIONS }, (_, index): PlannedJob => {
    const frames = 40 + Math.floor(random() * 81);
    const body = {
      id: `comp_n${seed}_${index}`,
      frames,
      framesPerStep: 10,
      stepMs: 150 + Math.floor(random() * 350),
      ...(random() < 0.1 && { failAtFrame: 1 + Math.floor(random() * frames) }),
    };
    return { kind: 'composition', body, ...timing() };
  });
  return [...generations, ...compositions];
}

/**
 * A request through HAProxy, sent again (5 tries) when it failed in transit: a node killed
 * while it handled the request makes HAProxy answer 502, and a kept-alive connection can be
 * closed under a request. An app would retry too. Returns the status and the body's text.
 */
async function send(cluster: Cluster, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${cluster.url}${path}`, {
        ...(body !== undefined && {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      });
      const answer = { status: response.status, text: await response.text() };
      if (answer.status < 500 || attempt === 5) return answer;
    } catch (error) {
      if (attempt === 5) throw error;
    }
    await sleep(100 * attempt);
  }
}

/** POSTs `body`; a job the killed node did create before dying is "already exists" on the retry (records in Redis). */
async function post(cluster: Cluster, path: string, body: unknown = {}): Promise<number> {
  const { status, text } = await send(cluster, path, body);
  return status === 400 && text.includes('already exists') ? 201 : status;
}

/** The job as the cluster has it, asked through HAProxy (so of any node). */
async function snapshotOf(cluster: Cluster, kind: JobKind, id: string): Promise<JobSnapshot | undefined> {
  const { status, text } = await send(cluster, `/api/v1/${plural(kind)}/${id}`);
  return status === 200 ? (JSON.parse(text) as JobSnapshot) : undefined;
}

const plural = (kind: JobKind) => (kind === 'generation' ? 'generations' : 'compositions');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface NodeLossRun {
  transports: ('websocket' | 'polling')[];
  /** Restart redis-server (SIGKILL, data kept by its append-only file) this long into the run. */
  redisRestartAtMs?: number;
}

async function runNodeLoss(seed: number, { transports, redisRestartAtMs }: NodeLossRun): Promise<string[]> {
  const random = mulberry32(seed);
  const plan = planJobs(seed, random);
  const cluster = await startCluster({ nodes: 3, appendOnly: true });
  const processErrors = trackProcessErrors();
  // withCredentials: Node's engine.io client keeps HAProxy's sticky cookie only then.
  const client = createJobStreams({
    ...FAST,
    url: cluster.url,
    transports,
    throttle: 100,
    withCredentials: true,
    outbox: outbox(),
  });
  const connection = watchConnection(client);
  const followed: FollowedJob[] = [];
  const restarting = new Map<number, Promise<unknown>>();
  const run = { kills: 0, killsMidJob: 0, jobsTakenOver: 0, redisRestarts: 0, running: true, longestSilenceMs: 0 };
  // How long any job's stream stayed silent between two events: a taken-over job waits for its lease to expire.
  const timings: Subscription[] = [];
  const watchSilence = (id: string, kind: JobKind) => {
    let last = performance.now();
    const events$ = kind === 'generation' ? client.generationProgress$(id) : client.compositionProgress$(id);
    timings.push(
      events$.subscribe(() => {
        const now = performance.now();
        run.longestSilenceMs = Math.max(run.longestSilenceMs, now - last);
        last = now;
      }),
    );
  };
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  try {
    const starts = plan.map(async ({ kind, body, startAfterMs, cancelAfterMs }) => {
      await sleep(startAfterMs);
      const status = await post(cluster, `/api/v1/${plural(kind)}`, body);
      if (status !== 201) throw new Error(`POST ${kind} ${body.id} answered ${status}`);
      followed.push(followJob(client, String(body.id), kind));
      watchSilence(String(body.id), kind);
      if (cancelAfterMs !== undefined) {
        await sleep(cancelAfterMs - startAfterMs);
        await post(cluster, `/api/v1/${plural(kind)}/${body.id}/cancel`);
      }
    });
    const sent: string[] = [];
    const notes = Array.from({ length: NOTES }, async (_, note) => {
      await sleep(random() * 8000);
      sent.push(client.send('note', { note }));
    });
    const killing = (async () => {
      while (run.running && (run.kills < MIN_KILLS || followed.length < plan.length || followed.some((job) => !job.finished))) {
        await sleep(KILL_EVERY_MS.min + random() * (KILL_EVERY_MS.max - KILL_EVERY_MS.min));
        if (redisRestartAtMs !== undefined && run.redisRestarts === 0 && elapsed() >= redisRestartAtMs) {
          await cluster.restartRedis('SIGKILL');
          run.redisRestarts++;
        }
        // One node always stays up: a kill lands on a node that runs, while another runs too.
        const up = cluster.nodes.flatMap((node, index) => (node.process.running && !restarting.has(index) ? [index] : []));
        if (up.length < 2) continue;
        const index = up[Math.floor(random() * up.length)] ?? 0;
        if (followed.some((job) => !job.finished)) run.killsMidJob++;
        // The jobs it plays now: another node must take each over.
        const stats = await cluster.nodes[index]?.request<NodeStats>({ op: 'stats' }).catch(() => undefined);
        await cluster.killNode(index);
        run.kills++;
        run.jobsTakenOver += stats?.runningHere.length ?? 0;
        restarting.set(
          index,
          cluster.restartNode(index).finally(() => restarting.delete(index)),
        );
      }
    })();

    await Promise.all([...starts, ...notes]);
    const finished = await Promise.race([
      Promise.all(followed.map((job) => job.done)).then(() => true),
      sleep(DEADLINE_MS).then(() => false),
    ]);
    // Kills go on until there were enough, even once every job is over.
    await Promise.race([killing, sleep(KILL_EVERY_MS.max * MIN_KILLS)]);
    run.running = false;
    await killing;
    await Promise.all(restarting.values());
    const drained = await firstValueFrom(
      client.outbox$.pipe(
        filter((messages) => messages.length === 0),
        timeout({ first: 30_000 }),
      ),
    ).then(
      () => true,
      () => false,
    );

    const violations: string[] = [];
    if (!finished) violations.push(`${followed.filter((job) => !job.finished).length} jobs unfinished after ${DEADLINE_MS} ms`);
    for (const job of followed) {
      const kind = plan.find((planned) => planned.body.id === job.id)?.kind ?? 'generation';
      const snapshot = await snapshotOf(cluster, kind, job.id);
      violations.push(...jobViolations(job, snapshot).map((problem) => `${job.id}: ${problem}`));
      if (snapshot && !isTerminalStatus(snapshot.status)) violations.push(`${job.id}: the cluster still runs it`);
    }
    const stats = await cluster.nodes[0]!.request<NodeStats>({ op: 'stats' });
    const applied = stats.outboxApplied;
    const appliedTwice = applied.filter((id, index) => applied.indexOf(id) !== index);
    const neverApplied = sent.filter((id) => !applied.includes(id));
    if (appliedTwice.length > 0) violations.push(`applied twice: ${appliedTwice.join(', ')}`);
    if (neverApplied.length > 0) violations.push(`never applied: ${neverApplied.join(', ')}`);
    if (!drained) violations.push('the client outbox did not empty');
    if (run.kills < MIN_KILLS) violations.push(`only ${run.kills} kills`);
    if (redisRestartAtMs !== undefined && run.redisRestarts !== 1) violations.push('Redis was not restarted');
    const errorsByName = connection.errorsByName();
    if (errorsByName.ValidationError) violations.push(`${errorsByName.ValidationError} validation errors on errors$`);
    violations.push(...processErrors.list);

    printFigure({
      test: 'nodeLoss',
      seed,
      transports: transports.join('+'),
      generations: GENERATIONS,
      compositions: COMPOSITIONS,
      kills: run.kills,
      killsMidJob: run.killsMidJob,
      jobsTakenOver: run.jobsTakenOver,
      longestSilenceMs: Math.round(run.longestSilenceMs),
      redisRestarts: run.redisRestarts,
      reconnects: Math.max(0, connection.connects() - 1),
      eventsChecked: followed.reduce((sum, job) => sum + job.events.length, 0),
      outboxSent: sent.length,
      outboxApplied: applied.length,
      errors$: errorsByName,
      violations: violations.length,
      durationMs: Math.round(elapsed()),
    });
    for (const job of followed) job.stop();
    for (const subscription of timings) subscription.unsubscribe();
    return violations;
  } finally {
    run.running = false;
    processErrors.stop();
    connection.stop();
    client.dispose();
    await Promise.allSettled(restarting.values());
    await cluster.stop();
  }
}

const replay = (seed: number) =>
  `seed ${seed}; replay with CHAOS_SEED=${seed} npm run test:cluster -- spec/cluster/nodeLoss.spec.ts`;

describe('createJobStreams on three nodes behind HAProxy, one SIGKILLed every 1–3 s (50 generations, 10 compositions)', () => {
  it.each(stressSeeds([1]))(
    'should keep every job exact and apply every outbox message once over websockets (seed %i)',
    async (seed) => {
      expect(await runNodeLoss(seed, { transports: ['websocket'] }), replay(seed)).toEqual([]);
    },
  );

  it.each(stressSeeds([2]))('should keep every job exact over long-polling through the load balancer (seed %i)', async (seed) => {
    expect(await runNodeLoss(seed, { transports: ['polling'] }), replay(seed)).toEqual([]);
  });

  it.each(stressSeeds([3]))('should keep every job exact when Redis is restarted mid-run (seed %i)', async (seed) => {
    expect(await runNodeLoss(seed, { transports: ['websocket'], redisRestartAtMs: 5000 }), replay(seed)).toEqual([]);
  });
});
