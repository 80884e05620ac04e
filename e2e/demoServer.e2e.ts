import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoControlHandler, DEMO_CONTROL_HEADER } from '../src/server/index.js';
import { startHarness, type Harness } from './startHarness.js';

/** A raw HTTP request, so paths like `/../x` reach the server as written. */
function fetchRaw(
  url: string,
  path: string,
  { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {},
) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('npm start server', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('should serve the built files with their content types, the page for app routes, and nothing outside', async () => {
    const { url } = harness.server;
    const page = await fetchRaw(url, '/');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1] ?? '';
    const style = /href="(\/assets\/[^"]+\.css)"/.exec(page.body)?.[1] ?? '';
    expect(await fetchRaw(url, script)).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(await fetchRaw(url, style)).toMatchObject({ status: 200, type: 'text/css; charset=utf-8' });
    expect(await fetchRaw(url, '/jobs/some/route')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect((await fetchRaw(url, '/assets/missing.js')).status).toBe(404);
    for (const path of [
      '/../package.json',
      '/..%2f..%2fpackage.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
    ]) {
      const answer = await fetchRaw(url, path);
      expect(answer.body, path).not.toContain('"devDependencies"');
      expect([403, 404], path).toContain(answer.status);
    }
    expect((await fetchRaw(url, '/%E0%A4%A')).status).toBe(400);
    // The REST API and socket.io still answer on the same port.
    expect(await fetchRaw(url, '/api/v1/generations/nope')).toMatchObject({
      status: 404,
      type: 'application/json; charset=utf-8',
    });
    expect((await fetchRaw(url, '/socket.io/?EIO=4&transport=polling')).status).toBe(200);
  });

  it('should run demo controls for loopback requests that carry the token only', async () => {
    const { url, control, demoToken = '' } = harness.server;
    const token = { [DEMO_CONTROL_HEADER]: demoToken };
    expect((await fetchRaw(url, '/')).body).toContain(`<meta name="jobstream-demo-token" content="${demoToken}">`);
    expect((await fetchRaw(url, '/api/demo/status')).status).toBe(403);
    const status = await fetchRaw(url, '/api/demo/status', { headers: token });
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toMatchObject({ socket: 'accepting', heartbeatAcks: true });
    expect((await fetchRaw(url, '/api/demo/socket/stop', { method: 'POST' })).status).toBe(403);
    expect(control.accepting).toBe(true);
    // A DNS-rebinding page reaches the server by another name.
    expect(
      (
        await fetchRaw(url, '/api/demo/socket/stop', {
          method: 'POST',
          headers: { ...token, host: 'evil.example:80' },
        })
      ).status,
    ).toBe(403);
    expect((await fetchRaw(url, '/api/demo/nothing', { method: 'POST', headers: token })).status).toBe(404);
    expect((await fetchRaw(url, '/api/demo/jobs/gen_unknown/stall', { method: 'POST', headers: token })).status).toBe(409);
    expect((await fetchRaw(url, '/api/demo/socket/stop', { headers: token })).status).toBe(405);

    const stopped = await fetchRaw(url, '/api/demo/socket/stop', { method: 'POST', headers: token });
    expect(JSON.parse(stopped.body)).toMatchObject({ socket: 'stopped' });
    expect(control.accepting).toBe(false);
    await fetchRaw(url, '/api/demo/socket/start', { method: 'POST', headers: token });
    expect(control.accepting).toBe(true);
  });

  it('should refuse demo controls to a client that is not on loopback', () => {
    const token = 'a-token-of-the-test-0123456789';
    const handler = demoControlHandler(() => harness.server, { token });
    let answered = 0;
    const res = { writeHead: (status: number) => (answered = status), end: () => undefined } as unknown as ServerResponse;
    const req = (remoteAddress: string, url = '/api/demo/socket/stop') =>
      ({
        url,
        method: 'POST',
        headers: { host: '127.0.0.1:5173', [DEMO_CONTROL_HEADER]: token },
        socket: { remoteAddress },
        resume: () => undefined,
      }) as unknown as IncomingMessage;
    expect(handler(req('192.168.1.20'), res)).toBe(true);
    expect(answered).toBe(403);
    expect(handler(req('::ffff:10.0.0.7'), res)).toBe(true);
    expect(answered).toBe(403);
    expect(harness.server.control.accepting).toBe(true);
    expect(handler(req('127.0.0.1', '/api/v1/generations'), res)).toBe(false);
  });

  it('should hide the network panel when the server has no demo controls', async () => {
    const plain = await startHarness({ demoMode: false });
    try {
      expect((await fetchRaw(plain.server.url, '/api/demo/status')).status).toBe(404);
      const page = await plain.open('/');
      // The panel asks once; after a 404 it stays hidden.
      const asked = page.waitForResponse((response) => response.url().endsWith('/api/demo/status'), { timeout: 5000 });
      await page.reload();
      expect((await asked).status()).toBe(404);
      await page.getByRole('heading', { name: 'Start a job' }).waitFor({ timeout: 5000 });
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      expect(await page.getByRole('region', { name: 'Network' }).count()).toBe(0);
      expect(plain.pageErrors).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
