/**
 * 1,000 concurrent jobs on one jobstream client: time to subscribe them all, heap per job,
 * engine.io connections used, and what `dispose()` costs, against raw socket.io-client
 * namespaces on one Manager in the same run. The server runs in a child process and each
 * measured client in another (`fanoutClient.ts`), so the heap weighed is the client's alone
 * and a client that leaks after `dispose()` cannot skew the next round. Prints one JSON object.
 *
 * - subscribeAllMs: from the first subscribe call until every job counts as subscribed.
 *   jobstream: each job's `generationState$(id)` emitted the state built from the server's
 *   subscribe ack (every job is `processing` on the server, so the first state with that
 *   status); raw: each namespace's `subscribe` ack callback ran.
 * - heapPerJobKB: heapUsed after gc() with every job subscribed minus heapUsed after gc() just
 *   before the client was created (code already warmed up on a smaller fleet), / jobs / 1024.
 * - engineConnections: the server's engine.io clientsCount with every job subscribed.
 * - disposeMs: the synchronous cost of unsubscribing everything and `dispose()` (raw: closing
 *   the sockets and the engine); disposeClean: the server saw the connection go within 10 s
 *   and the client process then exited by itself.
 *
 * Rounds alternate the order of the sides; figures are medians over rounds.
 *
 *   BENCH_JOBS=200 node --import tsx bench/fanout.ts
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FanoutCommand, FanoutReport, FanoutSide } from './fanoutProtocol.js';
import { startServerProcess, type ServerProcess } from './startServerProcess.js';
import { median, round, waitUntil } from './stats.js';

const JOBS = Number(process.env['BENCH_JOBS'] ?? 1000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const WARMUP_JOBS = Math.min(JOBS, 100);
const TARGETS = { subscribeAllMs: 2000, heapPerJobKB: 20, engineConnections: 1 } as const;
const STEP_TIMEOUT_MS = 60_000;
const DISCONNECT_TIMEOUT_MS = 10_000;
const EXIT_GRACE_MS = 5_000;

interface Measurement {
  subscribeAllMs: number;
  heapPerJobKB: number;
  engineConnections: number;
  /** Server-side sockets subscribed across the jobs once all were counted (must equal jobs). */
  serverAudience: number;
  disposeMs: number;
  /** The server saw the client's engine.io connection close within 10 s of dispose. */
  disconnected: boolean;
  /** The client process exited by itself once disposed; otherwise what kept it alive. */
  exitedByItself: boolean;
  leftoverResources: string[];
}

/** A forked measured client, awaited one report at a time. */
function startClient(): { send(command: FanoutCommand): void; next<P extends FanoutReport['phase']>(phase: P): Promise<Extract<FanoutReport, { phase: P }>>; exited: Promise<void>; child: ChildProcess } {
  const script = fileURLToPath(new URL('./fanoutClient.ts', import.meta.url));
  const child = fork(script, [], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const queue: FanoutReport[] = [];
  let waiter: ((report: FanoutReport) => void) | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (report: FanoutReport) => {
    if (waiter) waiter(report);
    else queue.push(report);
  });
  return {
    child,
    exited,
    send: (command) => child.send(command),
    next(phase) {
      const queued = queue.shift();
      const arrived = queued ? Promise.resolve(queued) : new Promise<FanoutReport>((resolve) => (waiter = resolve));
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`client: no '${phase}' report within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
      });
      const died = exited.then(() => Promise.reject(new Error(`client exited before its '${phase}' report`)));
      return Promise.race([arrived, expired, died]).then((report) => {
        waiter = undefined;
        if (report.phase === 'failed') throw new Error(`client: ${report.error}`);
        if (report.phase !== phase) throw new Error(`client: expected '${phase}', got '${report.phase}'`);
        return report as Extract<FanoutReport, { phase: typeof phase }>;
      }).finally(() => clearTimeout(timer));
    },
  };
}

async function measure(server: ServerProcess, side: FanoutSide): Promise<Measurement> {
  const engineConnections = async () => (await server.request<{ value: number }>({ op: 'engineConnections' })).value;
  const { ids: warmupIds } = await server.request<{ ids: string[] }>({ op: 'createGenerations', count: WARMUP_JOBS, processing: true });
  const { ids } = await server.request<{ ids: string[] }>({ op: 'createGenerations', count: JOBS, processing: true });
  const client = startClient();
  try {
    client.send({ op: 'subscribe', side, url: server.url, ids, warmupIds });
    const { subscribeAllMs } = await client.next('subscribed');
    const connections = await engineConnections();
    const { total: serverAudience } = await server.request<{ total: number; empty: number }>({ op: 'audience', ids });
    client.send({ op: 'weigh' });
    const { heapPerJobKB } = await client.next('weighed');
    client.send({ op: 'dispose' });
    const { disposeMs } = await client.next('disposed');
    const disconnected = await waitUntil(async () => (await engineConnections()) === 0, 'the client to disconnect', DISCONNECT_TIMEOUT_MS).then(
      () => true,
      () => false,
    );
    client.send({ op: 'exit' });
    const { activeResources } = await client.next('exiting');
    const exitedByItself = await Promise.race([client.exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), EXIT_GRACE_MS))]);
    return {
      subscribeAllMs: round(subscribeAllMs, 1),
      heapPerJobKB: round(heapPerJobKB, 2),
      engineConnections: connections,
      serverAudience,
      disposeMs: round(disposeMs, 1),
      disconnected,
      exitedByItself,
      leftoverResources: activeResources,
    };
  } finally {
    if (client.child.exitCode === null && client.child.signalCode === null) {
      client.child.kill('SIGKILL');
      await client.exited;
    }
    // A client that leaked a reconnecting socket is gone now; wait for the server to notice.
    await waitUntil(async () => (await engineConnections()) === 0, 'the server to drop the killed client', DISCONNECT_TIMEOUT_MS).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const server = await startServerProcess();
  try {
    const rounds: Record<FanoutSide, Measurement>[] = [];
    for (let index = 0; index < ROUNDS; index++) {
      const order: FanoutSide[] = index % 2 === 0 ? ['raw', 'jobstream'] : ['jobstream', 'raw'];
      const results = {} as Record<FanoutSide, Measurement>;
      for (const side of order) results[side] = await measure(server, side);
      rounds.push(results);
    }

    const of = (side: FanoutSide, field: 'subscribeAllMs' | 'heapPerJobKB' | 'disposeMs') => round(median(rounds.map((r) => r[side][field])), 2);
    const subscribeAllMs = of('jobstream', 'subscribeAllMs');
    const rawSubscribeAllMs = of('raw', 'subscribeAllMs');
    const heapPerJobKB = of('jobstream', 'heapPerJobKB');
    const rawHeapPerJobKB = of('raw', 'heapPerJobKB');
    const engineConnections = Math.max(...rounds.map((r) => r.jobstream.engineConnections));
    const complete = rounds.every((r) => r.jobstream.serverAudience === JOBS && r.raw.serverAudience === JOBS);
    const disposeClean = rounds.every((r) => r.jobstream.disconnected && r.jobstream.exitedByItself);
    const met = {
      subscribeAllMs: subscribeAllMs <= TARGETS.subscribeAllMs,
      heapPerJobKB: heapPerJobKB <= TARGETS.heapPerJobKB,
      engineConnections: engineConnections === TARGETS.engineConnections,
    };
    const output = {
      bench: 'fanout',
      jobs: JOBS,
      subscribeAllMs,
      rawSubscribeAllMs,
      subscribeRatio: round(subscribeAllMs / rawSubscribeAllMs),
      heapPerJobKB,
      rawHeapPerJobKB,
      heapRatio: round(heapPerJobKB / rawHeapPerJobKB),
      engineConnections,
      rawEngineConnections: Math.max(...rounds.map((r) => r.raw.engineConnections)),
      disposeMs: of('jobstream', 'disposeMs'),
      rawDisposeMs: of('raw', 'disposeMs'),
      disposeClean,
      targets: TARGETS,
      met,
      pass: complete && met.subscribeAllMs && met.heapPerJobKB && met.engineConnections,
      complete,
      definition: {
        subscribeAllMs: "from the first subscribe call until every job's generationState$ emitted the state built from its subscribe ack (raw: until every subscribe ack callback ran); median over rounds",
        heapPerJobKB: 'client heapUsed after gc() with every job subscribed, minus heapUsed after gc() before the client was created, / jobs / 1024; fresh warmed-up process per measurement; median over rounds',
        engineConnections: "server's engine.io clientsCount with every job subscribed (max over rounds)",
        disposeMs: 'synchronous time of unsubscribing every job and dispose() (raw: socket.disconnect() each, engine.close()); disposeClean: server saw the connection close within 10 s and the client process exited by itself',
      },
      rounds: rounds.map((r) => ({ raw: r.raw, jobstream: r.jobstream })),
    };
    process.stdout.write(`${JSON.stringify(output)}\n`);
    if (!complete) process.exitCode = 1;
  } finally {
    await server.close();
  }
}

await main();
