import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CLIENT_OPTIONS } from '../demo/app/dashboardClientOptions.js';
import {
  badgeStatus,
  clipIds,
  jobCard,
  networkAction,
  percentage,
  screenshot,
  waitForBadge,
  waitForJobStatus,
  waitForPercentageAbove,
} from './dashboard.js';
import { startHarness, type Harness } from './startHarness.js';

const { grace, interval } = DASHBOARD_CLIENT_OPTIONS.polling;
// What a click, a render and a CI machine under load add to the client's own timing.
const SLACK_MS = 750;
// The longest reconnection wait: `maxDelay` with +20 % jitter, then the handshake.
const RECONNECT_MS = DASHBOARD_CLIENT_OPTIONS.reconnection.maxDelay * 1.2 + 2000;

describe('dashboard network panel', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('should fall back to polling within grace + one interval when the socket is cut, and go back to the socket, each clip once', async () => {
    const id = harness.server.jobs.startGeneration({ clips: 8, stepMs: 300 });
    const page = await harness.open(`/#jobs=generation:${id}`);
    await waitForBadge(page, 'connected', 5000);
    const before = await waitForPercentageAbove(page, id, 0, 5000);
    await screenshot(page, 'network-1-connected');

    await networkAction(page, 'Cut socket');
    const waited = await waitForBadge(page, 'polling', grace + interval + SLACK_MS);
    expect(waited).toBeLessThanOrEqual(grace + interval + SLACK_MS);
    expect(harness.server.control.accepting).toBe(false);
    // Progress keeps moving over REST while the badge says so.
    const polled = await waitForPercentageAbove(
      page,
      id,
      Math.max(before, await percentage(page, id)),
      3 * interval + SLACK_MS,
      'polling',
    );
    expect(await jobCard(page, id).locator('.job__via').textContent()).toBe('via polling');
    await screenshot(page, 'network-2-polling');

    await networkAction(page, 'Restore socket');
    await waitForBadge(page, 'connected', RECONNECT_MS);
    await waitForPercentageAbove(page, id, polled, 5000, 'connected');
    await screenshot(page, 'network-3-reconnected');
    const shown = await clipIds(page, id);
    expect(new Set(shown).size).toBe(shown.length);

    await waitForJobStatus(page, id, 'completed', 20_000);
    expect(await clipIds(page, id)).toEqual(Array.from({ length: 8 }, (_, n) => `${id}_clip_${n + 1}`));
    expect(harness.pageErrors).toEqual([]);
  });

  it('should queue a Cancel sent while the socket is cut and apply it once after the socket is restored', async () => {
    const id = harness.server.jobs.startGeneration({ clips: 10, stepMs: 300 });
    const page = await harness.open(`/#jobs=generation:${id}`);
    await waitForBadge(page, 'connected', 5000);
    await waitForPercentageAbove(page, id, 0, 5000);

    await networkAction(page, 'Cut socket');
    await waitForBadge(page, 'polling', grace + interval + SLACK_MS);
    await jobCard(page, id)
      .getByRole('button', { name: `Cancel Generation ${id}` })
      .click();
    await page.getByRole('status').filter({ hasText: '1 change waiting to sync' }).waitFor({ timeout: 2000 });
    await jobCard(page, id).getByText('Cancel waiting to sync').waitFor({ timeout: 2000 });
    const forJob = () =>
      harness.server.control.outbox.applied.filter(
        ({ event, data }) => event === 'cancel' && (data as { generation_id?: string }).generation_id === id,
      );
    expect(forJob()).toHaveLength(0);
    expect(harness.server.jobs.get(id)?.status).toBe('processing');
    await screenshot(page, 'network-4-cancel-queued');

    await networkAction(page, 'Restore socket');
    await waitForJobStatus(page, id, 'cancelled', RECONNECT_MS + 2000);
    await page.getByRole('status').filter({ hasText: 'All changes synced' }).waitFor({ timeout: 2000 });
    expect(forJob()).toHaveLength(1);
    expect(harness.server.jobs.get(id)?.status).toBe('cancelled');
    expect(await badgeStatus(page)).toBe('connected');
    expect(await jobCard(page, id).locator('.jobstream-progress__status').textContent()).toMatch(/^Cancelled/);
    expect(
      await jobCard(page, id)
        .getByRole('button', { name: /^Cancel/ })
        .count(),
    ).toBe(0);
    await screenshot(page, 'network-5-cancel-applied');
    expect(harness.pageErrors).toEqual([]);
  });

  it('should stall a job and resume it from the panel', async () => {
    const id = harness.server.jobs.startGeneration({ clips: 4, stepMs: 200 });
    const page = await harness.open(`/#jobs=generation:${id}`);
    const panel = page.getByRole('region', { name: 'Network' });
    await waitForPercentageAbove(page, id, 0, 5000);
    await panel.getByLabel('Job', { exact: true }).selectOption(id);

    await networkAction(page, 'Stall job');
    await panel.getByText(`${id} stalled`).waitFor({ timeout: 2000 });
    expect(harness.server.jobs.info(id)?.state).toBe('stalled');
    const frozen = harness.server.jobs.get(id);
    // The panel refreshes its status every 1.5 s; once it lists the job as stalled, nothing has moved.
    await panel.getByRole('option', { name: `${id} (stalled)` }).waitFor({ state: 'attached', timeout: 5000 });
    expect(harness.server.jobs.get(id)).toEqual(frozen);
    const stalledAt = await percentage(page, id);
    expect(stalledAt).toBe(Math.round(frozen?.progress?.percentage ?? 0));
    await screenshot(page, 'network-6-stalled');

    await networkAction(page, 'Resume job');
    await waitForPercentageAbove(page, id, stalledAt, 5000);
    await waitForJobStatus(page, id, 'completed', 15_000);
    expect(harness.pageErrors).toEqual([]);
  });

  it('should find the link dead when heartbeat acks stop, and connect again when they resume', async () => {
    const { interval: ping, timeout } = DASHBOARD_CLIENT_OPTIONS.heartbeat;
    const id = harness.server.jobs.startGeneration({ clips: 12, stepMs: 300 });
    const page = await harness.open(`/#jobs=generation:${id}`);
    await waitForBadge(page, 'connected', 5000);
    await waitForPercentageAbove(page, id, 0, 5000);

    await networkAction(page, 'Stop heartbeat acks');
    // One ping goes unanswered for `timeout`: the client drops the link and reconnects.
    await page.waitForFunction(
      () => document.querySelector('.jobstream-status')?.getAttribute('data-status') !== 'connected',
      undefined,
      {
        timeout: ping + timeout + SLACK_MS,
      },
    );
    await screenshot(page, 'network-7-heartbeat-lost');
    await networkAction(page, 'Resume heartbeat acks');
    await waitForBadge(page, 'connected', RECONNECT_MS);
    const after = await percentage(page, id);
    await waitForPercentageAbove(page, id, after, 5000, 'connected');
    const shown = await clipIds(page, id);
    expect(new Set(shown).size).toBe(shown.length);
    expect(harness.pageErrors).toEqual([]);
  });
});
