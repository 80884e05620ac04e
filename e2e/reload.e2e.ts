import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipIds, percentage, screenshot, waitForBadge, waitForJobStatus, waitForPercentageAbove } from './dashboard.js';
import { startHarness, type Harness } from './startHarness.js';

describe('dashboard reloads and tabs', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('should resume a job where it is after a reload, from the URL and then from storage, each clip once', async () => {
    const id = harness.server.jobs.startGeneration({ clips: 8, stepMs: 250 });
    const page = await harness.open(`/#jobs=generation:${id}`);
    await waitForBadge(page, 'connected', 5000);
    await page.waitForFunction(
      (job) => document.querySelectorAll(`article[data-job-id="${job}"] li[data-clip-id]`).length >= 2,
      id,
      { timeout: 10_000 },
    );
    const before = await percentage(page, id);
    const clipsBefore = await clipIds(page, id);
    await screenshot(page, 'reload-1-before');

    await page.reload();
    // The first state after the reload is the server's snapshot: it starts where the job is, not at 0.
    const resumed = await waitForPercentageAbove(page, id, 0, 5000);
    expect(resumed).toBeGreaterThanOrEqual(before);
    const clipsAfter = await clipIds(page, id);
    expect(clipsAfter.slice(0, clipsBefore.length)).toEqual(clipsBefore);
    expect(new Set(clipsAfter).size).toBe(clipsAfter.length);
    await screenshot(page, 'reload-2-after');

    // Without the hash the list comes from localStorage.
    await page.goto(new URL('/', page.url()).href);
    expect(await waitForPercentageAbove(page, id, 0, 5000)).toBeGreaterThanOrEqual(resumed);
    expect(new URL(page.url()).hash).toBe(`#jobs=generation:${id}`);

    await waitForJobStatus(page, id, 'completed', 20_000);
    expect(await clipIds(page, id)).toEqual(Array.from({ length: 8 }, (_, n) => `${id}_clip_${n + 1}`));
    expect(harness.pageErrors).toEqual([]);
  });

  it('should let a second tab watch the same job', async () => {
    const id = harness.server.jobs.startGeneration({ clips: 4, stepMs: 200 });
    const first = await harness.open(`/#jobs=generation:${id}`);
    await waitForPercentageAbove(first, id, 0, 5000);
    const second = await harness.openTab(first, `/#jobs=generation:${id}`);
    await waitForPercentageAbove(second, id, 0, 5000);

    await Promise.all([waitForJobStatus(first, id, 'completed', 15_000), waitForJobStatus(second, id, 'completed', 15_000)]);
    const expected = Array.from({ length: 4 }, (_, n) => `${id}_clip_${n + 1}`);
    expect(await clipIds(first, id)).toEqual(expected);
    expect(await clipIds(second, id)).toEqual(expected);
    await screenshot(second, 'reload-3-second-tab');
    expect(harness.pageErrors).toEqual([]);
  });

  it('should follow a job list pasted into the address bar of an open page', async () => {
    const generation = harness.server.jobs.startGeneration({ clips: 2, stepMs: 50 });
    const composition = harness.server.jobs.startComposition({ frames: 50, stepMs: 50 });
    const page = await harness.open('/');
    // Same document, new hash: no reload, only `hashchange`.
    await page.goto(`${harness.server.url}/#jobs=generation:${generation},composition:${composition}`);
    await Promise.all([
      waitForJobStatus(page, generation, 'completed', 10_000),
      waitForJobStatus(page, composition, 'completed', 10_000),
    ]);
    expect(new URL(page.url()).hash).toBe(`#jobs=generation:${generation},composition:${composition}`);
    expect(harness.pageErrors).toEqual([]);
  });
});
