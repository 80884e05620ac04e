import { filter, firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobStreams } from '../../src/client/createJobStreams.js';
import {
  activeResources,
  HEAP_BUDGET_BYTES,
  LEAK_OPTIONS,
  listenerCounts,
  measureCycles,
  printFigure,
  resourcesBackTo,
} from './leakProbe.js';
import { startLeakServer, type LeakServer } from './leakServer.js';

const CYCLES = Number(process.env.LEAK_CLIENT_CYCLES ?? 1000);
/** Clients alive at once in a round, each on its own connection. */
const ROUND = 10;

describe.skipIf(typeof globalThis.gc !== 'function')('createJobStreams and dispose', () => {
  let server: LeakServer;

  beforeAll(async () => {
    server = await startLeakServer();
  });
  afterAll(() => server.close());

  it(`should leave no heap, socket, timer or listener after ${CYCLES} clients`, async () => {
    const ids = await server.processingJobs(CYCLES);
    const resourcesBefore = activeResources();
    const processListenersBefore = listenerCounts(process);

    // One cycle: a client, one job subscribed until its first progress (from the subscribe ack),
    // then dispose() with the subscription still open, as an app unloading would.
    const cycle = async (id: string) => {
      const client = createJobStreams({ url: server.url, ...LEAK_OPTIONS });
      const subscription = client.generationProgress$(id).subscribe();
      await firstValueFrom(client.generationProgress$(id).pipe(filter((event) => event.type === 'progress')));
      client.dispose();
      subscription.unsubscribe();
    };
    const round = (index: number) => Promise.all(ids.slice(index * ROUND, (index + 1) * ROUND).map(cycle)).then(() => undefined);

    const figures = await measureCycles(CYCLES / ROUND, round, () => server.settled(ids, 0));
    await resourcesBackTo(resourcesBefore);

    printFigure({
      test: 'leak-client-cycles',
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
