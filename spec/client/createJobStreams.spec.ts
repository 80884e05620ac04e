import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { filter, firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import type { ConnectionState, WebSocketEvent } from '../../src/protocol/index.js';
import type { JobStreamsError } from '../../src/client/JobStreamsError.js';
import { recordHandshakeAuth } from '../helpers/handshakeAuth.js';
import { clipIds, collect, count, percentages, startHarness, type Harness } from '../helpers/liveClient.js';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

function isNonDecreasing(values: readonly number[]): boolean {
  return values.every((value, index) => index === 0 || value >= (values[index - 1] ?? -Infinity));
}

describe('createJobStreams', () => {
  describe('with a running server', () => {
    it('should follow a generation to completion, each clip and the terminal event once', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 3, stepMs: 10 });
      const events = await collect(harness.client().generationProgress$(id));

      expect(clipIds(events)).toEqual([`${id}_clip_1`, `${id}_clip_2`, `${id}_clip_3`]);
      expect(events.at(-1)).toMatchObject({ type: 'completed', data: { video_url: `/api/v1/videos/${id}.mp4` } });
      expect(count(events, 'completed')).toBe(1);
      expect(isNonDecreasing(percentages(events))).toBe(true);
    });

    it('should fold a composition into its final state', async () => {
      const { server } = harness;
      const id = server.jobs.startComposition({ frames: 50, framesPerStep: 10, stepMs: 10 });
      const state = await lastValueFrom(harness.client().compositionState$(id));

      expect(state).toMatchObject({ id, kind: 'composition', status: 'completed', percentage: 100, transport: 'websocket' });
      expect(state.videoUrl).toBe(server.jobs.get(id)?.video_url);
    });

    it('should share one namespace socket between two subscribers of a job', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 4, stepMs: 20 });
      const client = harness.client();
      const first = collect(client.generationProgress$(id));
      const second = collect(client.generationProgress$(id));

      await vi.waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));
      const [a, b] = await Promise.all([first, second]);
      expect(clipIds(a)).toEqual(clipIds(b));
      expect(server.control.namespaceSockets(id)).toBeLessThanOrEqual(1);
    });

    it('should carry 50 jobs over one engine.io connection', async () => {
      const { server } = harness;
      const ids = Array.from({ length: 50 }, () => server.jobs.startGeneration({ clips: 2, stepMs: 15 }));
      const client = harness.client();
      const done = Promise.all(ids.map((id) => collect(client.generationProgress$(id))));

      await vi.waitFor(() => expect(ids.every((id) => server.control.namespaceSockets(id) === 1)).toBe(true));
      expect(server.control.engineConnections()).toBe(1);
      const all = await done;
      expect(all.every((events) => count(events, 'completed') === 1)).toBe(true);
    });

    it('should give a late subscriber the history so far, then the live events', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 4, stepMs: 15 });
      const client = harness.client();
      const first = collect(client.generationProgress$(id));
      await firstValueFrom(client.generationProgress$(id).pipe(filter((event) => event.type === 'clip_completed')));

      const late = await collect(client.generationProgress$(id));
      expect(clipIds(late)).toEqual(clipIds(await first));
      expect(count(late, 'completed')).toBe(1);
    });

    it("should start a late subscriber's history at the latest progress", async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 4, stepMs: 15 });
      const client = harness.client();
      const seen: WebSocketEvent[] = [];
      client.generationProgress$(id).subscribe((event) => seen.push(event));
      await vi.waitFor(() => expect(seen.filter((event) => event.type === 'clip_completed').length).toBeGreaterThan(0));
      server.control.stall(id);
      const latest = percentages(seen).at(-1);

      // The history is replayed synchronously on subscribe; the job is stalled, so nothing else comes.
      const history: WebSocketEvent[] = [];
      client
        .generationProgress$(id)
        .subscribe((event) => history.push(event))
        .unsubscribe();
      expect(percentages(history).at(-1)).toBe(latest);
      expect(latest).toBeGreaterThan(0);
    });

    it('should send an X-Request-ID the server records on each handshake', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 1, stepMs: 5 });
      await collect(harness.client({ requestId: () => 'req-fixed-1' }).generationProgress$(id));

      expect(server.control.requestIds).toContain('req-fixed-1');
      expect(server.control.handshakes.every((handshake) => handshake.requestId === 'req-fixed-1')).toBe(true);
    });

    it('should send fresh credentials from auth on every handshake', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 1, stepMs: 5 });
      let token = 0;
      const sent = recordHandshakeAuth(server);
      await collect(harness.client({ auth: () => ({ token: `t${++token}` }) }).generationProgress$(id));

      const tokens = sent.map((auth) => auth.token);
      expect(new Set(tokens).size).toBe(tokens.length);
      expect(tokens.length).toBeGreaterThanOrEqual(2);
    });
  });

  describe('with bad input', () => {
    it('should end an unknown job with a NOT_FOUND error', async () => {
      const events = await collect(harness.client().generationProgress$('gen_nope'));
      expect(events).toEqual([{ type: 'error', data: expect.objectContaining({ code: 'NOT_FOUND', recoverable: false }) }]);
    });

    it('should report a malformed payload on errors$ and go on', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 3, stepMs: 40 });
      const client = harness.client();
      const errors: JobStreamsError[] = [];
      client.errors$.subscribe((problem) => errors.push(problem));
      const events = collect(client.generationProgress$(id));

      await vi.waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));
      server.control.sendMalformed(id, 'progress', { percentage: 'lots', step: 7 });
      server.control.sendMalformed(id, 'clip_completed', { clip_id: 'x', thumbnail_url: 'javascript:alert(1)', duration: 1 });

      expect(count(await events, 'completed')).toBe(1);
      expect(errors.map(({ error, job }) => [error.name, job?.id])).toEqual([
        ['ValidationError', id],
        ['ValidationError', id],
      ]);
      expect(clipIds(await events)).not.toContain('x');
    });

    it('should refuse a URL that is not http(s) or ws(s)', () => {
      expect(() => harness.client({ url: 'javascript:alert(1)' })).toThrow(TypeError);
      expect(() => harness.client({ url: 'not a url' })).toThrow(/absolute URL/);
      expect(() => harness.client({ url: 'https://user:pw@example.com' })).toThrow(/credentials/);
    });
  });

  describe('when the socket goes down mid-job', () => {
    it('should poll within grace + one interval, keep progress moving, then go back to the socket', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 12, stepMs: 25 });
      const client = harness.client();
      const states: ConnectionState[] = [];
      client.connectionState$.subscribe((state) => states.push(state));
      const jobStates: string[] = [];
      const events = collect(client.generationProgress$(id));
      client.generationState$(id).subscribe((state) => jobStates.push(state.transport));

      await firstValueFrom(client.generationProgress$(id).pipe(filter((event) => event.type === 'clip_completed')));
      server.control.stopSocket();
      const hitsBefore = server.control.restHits(id);
      // grace (100) + one interval (100), with room for a busy machine.
      await vi.waitFor(() => expect(server.control.restHits(id)).toBeGreaterThan(hitsBefore), { timeout: 1000 });
      await vi.waitFor(() => expect(server.control.restHits(id)).toBeGreaterThan(hitsBefore + 1));
      await vi.waitFor(() => expect(jobStates.at(-1)).toBe('polling'));
      server.control.startSocket();
      await vi.waitFor(() => expect(states.at(-1)?.status).toBe('connected'), { timeout: 3000 });

      const all = await events;
      const hitsAfterEnd = server.control.restHits(id);
      expect(new Set(clipIds(all)).size).toBe(12);
      expect(clipIds(all)).toHaveLength(12);
      expect(count(all, 'completed')).toBe(1);
      expect(isNonDecreasing(percentages(all))).toBe(true);
      expect(states.some((state) => state.transport === 'polling')).toBe(true);
      expect(states.at(-1)?.transport).toBe('websocket');
      expect(server.control.restHits(id)).toBe(hitsAfterEnd);
    });

    it('should go on polling after a REST request that never answers (aborted after ackTimeout)', async () => {
      await harness.close();
      let hung = 0;
      // The job's first GET hangs, as on a half-open link to the API; later ones are answered.
      harness = await startHarness({
        requestHandler: (req) => req.url?.startsWith('/api/v1/generations/') === true && hung++ === 0,
      });
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 3, stepMs: 30 });
      server.control.stopSocket();
      const client = harness.client({ ackTimeout: 300 });

      const all = await collect(client.generationProgress$(id));

      expect(hung).toBeGreaterThan(1);
      expect(clipIds(all)).toEqual([`${id}_clip_1`, `${id}_clip_2`, `${id}_clip_3`]);
      expect(count(all, 'completed')).toBe(1);
    });

    it('should show a job that finished during the outage as completed, every clip once', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 6, stepMs: 20 });
      const client = harness.client({ polling: { enabled: false } });
      const events = collect(client.generationProgress$(id));

      await vi.waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));
      server.control.stopSocket();
      await vi.waitFor(() => expect(server.jobs.get(id)?.status).toBe('completed'), { timeout: 3000 });
      server.control.startSocket();

      const all = await events;
      expect(clipIds(all)).toEqual(Array.from({ length: 6 }, (_, n) => `${id}_clip_${n + 1}`));
      expect(count(all, 'completed')).toBe(1);
      expect(all.at(-1)?.type).toBe('completed');
    });

    it('should reconnect when heartbeats go unanswered', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 12, stepMs: 25 });
      const client = harness.client();
      const states: ConnectionState[] = [];
      client.connectionState$.subscribe((state) => states.push(state));
      const events = collect(client.generationProgress$(id));
      await vi.waitFor(() => expect(states.at(-1)?.status).toBe('connected'));
      const handshakes = server.control.handshakes.length;

      server.control.stopHeartbeatAcks();
      await vi.waitFor(() => expect(states.some((state) => state.lastError?.name === 'HeartbeatTimeoutError')).toBe(true), {
        timeout: 3000,
      });
      server.control.resumeHeartbeatAcks();
      await vi.waitFor(() => expect(server.control.handshakes.length).toBeGreaterThan(handshakes), { timeout: 3000 });

      expect(count(await events, 'completed')).toBe(1);
      expect(states.at(-1)?.status).toBe('connected');
    });
  });

  describe('when the server refuses a subscribe for now', () => {
    it('should report each refusal, subscribe again with backoff, and follow the job to its end', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 3, stepMs: 30 });
      server.control.refuseNextSubscribes(2);

      const all = await collect(harness.client().generationProgress$(id));

      const refusals = all.filter((event) => event.type === 'error');
      expect(refusals).toEqual([
        { type: 'error', data: expect.objectContaining({ code: 'UNAVAILABLE', recoverable: true }) },
        { type: 'error', data: expect.objectContaining({ code: 'UNAVAILABLE', recoverable: true }) },
      ]);
      expect(server.control.handshakes.filter(({ namespace }) => namespace === `/ws/generations/${id}`)).toHaveLength(3);
      expect(clipIds(all)).toEqual([`${id}_clip_1`, `${id}_clip_2`, `${id}_clip_3`]);
      expect(count(all, 'completed')).toBe(1);
    });

    it('should let REST polling carry the job while every subscribe is refused', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 3, stepMs: 100 });
      server.control.refuseNextSubscribes(Infinity);
      const transports: string[] = [];
      const client = harness.client();
      client.generationState$(id).subscribe((state) => transports.push(state.transport));

      const all = await collect(client.generationProgress$(id));

      expect(server.control.restHits(id)).toBeGreaterThan(0);
      expect(transports).toContain('polling');
      expect(clipIds(all)).toEqual([`${id}_clip_1`, `${id}_clip_2`, `${id}_clip_3`]);
      expect(count(all, 'completed')).toBe(1);
    });
  });

  describe('dispose()', () => {
    it('should leave no socket, timer or listener behind', async () => {
      const { server } = harness;
      // A queued job runs no timer on the server, so every timer counted below is the client's.
      const id = server.jobs.createGeneration({ clips: 2 });
      const before = process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
      const client = harness.client({ linger: 5000 });
      const completions: string[] = [];
      client.generationProgress$(id).subscribe({ complete: () => completions.push('events') });
      client.connectionState$.subscribe({ complete: () => completions.push('state') });
      await vi.waitFor(() => expect(server.control.namespaceSockets(id)).toBe(1));

      client.dispose();

      await vi.waitFor(() => expect(server.control.engineConnections()).toBe(0));
      expect(completions.sort()).toEqual(['events', 'state']);
      const after = process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
      expect(after).toBeLessThanOrEqual(before);
      await expect(firstValueFrom(client.generationProgress$(id).pipe(take(1), toArray()))).rejects.toThrow(/disposed/);
    });
  });
});
