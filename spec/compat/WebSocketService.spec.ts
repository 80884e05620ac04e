import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventHandlerError, WebSocketService } from '../../src/compat/index.js';
import { memoryStorage, outbox } from '../../src/outbox.js';
import type { ClipCompletedEvent, Composition, EncodingProgressEvent, ErrorEvent, Generation, ProgressEvent, StatusChangeEvent } from '../../src/protocol/index.js';
import { HttpError } from '../../src/transport/HttpError.js';
import { countRequests } from '../helpers/countRequests.js';
import { FAST, startHarness, type Harness } from '../helpers/liveClient.js';

let harness: Harness;
let problems: Error[];

beforeEach(async () => {
  harness = await startHarness();
  problems = [];
  WebSocketService.configure({ url: harness.server.url, ...FAST, outbox: outbox({ storage: memoryStorage() }), onError: (error) => problems.push(error) });
});
afterEach(async () => {
  WebSocketService.reset();
  await harness.close();
});

async function startWhenSubscribed(id: string): Promise<void> {
  await vi.waitFor(() => expect(harness.server.control.namespaceSockets(id)).toBe(1));
  harness.server.jobs.start(id);
}

/** Resolves once another job, polled at `interval`, got `updates` updates: a clock made of requests. */
async function pollsElapse(updates: number, interval: number): Promise<void> {
  const clock = harness.server.jobs.createGeneration();
  const seen = vi.fn();
  const stop = await WebSocketService.pollGenerationStatus(clock, seen, interval);
  await vi.waitFor(() => expect(seen.mock.calls.length).toBeGreaterThanOrEqual(updates));
  stop();
}

describe('WebSocketService', () => {
  describe('subscribeToGeneration()', () => {
    it('should call each handler with its events until completion', async () => {
      const id = harness.server.jobs.createGeneration({ clips: 3, stepMs: 10 });
      const progress: ProgressEvent['data'][] = [];
      const clips: ClipCompletedEvent['data'][] = [];
      const statuses: StatusChangeEvent['data'][] = [];
      const onCompleted = vi.fn();
      const onError = vi.fn();

      const cleanup = WebSocketService.subscribeToGeneration(id, {
        onProgress: (data) => progress.push(data),
        onClipCompleted: (data) => clips.push(data),
        onStatusChange: (data) => statuses.push(data),
        onCompleted,
        onError,
      });
      await startWhenSubscribed(id);

      await vi.waitFor(() => expect(onCompleted).toHaveBeenCalledTimes(1), { timeout: 5000 });
      expect(onCompleted).toHaveBeenCalledWith(expect.objectContaining({ video_url: harness.server.jobs.get(id)?.video_url }));
      expect(clips.map((clip) => clip.clip_id)).toEqual([1, 2, 3].map((n) => `${id}_clip_${n}`));
      expect(progress.length).toBeGreaterThanOrEqual(12);
      expect(progress.at(-1)?.total_clips).toBe(3);
      expect(statuses.map((status) => status.new_status)).toContain('processing');
      expect(onError).not.toHaveBeenCalled();
      cleanup();
    });

    it('should call onError with the error event of a failing generation', async () => {
      const id = harness.server.jobs.startGeneration({ clips: 3, stepMs: 10, failAtClip: 2 });
      const errors: ErrorEvent['data'][] = [];
      const onCompleted = vi.fn();
      const cleanup = WebSocketService.subscribeToGeneration(id, { onError: (data) => errors.push(data), onCompleted });

      await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5000 });
      expect(errors[0]).toMatchObject({ code: 'GENERATION_FAILED', recoverable: false });
      expect(onCompleted).not.toHaveBeenCalled();
      cleanup();
    });

    it('should stop calling the handlers and close the namespace socket after cleanup', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration({ clips: 4, stepMs: 20 });
      const onProgress = vi.fn();
      const onCompleted = vi.fn();
      const cleanup = WebSocketService.subscribeToGeneration(id, { onProgress, onCompleted });
      await startWhenSubscribed(id);
      await vi.waitFor(() => expect(onProgress).toHaveBeenCalled());

      cleanup();
      const calls = onProgress.mock.calls.length;

      await vi.waitFor(() => expect(server.control.namespaceSockets(id)).toBe(0));
      await vi.waitFor(() => expect(server.jobs.get(id)?.status).toBe('completed'), { timeout: 5000 });
      expect(onProgress).toHaveBeenCalledTimes(calls);
      expect(onCompleted).not.toHaveBeenCalled();
    });

    it('should report a handler that throws and still call the other handlers', async () => {
      const id = harness.server.jobs.startGeneration({ clips: 2, stepMs: 10 });
      const onCompleted = vi.fn();
      const cleanup = WebSocketService.subscribeToGeneration(id, {
        onClipCompleted: () => {
          throw new Error('render failed');
        },
        onCompleted,
      });

      await vi.waitFor(() => expect(onCompleted).toHaveBeenCalledTimes(1), { timeout: 5000 });
      expect(problems).toEqual([expect.any(EventHandlerError), expect.any(EventHandlerError)]);
      expect(problems[0]).toMatchObject({ eventType: 'clip_completed' });
      cleanup();
    });

    it('should carry every job over one connection', async () => {
      const { server } = harness;
      const ids = [1, 2, 3].map(() => server.jobs.createGeneration());
      const cleanups = ids.map((id) => WebSocketService.subscribeToGeneration(id, {}));

      await vi.waitFor(() => expect(ids.map((id) => server.control.namespaceSockets(id))).toEqual([1, 1, 1]));
      expect(server.control.engineConnections()).toBe(1);
      expect(WebSocketService.getClient()).toBe(WebSocketService.getClient());
      for (const cleanup of cleanups) cleanup();
    });
  });

  describe('subscribeToComposition()', () => {
    it('should call onProgress with encoding_progress and onCompleted at the end', async () => {
      const id = harness.server.jobs.createComposition({ frames: 30, framesPerStep: 10, stepMs: 10 });
      const progress: EncodingProgressEvent['data'][] = [];
      const onCompleted = vi.fn();
      const cleanup = WebSocketService.subscribeToComposition(id, { onProgress: (data) => progress.push(data), onCompleted });
      await startWhenSubscribed(id);

      await vi.waitFor(() => expect(onCompleted).toHaveBeenCalledTimes(1), { timeout: 5000 });
      expect(progress.map((data) => data.frames_processed)).toEqual([10, 20, 30]);
      expect(progress.at(-1)).toMatchObject({ percentage: 100, total_frames: 30 });
      expect(onCompleted).toHaveBeenCalledWith(expect.objectContaining({ video_url: harness.server.jobs.get(id)?.video_url }));
      cleanup();
    });

    it('should call onError when the composition fails', async () => {
      const id = harness.server.jobs.startComposition({ frames: 50, framesPerStep: 10, stepMs: 10, failAtFrame: 30 });
      const onError = vi.fn();
      const cleanup = WebSocketService.subscribeToComposition(id, { onError });

      await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'COMPOSITION_FAILED', recoverable: false })), { timeout: 5000 });
      cleanup();
    });
  });

  describe('pollGenerationStatus()', () => {
    it('should call onUpdate with each snapshot and stop at the terminal status', async () => {
      const { server } = harness;
      const id = server.jobs.startGeneration({ clips: 2, stepMs: 20 });
      const updates: Generation[] = [];

      const stop = await WebSocketService.pollGenerationStatus(id, (generation) => updates.push(generation), 15);
      expect(updates.length).toBeGreaterThanOrEqual(1);

      await vi.waitFor(() => expect(updates.at(-1)?.status).toBe('completed'), { timeout: 5000 });
      expect(updates.at(-1)).toMatchObject({ id, video_url: server.jobs.get(id)?.video_url });
      expect(updates.filter((update) => update.status === 'completed')).toHaveLength(1);
      const hits = server.control.restHits(id);
      await pollsElapse(5, 15);
      expect(server.control.restHits(id)).toBe(hits);
      stop();
    });

    it('should stop polling when the stop function is called', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration();
      const onUpdate = vi.fn();
      const stop = await WebSocketService.pollGenerationStatus(id, onUpdate, 15);
      await vi.waitFor(() => expect(onUpdate.mock.calls.length).toBeGreaterThanOrEqual(3));

      stop();
      const hits = server.control.restHits(id);
      const updates = onUpdate.mock.calls.length;

      await pollsElapse(5, 15);
      expect(server.control.restHits(id)).toBeLessThanOrEqual(hits + 1);
      expect(onUpdate).toHaveBeenCalledTimes(updates);
    });

    it('should poll every 5000 ms by default', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration();
      const onUpdate = vi.fn();
      const stop = await WebSocketService.pollGenerationStatus(id, onUpdate);
      await pollsElapse(5, 15);
      expect(onUpdate).toHaveBeenCalledTimes(1);
      expect(server.control.restHits(id)).toBe(1);
      stop();
    });

    it('should reject with an HttpError 404 for an unknown generation', async () => {
      const requests = countRequests(harness.server, '/api/v1/generations/gen_missing');
      await expect(WebSocketService.pollGenerationStatus('gen_missing', () => {}, 15)).rejects.toMatchObject({ name: 'HttpError', status: 404 });
      expect(requests()).toBe(1);
    });

    it('should report a failed poll and go on polling', async () => {
      const { server } = harness;
      const id = server.jobs.createGeneration();
      server.control.failNextPolls(3, 503);
      const onUpdate = vi.fn();

      const stop = await WebSocketService.pollGenerationStatus(id, onUpdate, 15);

      expect(problems).toEqual([expect.any(HttpError)]);
      await vi.waitFor(() => expect(onUpdate).toHaveBeenCalledWith(expect.objectContaining({ id, status: 'queued' })));
      stop();
    });
  });

  describe('pollCompositionStatus()', () => {
    it('should call onUpdate with each snapshot and stop at completed', async () => {
      const { server } = harness;
      const id = server.jobs.startComposition({ frames: 40, framesPerStep: 10, stepMs: 20 });
      const updates: Composition[] = [];

      const stop = await WebSocketService.pollCompositionStatus(id, (composition) => updates.push(composition), 15);

      await vi.waitFor(() => expect(updates.at(-1)?.status).toBe('completed'), { timeout: 5000 });
      expect(updates.some((update) => update.status === 'encoding' && update.progress !== undefined)).toBe(true);
      const hits = server.control.restHits(id);
      await pollsElapse(5, 15);
      expect(server.control.restHits(id)).toBe(hits);
      stop();
    });
  });

  describe('without configure() and without a page (SSR)', () => {
    it('should throw a TypeError that says to configure it', () => {
      WebSocketService.reset();
      expect(() => WebSocketService.subscribeToGeneration('gen_1', {})).toThrow(/WebSocketService\.configure\(\{ url/);
    });
  });
});
