import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualTimeScheduler } from 'rxjs';
import type { Socket } from 'socket.io-client';
import { createOutboxLog } from '../../src/server/createOutboxLog.js';
import { createJobServer, DEFAULT_JOB_SERVER, type JobServer, type JobServerOptions } from '../../src/server/index.js';
import { connect, connected } from './helpers.js';

describe('createJobServer: what the outbox log and the test records keep', () => {
  const servers: JobServer[] = [];
  const sockets: Socket[] = [];
  const start = async (options: JobServerOptions = {}) => {
    const server = await createJobServer(options);
    servers.push(server);
    const root = await connected(connect(server));
    sockets.push(root);
    const send = (id: string, data: unknown = null) => root.emitWithAck('message', { id, event: 'note', data });
    return { server, root, send };
  };

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  describe('dedupe ids', () => {
    it('should be remembered for dedupeTtlMs: a resend within it acts once, one after it acts again', async () => {
      const scheduler = new VirtualTimeScheduler();
      const advanceBy = (ms: number) => {
        scheduler.schedule(() => undefined, ms);
        scheduler.flush();
      };
      const { server, send } = await start({ scheduler, dedupeTtlMs: 1000 });

      expect(await send('m-1')).toEqual({ id: 'm-1' });
      expect(server.control.outbox.dedupe()).toEqual([{ id: 'm-1', expiresAt: 1000 }]);
      advanceBy(999);
      expect(await send('m-1')).toEqual({ id: 'm-1' });
      expect(server.control.outbox.applied.map((envelope) => envelope.id)).toEqual(['m-1']);
      advanceBy(1);
      expect(server.control.outbox.dedupe()).toEqual([]);
      expect(await send('m-1')).toEqual({ id: 'm-1' });
      expect(server.control.outbox.applied.map((envelope) => envelope.id)).toEqual(['m-1', 'm-1']);
    });

    it('should default to the outbox TTL, 1 h', async () => {
      const { server, send } = await start();
      const before = Date.now();
      await send('m-1');
      const [entry] = server.control.outbox.dedupe();
      expect(DEFAULT_JOB_SERVER.dedupeTtlMs).toBe(3_600_000);
      expect(entry?.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
      expect(entry?.expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    });

    it('should keep at most dedupeLimit ids, forgetting the oldest first', async () => {
      const { server, send } = await start({ dedupeLimit: 3 });
      for (const id of ['a', 'b', 'c', 'd']) await send(id);
      expect(server.control.outbox.dedupe().map((entry) => entry.id)).toEqual(['b', 'c', 'd']);
    });

    it('should refuse limits that would be no limit at all', async () => {
      await expect(createJobServer({ dedupeTtlMs: Number.NaN })).rejects.toThrow(
        /dedupeTtlMs must be an integer >= 0 or Infinity/,
      );
      await expect(createJobServer({ recordLimit: -1 })).rejects.toThrow(/recordLimit/);
      await expect(createJobServer({ dedupeLimit: 0 })).rejects.toThrow(/dedupeLimit/);
    });

    it('should persist ids and expiries, never the payloads', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'jobstream-dedupe-'));
      try {
        const stateFile = join(directory, 'state.json');
        const { send } = await start({ stateFile });
        await send('m-secret', { card: '4111 1111 1111 1111' });
        const state = readFileSync(stateFile, 'utf8');
        expect(state).toContain('"dedupe":[{"id":"m-secret","expiresAt":');
        expect(state).not.toContain('4111');
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });
  });

  describe('with a shared claim (a cluster’s dedupe store)', () => {
    it('should act only on the ids the store grants, ack each valid delivery, and fail the delivery the store cannot answer', async () => {
      const granted = new Set<string>(['m-elsewhere']);
      const acted: string[] = [];
      const log = createOutboxLog({
        apply: ({ id }) => acted.push(id),
        claim: (id) =>
          id === 'm-down' ? Promise.reject(new Error('Redis away')) : Promise.resolve(!granted.has(id) && !!granted.add(id)),
      });
      const note = (id: string) => ({ id, event: 'note', data: null });
      expect(await log.deliver(note('m-1'))).toEqual({ id: 'm-1' });
      expect(await log.deliver(note('m-1'))).toEqual({ id: 'm-1' });
      // Applied by another node first: acked here, not acted on.
      expect(await log.deliver(note('m-elsewhere'))).toEqual({ id: 'm-elsewhere' });
      await expect(log.deliver(note('m-down'))).rejects.toThrow('Redis away');
      expect(log.deliver({ id: '' })).toMatchObject({ error: { code: 'INVALID_ENVELOPE' } });

      expect([acted, log.applied.map(({ id }) => id), log.received.length, log.dedupe()]).toEqual([['m-1'], ['m-1'], 4, []]);
    });
  });

  describe('test records', () => {
    it('should keep the last recordLimit handshakes, with nothing of auth but the request id', async () => {
      const { server, root } = await start({ recordLimit: 5 });
      root.close();
      for (let n = 1; n <= 20; n++) {
        sockets.push(await connected(connect(server, '', { auth: { token: `secret-${n}`, requestId: `req-${n}` } })));
      }

      expect(server.control.handshakes).toEqual([16, 17, 18, 19, 20].map((n) => ({ requestId: `req-${n}`, namespace: '/' })));
      expect(server.control.requestIds).toEqual([16, 17, 18, 19, 20].map((n) => `req-${n}`));
      expect(JSON.stringify(server.control.handshakes)).not.toContain('secret');
    });

    it('should keep the last recordLimit envelopes received, applied and rejected', async () => {
      const { server, send, root } = await start({ recordLimit: 5 });
      for (let n = 1; n <= 20; n++) {
        await send(`m-${n}`, 'x'.repeat(1000));
        await send(`m-${n}`);
        await root.emitWithAck('message', { n });
      }
      const ids = (envelopes: readonly { id: string }[]) => envelopes.map((envelope) => envelope.id);

      expect(ids(server.control.outbox.received)).toEqual(['m-18', 'm-19', 'm-19', 'm-20', 'm-20']);
      expect(ids(server.control.outbox.applied)).toEqual(['m-16', 'm-17', 'm-18', 'm-19', 'm-20']);
      expect(server.control.outbox.rejected.map(({ payload }) => payload)).toEqual([16, 17, 18, 19, 20].map((n) => ({ n })));
      expect(server.control.outbox.dedupe()).toHaveLength(20);
    });
  });
});
