/**
 * `npm run docs:screenshot`: writes `docs/dashboard.png`, the README's picture of the dashboard,
 * in the state that shows what jobstream is for: the socket cut, polling carrying the jobs, one
 * finished with its clips and video link, one failed with its toast, two still moving.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDashboard } from '../demo/server/startDashboard.js';
import { networkAction, waitForBadge, waitForJobStatus } from './dashboard.js';
import { launchChromium } from './launchChromium.js';

const target = fileURLToPath(new URL('../docs/dashboard.png', import.meta.url));
const outDir = await mkdtemp(join(tmpdir(), 'jobstream-screenshot-'));
const server = await startDashboard({ port: 0, outDir });
const browser = await launchChromium();
try {
  const { jobs } = server;
  const done = jobs.startGeneration({ clips: 4, stepMs: 20 });
  const failed = jobs.startGeneration({ clips: 4, stepMs: 20, failAtClip: 3 });
  const running = jobs.startGeneration({ clips: 6, stepMs: 400 });
  const encoding = jobs.startComposition({ frames: 600, stepMs: 400 });
  const list = [`generation:${done}`, `generation:${failed}`, `generation:${running}`, `composition:${encoding}`].join(',');

  const context = await browser.newContext({ viewport: { width: 1280, height: 1080 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${server.url}/#jobs=${list}`);
  await waitForJobStatus(page, done, 'completed', 10_000);
  await waitForJobStatus(page, failed, 'failed', 10_000);
  await page.waitForFunction(
    (id) => document.querySelectorAll(`article[data-job-id="${id}"] li[data-clip-id]`).length >= 2,
    running,
    { timeout: 20_000 },
  );
  await networkAction(page, 'Cut socket');
  await waitForBadge(page, 'polling', 5000);
  await page.waitForFunction(
    () => [...document.querySelectorAll('.jobstream-progress__clips img')].every((img) => (img as HTMLImageElement).complete),
    undefined,
    { timeout: 5000 },
  );
  await page.locator('body').click({ position: { x: 1, y: 1 } }); // no focus ring on the button just pressed
  await mkdir(join(target, '..'), { recursive: true });
  await page.screenshot({ path: target });
  console.log(`wrote ${target}`);
} finally {
  await browser.close();
  await server.close();
  await rm(outDir, { recursive: true, force: true });
}
