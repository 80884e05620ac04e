import { StrictMode, useEffect } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobStreams } from '../../src/client/createJobStreams.js';
import { JobStreamsProvider, useGenerationProgress } from '../../src/react/index.js';
import { installDom } from './installDom.js';
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

const CYCLES = Number(process.env.LEAK_HOOK_CYCLES ?? 1000);

/** Shows a job and says when its state came from the server (the job is `processing` there). */
function Progress({ id, onLive }: { id: string; onLive: () => void }) {
  const job = useGenerationProgress(id);
  useEffect(() => {
    if (job.status === 'processing') onLive();
  }, [job.status, onLive]);
  return <p>{`${job.status} ${job.percentage}`}</p>;
}

/** `addEventListener` calls on `window` and `document` by event type: all, and net of removes. */
function countDomListeners(): { added: Record<string, number>; net(): Record<string, number>; restore(): void } {
  const net: Record<string, number> = {};
  const added: Record<string, number> = {};
  const restorers = [window, document].map((target) => {
    const add = target.addEventListener.bind(target) as (...args: unknown[]) => void;
    const remove = target.removeEventListener.bind(target) as (...args: unknown[]) => void;
    // Own properties shadow the prototype's methods; deleting them restores those.
    Object.assign(target, {
      addEventListener(type: string, ...rest: unknown[]) {
        net[type] = (net[type] ?? 0) + 1;
        added[type] = (added[type] ?? 0) + 1;
        add(type, ...rest);
      },
      removeEventListener(type: string, ...rest: unknown[]) {
        net[type] = (net[type] ?? 0) - 1;
        remove(type, ...rest);
      },
    });
    return () => {
      Reflect.deleteProperty(target, 'addEventListener');
      Reflect.deleteProperty(target, 'removeEventListener');
    };
  });
  return {
    added,
    net: () => Object.fromEntries(Object.entries(net).filter(([, count]) => count !== 0)),
    restore: () => restorers.forEach((restore) => restore()),
  };
}

// In the node environment with a jsdom installed by hand: vitest's jsdom environment rewrites
// `new URL(…, import.meta.url)` in bench/startServerProcess.ts (see installDom.ts).
describe.skipIf(typeof globalThis.gc !== 'function')('useGenerationProgress mounted and unmounted under StrictMode', () => {
  let server: LeakServer;
  let dom: ReturnType<typeof installDom>;
  let render: typeof import('@testing-library/react').render;
  let cleanup: typeof import('@testing-library/react').cleanup;

  beforeAll(async () => {
    server = await startLeakServer();
    dom = installDom();
    ({ render, cleanup } = await import('@testing-library/react'));
  });
  afterAll(async () => {
    cleanup();
    dom.close();
    await server.close();
  });

  it(`should leave no heap, socket, timer or listener after ${CYCLES} mounts`, async () => {
    const [anchorId = '', ...ids] = await server.processingJobs(CYCLES + 1);
    // React adds its document listeners on its first root; let that happen before counting.
    render(<p />);
    cleanup();
    const resourcesBefore = activeResources();
    const processListenersBefore = listenerCounts(process);
    const domListeners = countDomListeners();
    const client = createJobStreams({ url: server.url, ...LEAK_OPTIONS });
    const anchor = client.generationState$(anchorId).subscribe();

    // One cycle: mount (StrictMode mounts effects twice), wait for the server's state, unmount.
    const cycle = async (index: number) => {
      let live!: () => void;
      const shown = new Promise<void>((resolve) => (live = resolve));
      render(
        <StrictMode>
          <JobStreamsProvider client={client}>
            <Progress id={ids[index]!} onLive={live} />
          </JobStreamsProvider>
        </StrictMode>,
      );
      await shown;
      cleanup();
    };

    try {
      const figures = await measureCycles(CYCLES, cycle, () => server.settled(ids, 1));
      anchor.unsubscribe();
      client.dispose();
      await server.settled([anchorId, ...ids], 0);
      await resourcesBackTo(resourcesBefore);

      printFigure({
        test: 'leak-hook-cycles',
        cycles: CYCLES,
        ...figures,
        heapBudgetBytes: HEAP_BUDGET_BYTES,
        engineConnectionsAfterDispose: await server.engineConnections(),
        resourcesBefore,
        resourcesAfter: activeResources(),
        domListenersAdded: domListeners.added,
        domListenersLeft: domListeners.net(),
      });
      expect(figures.heapGrowthBytes).toBeLessThan(HEAP_BUDGET_BYTES);
      // The client's `online`/`visibilitychange` wake-ups are only listened to while a retry waits,
      // so a healthy link adds none; whatever was added by anyone must be gone again.
      expect(domListeners.net()).toEqual({});
      expect(listenerCounts(process)).toEqual(processListenersBefore);
    } finally {
      domListeners.restore();
    }
  });
});
