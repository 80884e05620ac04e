// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobStreams } from '../../src/client/createJobStreams.js';
import type { JobStreamsError } from '../../src/client/JobStreamsError.js';
import { parseEvent, parseSnapshot } from '../../src/protocol/index.js';
import { JobProgress, JobStreamsProvider } from '../../src/react/index.js';
import { JOB_NAMESPACE, type JobServer } from '../../src/server/index.js';
import { safeUrl } from '../protocol/arbitraries.js';
import { startHarness, type Harness } from '../helpers/liveClient.js';
import { printFigure } from '../helpers/printFigure.js';
import { trackProcessErrors, type ProcessErrors } from '../helpers/trackProcessErrors.js';
import { throughTheWire } from './deliveryModel.js';
import { replay } from './fastCheckReports.js';
import { disguisedUrl, urlCase, type HostileCase } from './hostileArbitraries.js';
import { guardPrototypes } from './prototypeGuard.js';
import { renderedUrls, unsafeUrls } from './unsafeUrls.js';

const RUNS = Number(process.env.HOSTILE_DOM_RUNS ?? 300);

/** What `<JobProgress>` must show once the batch's first valid `completed` has arrived. */
function expectedView(cases: readonly HostileCase[]): { clipIds: string[]; videoUrl: string; errors: number; until: number } {
  const clipIds: string[] = [];
  let errors = 0;
  for (const [index, { name, payload }] of cases.entries()) {
    const parsed = parseEvent(String(name), throughTheWire(payload));
    if (!parsed.ok) errors++;
    else if (parsed.value.type === 'clip_completed' && !clipIds.includes(parsed.value.data.clip_id))
      clipIds.push(parsed.value.data.clip_id);
    else if (parsed.value.type === 'completed')
      return { clipIds, videoUrl: parsed.value.data.video_url, errors, until: index + 1 };
  }
  throw new Error('every batch ends with a valid completed');
}

/** A generation snapshot whose URLs may be disguised script URLs. */
const hostileSnapshot = fc.record({
  status: fc.constantFrom('processing', 'completed'),
  clips: fc.array(
    fc.record({
      clip_id: fc.string({ minLength: 1, maxLength: 8 }),
      thumbnail_url: fc.oneof(disguisedUrl, safeUrl),
      duration: fc.nat(60),
    }),
    { maxLength: 4 },
  ),
  video_url: fc.oneof(disguisedUrl, safeUrl),
  thumbnail_url: fc.oneof(disguisedUrl, safeUrl),
  duration: fc.nat(600),
});

describe('<JobProgress> fed disguised script URLs by a real server', () => {
  let harness: Harness;
  let server: JobServer;
  let client: JobStreams;
  let processErrors: ProcessErrors;
  let snapshotFor: Map<string, unknown>;
  /** Jobs whose `subscribe` the server has answered (a terminal snapshot may close the socket at once). */
  const subscribed = new Set<string>();
  const totals = { runs: 0, cases: 0, hostileSnapshots: 0, renderedUrls: 0, renderedClips: 0 };

  beforeAll(async () => {
    processErrors = trackProcessErrors();
    harness = await startHarness();
    server = harness.server;
    client = harness.client();
    snapshotFor = new Map();
    // Answers `subscribe` before the server's own handler does (socket.io keeps the first ack),
    // so a job can be handed a hostile snapshot through the same path as a real one.
    // (`io.of(regex)` would make a second parent namespace that never sees a connection.)
    server.io.on('new_namespace', (namespace) =>
      namespace.on('connection', (socket) => {
        socket.prependListener('subscribe', (...args: unknown[]) => {
          const id = JOB_NAMESPACE.exec(socket.nsp.name)?.[2] ?? '';
          const ack = args.at(-1);
          subscribed.add(id);
          if (snapshotFor.has(id) && typeof ack === 'function')
            (ack as (snapshot: unknown) => void)({ id, ...(snapshotFor.get(id) as object) });
        });
      }),
    );
  });

  afterAll(async () => {
    cleanup();
    processErrors.stop();
    await harness.close();
  });

  it('should render only http(s) and root-relative URLs, and the valid clips and video', async () => {
    const guard = guardPrototypes();
    let sentinel = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(urlCase, { minLength: 4, maxLength: 12 }),
        fc.option(hostileSnapshot, { freq: 2, nil: undefined }),
        async (batch, snapshot) => {
          const id = server.jobs.createGeneration({ clips: 1 });
          const final: HostileCase = {
            name: 'completed',
            payload: { video_url: `/final-${++sentinel}.mp4`, thumbnail_url: '/t.png', duration: 1 },
          };
          const cases = [...batch, final];
          if (snapshot) snapshotFor.set(id, snapshot);
          const problems: JobStreamsError[] = [];
          const watching = client.errors$.subscribe((problem) => problem.job?.id === id && problems.push(problem));
          const view = render(
            <JobStreamsProvider client={client}>
              <JobProgress id={id} />
            </JobStreamsProvider>,
          );
          try {
            await vi.waitFor(() => expect(subscribed.has(id)).toBe(true), { timeout: 10_000, interval: 2 });
            for (const { name, payload } of cases) server.control.emitRaw(id, String(name), payload);
            const section = () => view.container.querySelector('section');
            await vi.waitFor(() => expect(section()?.getAttribute('data-status')).toBe('completed'), {
              timeout: 10_000,
              interval: 2,
            });

            expect(unsafeUrls(view.container)).toEqual([]);
            if (!snapshot) {
              const expected = expectedView(cases);
              const shown = [...view.container.querySelectorAll('[data-clip-id]')].map((item) =>
                item.getAttribute('data-clip-id'),
              );
              expect(shown).toEqual(expected.clipIds);
              expect(view.container.querySelector('a')?.getAttribute('href')).toBe(expected.videoUrl);
              expect(problems).toHaveLength(expected.errors);
            } else {
              totals.hostileSnapshots++;
              const valid = parseSnapshot('generation', throughTheWire({ id, ...snapshot })).ok;
              if (!valid) expect(problems[0]?.error.name).toBe('ValidationError');
            }
            expect(processErrors.list).toEqual([]);
            totals.runs++;
            totals.cases += cases.length + (snapshot ? 1 : 0);
            totals.renderedUrls += renderedUrls(view.container).length;
            totals.renderedClips += view.container.querySelectorAll('[data-clip-id]').length;
          } finally {
            view.unmount();
            watching.unsubscribe();
            snapshotFor.delete(id);
            subscribed.delete(id);
          }
        },
      ),
      { numRuns: RUNS, endOnFailure: true, ...replay() },
    );
    expect(guard.changes()).toEqual([]);
    printFigure({ test: 'hostile-dom', ...totals });
    // The check looked at real links and images, not at an empty page.
    expect(totals.renderedUrls).toBeGreaterThan(totals.runs);
    expect(totals.renderedClips).toBeGreaterThan(0);
  }, 120_000);

  it('should flag the URLs this spec guards against (the check itself can fail)', () => {
    const host = document.createElement('div');
    host.innerHTML =
      '<a href="javascript:alert(1)"></a><img src="//evil.example/x.png"><a href="/\\evil.example"></a><a href="data:text/html,x"></a><a href="/ok"></a><img src="https://cdn.example/t.png">';
    const tab = document.createElement('a');
    tab.setAttribute('href', 'java\tscript:alert(1)');
    host.append(tab);
    expect(unsafeUrls(host)).toHaveLength(5);
  });
});
