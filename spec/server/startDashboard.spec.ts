import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDashboard, type DashboardServer } from '../../demo/server/startDashboard.js';
import { demoControlHandler, DEMO_CONTROL_HEADER } from '../../src/server/index.js';
import { httpRequest } from './helpers.js';

describe('startDashboard', () => {
  let directory: string;
  let server: DashboardServer;
  const demo = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    httpRequest(server, `/api/demo/${path}`, { method, headers });

  beforeEach(async () => {
    // A built dashboard is one page and its assets; this one is enough to serve.
    directory = mkdtempSync(join(tmpdir(), 'jobstream-dashboard-'));
    writeFileSync(
      join(directory, 'index.html'),
      '<!doctype html><html><head><title>jobstream</title></head><body></body></html>',
    );
    server = await startDashboard({ port: 0, build: false, outDir: directory });
  });
  afterEach(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('demo controls', () => {
    it('should need the random token of this start, which only the page served carries', async () => {
      const token = server.demoToken ?? '';
      expect(token).toMatch(/^[0-9a-f]{32}$/);
      const page = await httpRequest(server, '/');
      expect(page.body).toContain(`<head><meta name="jobstream-demo-token" content="${token}"><title>`);
      expect(page.headers['cache-control']).toBe('no-store');

      const wrong: Record<string, string>[] = [
        {},
        { [DEMO_CONTROL_HEADER]: '1' },
        { [DEMO_CONTROL_HEADER]: `${token.slice(1)}0` },
      ];
      for (const headers of wrong) {
        expect(await demo('status', headers)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
        expect((await demo('socket/stop', headers, 'POST')).status).toBe(403);
      }
      expect(server.control.accepting).toBe(true);

      expect(await demo('status', { [DEMO_CONTROL_HEADER]: token })).toMatchObject({
        status: 200,
        body: { socket: 'accepting' },
      });
      expect(await demo('socket/stop', { [DEMO_CONTROL_HEADER]: token }, 'POST')).toMatchObject({ body: { socket: 'stopped' } });
      expect(server.control.accepting).toBe(false);
    });

    it('should refuse a request that came through a proxy, token or not', async () => {
      const token = { [DEMO_CONTROL_HEADER]: server.demoToken ?? '' };
      expect((await demo('status', token)).status).toBe(200);
      for (const header of ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded']) {
        const answer = await demo('socket/stop', { ...token, [header]: '203.0.113.7' }, 'POST');
        expect(answer, header).toMatchObject({ status: 403, body: { error: { message: expect.stringContaining('proxy') } } });
      }
      expect(server.control.accepting).toBe(true);
    });

    it('should make a new token at every start', async () => {
      const other = await startDashboard({ port: 0, build: false, outDir: directory });
      try {
        expect(other.demoToken).not.toBe(server.demoToken);
        expect((await demo('status', { [DEMO_CONTROL_HEADER]: other.demoToken ?? '' })).status).toBe(403);
      } finally {
        await other.close();
      }
    });

    it('should not start without a token of at least 16 characters', () => {
      expect(() => demoControlHandler(() => server, { token: 'short' })).toThrow(/token of at least 16 characters/);
    });
  });

  describe('without demo mode', () => {
    it('should have no controls and put no token in the page', async () => {
      const plain = await startDashboard({ port: 0, build: false, outDir: directory, demoMode: false });
      try {
        expect(plain.demoToken).toBeUndefined();
        expect((await httpRequest(plain, '/')).body).not.toContain('jobstream-demo-token');
        expect((await httpRequest(plain, '/api/demo/status')).status).toBe(404);
      } finally {
        await plain.close();
      }
    });
  });

  describe('every answer', () => {
    it('should carry X-Content-Type-Options: nosniff: pages, refusals and the demo controls', async () => {
      const answers = await Promise.all([
        httpRequest(server, '/'),
        httpRequest(server, '/missing.js'),
        httpRequest(server, '/', { method: 'DELETE' }),
        demo('status'),
        demo('status', { [DEMO_CONTROL_HEADER]: server.demoToken ?? '' }),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 404, 405, 403, 200]);
      expect(answers.map((answer) => answer.headers['x-content-type-options'])).toEqual(answers.map(() => 'nosniff'));
    });
  });
});
