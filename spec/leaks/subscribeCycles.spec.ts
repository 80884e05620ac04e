import { filter, firstValueFrom, type Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobStreams } from '../../src/client/createJobStreams.js';
import { LEAK_OPTIONS } from './leakProbe.js';
import { activeResources, HEAP_BUDGET_BYTES, listenerCounts, measureCycles, printFigure, resourcesBackTo } from './leakProbe.js';
import { startLeakServer, type LeakServer } from './leakServer.js';

const CYCLES = Number(process.env.LEAK_SUBSCRIBE_CYCLES ?? 10_000);
/** Subscriptions open at once in a round. */
const ROUND = 50;

/** The four ways a round subscribes: both streams, one job shared by all or one job each. */
const MODES = [
  { stream: 'generationProgress$', jobs: 'same' },
  { stream: 'generationState$', jobs: 'distinct' },
  { stream: 'generationState$', jobs: 'same' },
  { stream: 'generationProgress$', jobs: 'distinct' },
] as const;

describe.skipIf(typeof globalThis.gc !== 'function')('generationProgress$/generationState$ subscribe and unsubscribe', () => {
  let server: LeakServer;

  beforeAll(async () => {
    server = await startLeakServer();
  });
  afterAll(() => server.close());

  it(`should leave no heap, socket, timer or listener after ${CYCLES} cycles`, async () => {
    const rounds = CYCLES / ROUND;
    // Fresh jobs all along, so state a client kept per job id would grow with the cycles.
    const [anchorId = '', ...ids] = await server.processingJobs(1 + rounds * ROUND);
    const resourcesBefore = activeResources();
    const processListenersBefore = listenerCounts(process);
    const client = createJobStreams({ url: server.url, ...LEAK_OPTIONS });
    // One job stays watched throughout, as in an app, so a cycle measures a job's sockets and
    // streams rather than the connection's opening and closing.
    const anchor = client.generationState$(anchorId).subscribe();

    // One cycle: subscribe, wait for the job's first real update (from the subscribe ack), unsubscribe.
    const firstUpdate = (stream: 'generationProgress$' | 'generationState$', id: string): Promise<unknown> => {
      const source$: Observable<unknown> =
        stream === 'generationState$'
          ? client.generationState$(id).pipe(filter((state) => state.status === 'processing'))
          : client.generationProgress$(id).pipe(filter((event) => event.type === 'progress'));
      return firstValueFrom(source$);
    };
    // A round: ROUND subscriptions at once, to one job shared by all or to one job each.
    const round = async (index: number) => {
      const { stream, jobs } = MODES[index % MODES.length]!;
      const fresh = ids.slice(index * ROUND, (index + 1) * ROUND);
      await Promise.all(fresh.map((id) => firstUpdate(stream, jobs === 'same' ? fresh[0]! : id)));
    };

    const figures = await measureCycles(rounds, round, () => server.settled(ids, 1));
    anchor.unsubscribe();
    client.dispose();
    await server.settled([anchorId, ...ids], 0);
    await resourcesBackTo(resourcesBefore);

    printFigure({
      test: 'leak-subscribe-cycles',
      cycles: CYCLES,
      ...figures,
      warmupCycles: figures.warmupCycles * ROUND,
      heapBudgetBytes: HEAP_BUDGET_BYTES,
      engineConnectionsAfterDispose: await server.engineConnections(),
      resourcesBefore,
      resourcesAfter: activeResources(),
    });
    expect(figures.heapGrowthBytes).toBeLessThan(HEAP_BUDGET_BYTES);
    expect(listenerCounts(process)).toEqual(processListenersBefore);
  });
});
