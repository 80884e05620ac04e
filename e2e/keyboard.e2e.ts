import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeStatus, screenshot, tabTo, waitForBadge, waitForPercentageAbove } from './dashboard.js';
import { startHarness, type Harness } from './startHarness.js';

describe('dashboard keyboard use', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('should cut, restore and reconnect the socket with the keyboard alone', async () => {
    const id = harness.server.jobs.startGeneration({ clips: 10, stepMs: 300 });
    // A minute between retries, and `error` from the first failure on: only the button reconnects.
    const page = await harness.open(`/?reconnectDelay=60000&reconnectAttempts=0#jobs=generation:${id}`);
    await waitForBadge(page, 'connected', 5000);
    await waitForPercentageAbove(page, id, 0, 5000);

    await tabTo(page, 'Cut socket');
    await page.keyboard.press('Enter');
    await waitForBadge(page, 'polling', 5000);
    await page.getByRole('button', { name: 'Reconnect' }).waitFor({ timeout: 2000 });
    await tabTo(page, 'Restore socket');
    await page.keyboard.press('Enter');
    await page.getByText('Socket restored').waitFor({ timeout: 2000 });
    expect(harness.server.control.accepting).toBe(true);
    // The socket server is back, yet the client waits out its minute: still polling.
    expect(await badgeStatus(page)).toBe('polling');
    expect(harness.server.control.engineConnections()).toBe(0);
    await screenshot(page, 'keyboard-1-reconnect-offered');

    await tabTo(page, 'Reconnect', { backwards: true });
    await screenshot(page, 'keyboard-2-reconnect-focused');
    await page.keyboard.press('Enter');
    await waitForBadge(page, 'connected', 5000);
    await screenshot(page, 'keyboard-3-reconnected');
    expect(harness.pageErrors).toEqual([]);
  });
});
