import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Subscription } from 'rxjs';
import type { DebugEntry, JobStreamsOptions } from '../../src/index.js';
import { Manager } from 'socket.io-client';
import { memoryStorage, outbox } from '../../src/outbox.js';
import { collect, count, startHarness, type Harness } from '../helpers/liveClient.js';

let harness: Harness;
const subscriptions: Subscription[] = [];
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
  // Closed before the console is restored: disposing clients still logs (`link: closed`).
  await harness.close();
  vi.restoreAllMocks();
});

/** A `debug` function that keeps every entry, and a finder over them. */
function recorder() {
  const entries: DebugEntry[] = [];
  const find = (scope: DebugEntry['scope'], message: string, from = 0) =>
    entries.slice(from).find((entry) => entry.scope === scope && entry.message === message);
  return { entries, debug: (entry: DebugEntry) => void entries.push(entry), find };
}

describe('createJobStreams({ debug })', () => {
  describe('by default', () => {
    it('should log nothing', async () => {
      const spy = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
      const { server } = harness;
      for (const debug of [undefined, false]) {
        const client = harness.client({ outbox: outbox({ storage: memoryStorage() }), ...(debug === false && { debug }) });
        client.send('note', {});
        const events = await collect(client.generationProgress$(server.jobs.startGeneration({ clips: 2, stepMs: 10 })));
        expect(count(events, 'completed')).toBe(1);
      }
      expect(spy).not.toHaveBeenCalled();
    });
  });

  describe('with true', () => {
    it('should log to console.debug with a [jobstream] prefix', async () => {
      const spy = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
      const { server } = harness;
      const client = harness.client({ debug: true });
      await collect(client.generationProgress$(server.jobs.startGeneration({ clips: 1, stepMs: 10 })));

      const lines = spy.mock.calls.map(([first]) => String(first));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((line) => line.startsWith('[jobstream] '))).toBe(true);
      expect(lines).toContain('[jobstream] link: connecting');
      expect(lines).toContain('[jobstream] job: ended');
    });
  });

  describe('with a function', () => {
    it('should trace connection transitions, a retry and the switch to polling and back', async () => {
      const { server } = harness;
      const { entries, debug, find } = recorder();
      const client = harness.client({ debug });
      const id = server.jobs.startGeneration({ clips: 40, stepMs: 50 });
      subscriptions.push(client.generationProgress$(id).subscribe());
      await vi.waitFor(() => expect(find('job', 'subscribed: resyncing from the ack snapshot')).toBeDefined());
      expect(find('link', 'connecting')?.data).toMatchObject({ url: server.url, attempt: 0 });
      expect(find('link', 'connected')?.data).toMatchObject({ engine: 'websocket' });
      expect(find('job', 'subscribing')?.data).toMatchObject({
        job: { kind: 'generation', id },
        namespace: `/ws/generations/${id}`,
      });

      const outage = entries.length;
      server.control.stopSocket();
      await vi.waitFor(() => expect(find('poll', 'job switched websocket -> polling', outage)).toBeDefined());
      expect(find('link', 'disconnected', outage)?.data?.error).toMatch(/ConnectionLostError/);
      expect(find('link', 'retry scheduled', outage)?.data).toEqual({ attempt: 1, delay: 50 });
      expect(find('poll', 'GET', outage)?.data).toMatchObject({ url: `${server.url}/api/v1/generations/${id}` });

      const back = entries.length;
      server.control.startSocket();
      await vi.waitFor(() => expect(find('poll', 'job switched polling -> websocket', back)).toBeDefined());
      expect(find('link', 'connected', back)).toBeDefined();
    });

    it('should trace queue activity: enqueued, sent, acked, retried and dead-lettered', async () => {
      const { server } = harness;
      const { debug, find, entries } = recorder();
      const client = harness.client({ debug, outbox: outbox({ storage: memoryStorage(), ackTimeout: 100, maxRetries: 1 }) });

      const delivered = client.send('note', { n: 1 });
      await vi.waitFor(() => expect(find('outbox', 'acked')?.data).toEqual({ id: delivered }));
      expect(find('outbox', 'enqueued')?.data).toEqual({ id: delivered, event: 'note' });
      expect(find('outbox', 'sent')?.data).toEqual({ id: delivered, event: 'note', attempt: 1 });

      server.control.stopMessageAcks();
      const lost = client.send('note', { n: 2 });
      await vi.waitFor(() => expect(find('outbox', 'dead letter')).toBeDefined());
      expect(find('outbox', 'retry scheduled')?.data).toMatchObject({ id: lost, attempt: 1, delay: 50 });
      expect(find('outbox', 'dead letter')?.data).toMatchObject({ id: lost, event: 'note', reason: 'retries_exhausted' });
      expect(entries.filter((entry) => entry.message === 'sent' && entry.data?.id === lost)).toHaveLength(2);
    });

    it('should trace a rejected payload with its event, field and reason', async () => {
      const { server } = harness;
      const { debug, find } = recorder();
      const client = harness.client({ debug });
      const id = server.jobs.startGeneration({ clips: 3, stepMs: 40 });
      const events = collect(client.generationProgress$(id));
      await vi.waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));

      server.control.sendMalformed(id, 'progress', { percentage: 'lots' });

      await vi.waitFor(() => expect(find('job', 'rejected payload')).toBeDefined());
      expect(find('job', 'rejected payload')?.data).toMatchObject({
        job: { kind: 'generation', id },
        event: 'progress',
        check: 'invalid_payload',
        reason: expect.any(String),
      });
      expect(count(await events, 'completed')).toBe(1);
    });

    it('should trace once per client that job sockets are not routed, and deliver all the same', async () => {
      const { server } = harness;
      const UNROUTED =
        "job sockets not routed: socket.io-client's internals are not as expected, packets take its broadcast path";
      // A Manager whose emitter is not what the router reads: job sockets must fall back to socket.io's path.
      const io: JobStreamsOptions['io'] = (url, options) => Object.assign(new Manager(url, options), { listeners: undefined });
      const followTwoJobs = async (options: JobStreamsOptions) => {
        const { entries, debug } = recorder();
        const client = harness.client({ ...options, debug });
        const ids = [1, 2].map(() => server.jobs.startGeneration({ clips: 2, stepMs: 10 }));
        const runs = await Promise.all(ids.map((id) => collect(client.generationProgress$(id))));
        for (const events of runs) expect(count(events, 'completed')).toBe(1);
        return entries.filter((entry) => entry.scope === 'link' && entry.message === UNROUTED).length;
      };

      expect(await followTwoJobs({})).toBe(0);
      expect(await followTwoJobs({ io })).toBe(1);
    });

    it('should ignore a debug function that throws', async () => {
      const { server } = harness;
      const client = harness.client({
        debug: () => {
          throw new Error('broken logger');
        },
      });
      const events = await collect(client.generationProgress$(server.jobs.startGeneration({ clips: 2, stepMs: 10 })));
      expect(count(events, 'completed')).toBe(1);
    });
  });

  describe('with anything else', () => {
    it('should throw a TypeError saying what is accepted', () => {
      expect(() => harness.client({ debug: 'yes' as never })).toThrow(/`debug` must be true, false or a function/);
    });
  });
});
