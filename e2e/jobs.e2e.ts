import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipIds, jobCard, jobStatus, percentage, screenshot, waitForBadge, waitForJobStatus } from './dashboard.js';
import { startHarness, type Harness } from './startHarness.js';

describe('dashboard jobs', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('should run a generation and a composition started from the forms to completion', async () => {
    const page = await harness.open('/');
    await waitForBadge(page, 'idle', 5000); // nothing watched yet
    await screenshot(page, 'jobs-1-empty');

    const generation = page.getByRole('form', { name: 'New generation' });
    await generation.getByLabel('Clips').fill('3');
    await generation.getByLabel('Speed').selectOption({ label: 'Fast (100 ms a step)' });
    await generation.getByRole('button', { name: 'Start generation' }).click();
    const composition = page.getByRole('form', { name: 'New composition' });
    await composition.getByLabel('Frames').fill('100');
    await composition.getByLabel('Speed').selectOption({ label: 'Fast (100 ms a step)' });
    await composition.getByRole('button', { name: 'Start composition' }).click();

    const cards = page.locator('article[data-job-id]');
    await cards.nth(1).waitFor({ timeout: 5000 });
    const ids = await cards.evaluateAll((articles) => articles.map((article) => article.getAttribute('data-job-id') ?? ''));
    const generationId = ids.find((id) => id.startsWith('gen_')) ?? '';
    const compositionId = ids.find((id) => id.startsWith('comp_')) ?? '';
    expect(generationId).not.toBe('');
    expect(compositionId).not.toBe('');
    await waitForBadge(page, 'connected', 5000);
    await screenshot(page, 'jobs-2-running');

    await waitForJobStatus(page, generationId, 'completed', 15_000);
    await waitForJobStatus(page, compositionId, 'completed', 15_000);
    await screenshot(page, 'jobs-3-completed');

    expect(await percentage(page, generationId)).toBe(100);
    expect(await percentage(page, compositionId)).toBe(100);
    expect(await clipIds(page, generationId)).toEqual([1, 2, 3].map((n) => `${generationId}_clip_${n}`));
    // The thumbnails are the server's SVG placeholders, loaded through the page's CSP.
    const thumbnails = jobCard(page, generationId).locator('li[data-clip-id] img');
    await page.waitForFunction(
      (id) =>
        [...document.querySelectorAll(`article[data-job-id="${id}"] li img`)].every(
          (img) => (img as HTMLImageElement).naturalWidth > 0,
        ),
      generationId,
      { timeout: 5000 },
    );
    expect(await thumbnails.count()).toBe(3);
    for (const id of [generationId, compositionId]) {
      const video = jobCard(page, id).getByRole('link', { name: 'Watch the video' });
      expect(await video.getAttribute('href')).toBe(`/api/v1/videos/${id}.mp4`);
      expect(
        await jobCard(page, id)
          .getByRole('button', { name: /^Cancel/ })
          .count(),
      ).toBe(0);
    }
    expect(harness.server.jobs.get(generationId)?.status).toBe('completed');
    expect(harness.server.jobs.get(compositionId)?.status).toBe('completed');
    // Both jobs are in the URL, so another tab (or a reload) watches the same ones.
    expect(new URL(page.url()).hash).toBe(`#jobs=generation:${generationId},composition:${compositionId}`);
    expect(harness.pageErrors).toEqual([]);
  });

  it('should toast a job that fails and show its error', async () => {
    const page = await harness.open('/');
    const generation = page.getByRole('form', { name: 'New generation' });
    await generation.getByLabel('Clips').fill('3');
    await generation.getByLabel('Speed').selectOption({ label: 'Fast (100 ms a step)' });
    await generation.getByLabel('Fail at clip').fill('2');
    await generation.getByRole('button', { name: 'Start generation' }).click();
    const card = page.locator('article[data-job-id]').first();
    await card.waitFor({ timeout: 5000 });
    const id = (await card.getAttribute('data-job-id')) ?? '';

    await waitForJobStatus(page, id, 'failed', 15_000);
    const toast = page
      .getByRole('region', { name: 'Notifications' })
      .getByText(`Generation ${id}: Clip 2 of 3 could not be generated`);
    await toast.waitFor({ timeout: 5000 });
    expect(await jobStatus(page, id)).toBe('failed');
    expect(await clipIds(page, id)).toEqual([`${id}_clip_1`]);
    await screenshot(page, 'jobs-4-failed-toast');
    expect(harness.pageErrors).toEqual([]);
  });
});
