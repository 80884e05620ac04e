// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { Profiler } from 'react';
import { screen, waitFor } from '@testing-library/react';
import type { ProgressEvent } from '../../src/protocol/index.js';
import { JobProgress } from '../../src/react/index.js';
import { renderWithClient, setupLiveHarness } from './helpers.js';

const harness = setupLiveHarness();

const EVENTS = 2000;
const PER_BATCH = 10;
const BATCH_EVERY_MS = 10;
const FINAL = 87;

const progress = (index: number): ProgressEvent => ({
  type: 'progress',
  data: {
    step: 'generating_clip',
    clip_number: 1,
    total_clips: 1,
    // Strictly increasing (steps of ~0.04), so the client's never-backwards filter drops none.
    percentage: Math.round(((index + 1) * FINAL * 100) / EVENTS) / 100,
    message: `event ${index + 1}`,
  },
});

/** The most timestamps of `times` that fall within any window of `span` ms. */
function densest(times: readonly number[], span: number): number {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) > span) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('JobProgress', () => {
  describe('with the default 100 ms progress throttle', () => {
    it('should render a job flooded with 1,000 progress events per second at most 11 times per second, ending on the last value', async () => {
      const { server } = harness.current;
      const id = server.jobs.createGeneration();
      const commits: number[] = [];
      renderWithClient(
        harness.current.client({ throttle: 100 }),
        <Profiler id="job" onRender={() => commits.push(performance.now())}>
          <JobProgress id={id} />
        </Profiler>,
      );
      await waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));

      let sent = 0;
      const started = performance.now();
      const flood = setInterval(() => {
        for (let i = 0; i < PER_BATCH && sent < EVENTS; i++) server.jobs.emit(id, progress(sent++));
        if (sent === EVENTS) clearInterval(flood);
      }, BATCH_EVERY_MS);
      await waitFor(() => expect(sent).toBe(EVENTS), { timeout: 10_000 });
      const floodSeconds = (performance.now() - started) / 1000;
      // Wait on the last message, not on the bar: `aria-valuenow` is rounded, so it reads 87 from
      // event 1,989 (86.52 %) on, up to a throttle window before the last value is shown.
      await waitFor(() => expect(screen.getByText(`event ${EVENTS}`, { exact: false })).toBeTruthy());
      expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe(String(FINAL));

      const during = commits.filter((time) => time >= started);
      const seconds = (during.at(-1)! - started) / 1000;
      // The flood really was ~1,000 events per second, and the component really did follow it.
      expect(EVENTS / floodSeconds).toBeGreaterThan(500);
      expect(during.length).toBeGreaterThan(5);
      expect(during.length / seconds).toBeLessThanOrEqual(11);
      expect(densest(during, 1000)).toBeLessThanOrEqual(11);
    });
  });
});
