import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startCluster, type Cluster } from '../../demo/cluster/startCluster.js';
import { buildDashboard } from '../../demo/server/buildDashboard.js';
import { clipIds, jobCard, waitForJobStatus } from '../../e2e/dashboard.js';
import { launchChromium } from '../../e2e/launchChromium.js';
import { DEMO_CONTROL_HEADER, NODE_HEADER } from '../../src/server/index.js';

let directory: string;
let cluster: Cluster;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'jobstream-cluster-dashboard-'));
  await buildDashboard({ outDir: directory, logLevel: 'silent' });
  cluster = await startCluster({ nodes: 3, dashboard: directory, demo: true });
});
afterAll(async () => {
  await cluster.stop();
  rmSync(directory, { recursive: true, force: true });
});

interface Answer {
  status: number;
  node: string | null;
  body: { node?: string | null; error?: { message: string } };
  cookie: string | undefined;
}

/** A demo control through HAProxy, as the page sends it (the token, the page's cookie if any). */
async function control(action: string, { cookie, headers = {} }: { cookie?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${cluster.url}/api/demo/${action}`, {
    method: action === 'status' ? 'GET' : 'POST',
    headers: { [DEMO_CONTROL_HEADER]: cluster.demoToken ?? '', ...(cookie && { cookie }), ...headers },
  });
  const answer: Answer = {
    status: response.status,
    node: response.headers.get(NODE_HEADER),
    body: (await response.json()) as Answer['body'],
    cookie: response.headers.get('set-cookie')?.split(';')[0],
  };
  return answer;
}

const indexOf = (node: string | null) => cluster.nodes.findIndex(({ id }) => id === node);

describe('npm run start:cluster: the dashboard behind HAProxy', () => {
  it('should give every node the token of the page, and refuse a control marked as forwarded', async () => {
    const page = await (await fetch(`${cluster.url}/`)).text();
    expect(cluster.demoToken).toMatch(/^[0-9a-f]{32}$/);
    expect(page).toContain(`<meta name="jobstream-demo-token" content="${cluster.demoToken}">`);
    // No cookie: HAProxy spreads the requests round robin, and every node takes the same token.
    const answers = await Promise.all(Array.from({ length: 6 }, () => control('status')));
    expect(answers.map(({ status }) => status)).toEqual(answers.map(() => 200));
    expect(new Set(answers.map(({ body }) => body.node))).toEqual(new Set(['node-1', 'node-2', 'node-3']));
    expect(answers.every(({ node, body }) => node === body.node)).toBe(true);

    expect((await control('socket/stop', { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(403);
    expect(cluster.haproxy.config).toContain('option forwardfor except 127.0.0.0/8');
  });

  it('should kill the node that serves the page when asked, and route the page to another', async () => {
    const { cookie, body } = await control('status');
    const killed = indexOf(body.node ?? null);
    const process = cluster.nodes[killed]!.process;
    const answer = await control('node/kill', { cookie });
    expect(answer).toMatchObject({ status: 202, body: { node: body.node, killed: true } });
    expect(await process.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const after = await control('status', { cookie });
    expect([after.status, after.node === body.node]).toEqual([200, false]);
    await cluster.restartNode(killed);
  });

  describe('in Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(() => browser.close());

    it('should show the node serving the page, kill it from the network panel, and go on with the job on another', async () => {
      const created = await fetch(`${cluster.url}/api/v1/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clips: 6, stepMs: 250 }),
      });
      const { id } = (await created.json()) as { id: string };
      const context = await browser.newContext();
      const errors: Error[] = [];
      try {
        const page = await context.newPage();
        page.on('pageerror', (error) => errors.push(error));
        await page.goto(`${cluster.url}/#jobs=generation:${id}`);
        const servedBy = page.getByTestId('served-by');
        await servedBy.waitFor({ timeout: 10_000 });
        const first = await servedBy.textContent();
        expect(cluster.nodes.map((node) => node.id)).toContain(first);

        await page.getByRole('button', { name: 'Kill node' }).click();
        await page
          .getByRole('status')
          .filter({ hasText: `${first} killed` })
          .waitFor({ timeout: 5000 });
        await page.waitForFunction((node) => document.querySelector('[data-testid="served-by"]')?.textContent !== node, first, {
          timeout: 10_000,
        });
        await waitForJobStatus(page, id, 'completed', 30_000);
        expect(await clipIds(page, id)).toEqual(Array.from({ length: 6 }, (_, n) => `${id}_clip_${n + 1}`));
        expect(await jobCard(page, id).getAttribute('data-status')).toBe('completed');
        expect(errors).toEqual([]);
      } finally {
        await context.close();
        const index = cluster.nodes.findIndex((node) => !node.process.running);
        if (index >= 0) await cluster.restartNode(index);
      }
    });
  });
});
