import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ARTIFACTS_DIR } from './artifacts.js';

/**
 * What the e2e tests read from and do on the dashboard, by role and data attribute rather than
 * by layout. Every wait is on a condition with a timeout, never a sleep.
 */

/** The job's card. */
export const jobCard = (page: Page, id: string): Locator => page.locator(`article[data-job-id="${id}"]`);

/** The connection badge's root (`data-status`: connected, connecting, polling, disconnected, error). */
export const badge = (page: Page): Locator => page.locator('.jobstream-status').first();

/** The badge's shown status. */
export async function badgeStatus(page: Page): Promise<string | null> {
  return badge(page).getAttribute('data-status');
}

/** Waits until the badge shows `status`; resolves to the ms waited. */
export async function waitForBadge(page: Page, status: string, timeout: number): Promise<number> {
  const start = Date.now();
  await page.waitForFunction(
    (wanted) => document.querySelector('.jobstream-status')?.getAttribute('data-status') === wanted,
    status,
    { timeout, polling: 'raf' },
  );
  return Date.now() - start;
}

/** The job's shown percentage (the progress bar's `aria-valuenow`). */
export async function percentage(page: Page, id: string): Promise<number> {
  return Number(await jobCard(page, id).getByRole('progressbar').getAttribute('aria-valuenow'));
}

/** The job's shown status (`data-status` of its card). */
export async function jobStatus(page: Page, id: string): Promise<string | null> {
  return jobCard(page, id).getAttribute('data-status');
}

/** Ids of the clips shown for the job, in order, repeats included. */
export async function clipIds(page: Page, id: string): Promise<string[]> {
  return jobCard(page, id)
    .locator('li[data-clip-id]')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-clip-id') ?? ''));
}

/** Waits until the job's card shows `status`. */
export async function waitForJobStatus(page: Page, id: string, status: string, timeout: number): Promise<void> {
  await page.waitForFunction(
    ([job, wanted]) => document.querySelector(`article[data-job-id="${job}"]`)?.getAttribute('data-status') === wanted,
    [id, status] as const,
    { timeout },
  );
}

/** Waits until the job's percentage passes `above`, while `while` (a badge status) holds if given. */
export async function waitForPercentageAbove(
  page: Page,
  id: string,
  above: number,
  timeout: number,
  badgeWhile?: string,
): Promise<number> {
  const handle = await page.waitForFunction(
    ([job, floor, status]) => {
      if (status && document.querySelector('.jobstream-status')?.getAttribute('data-status') !== status) return false;
      const value = Number(
        document.querySelector(`article[data-job-id="${job}"] [role="progressbar"]`)?.getAttribute('aria-valuenow'),
      );
      return value > floor ? value : false;
    },
    [id, above, badgeWhile ?? ''] as const,
    { timeout },
  );
  return (await handle.jsonValue()) as number;
}

/** Clicks a button of the network panel by its name. */
export async function networkAction(page: Page, name: string): Promise<void> {
  await page.getByRole('region', { name: 'Network' }).getByRole('button', { name, exact: true }).click();
}

/** Presses Tab (or Shift+Tab) until the focused element is the button named `name`. */
export async function tabTo(page: Page, name: string, { backwards = false, maxPresses = 60 } = {}): Promise<number> {
  for (let presses = 1; presses <= maxPresses; presses++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      return element instanceof HTMLButtonElement ? (element.getAttribute('aria-label') ?? element.textContent).trim() : '';
    });
    if (focused === name) return presses;
  }
  throw new Error(`No button named "${name}" took the focus after ${maxPresses} presses of ${backwards ? 'Shift+Tab' : 'Tab'}.`);
}

/** Saves a full-page screenshot to `e2e/artifacts/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}
