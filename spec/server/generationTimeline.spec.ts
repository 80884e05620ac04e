import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generationTimeline, DEFAULT_GENERATION_OPTIONS, type GenerationPlan } from '../../src/server/index.js';
import { applyEvent, parseEvent, parseSnapshot, type JobSnapshot, type WebSocketEvent } from '../../src/protocol/index.js';
import { eagerGeneration } from './eagerTimelines.js';

const plan = (overrides: Partial<GenerationPlan> = {}): GenerationPlan => ({ ...DEFAULT_GENERATION_OPTIONS, id: 'gen_1', ...overrides });
const fold = (events: WebSocketEvent[]): JobSnapshot =>
  events.reduce<JobSnapshot>((snapshot, event) => applyEvent(snapshot, event), { id: 'gen_1', status: 'queued' });

describe('generationTimeline', () => {
  describe('with the defaults', () => {
    const events = [...generationTimeline(plan())];

    it('should go processing, progress and a clip per clip, finalizing, completed', () => {
      expect(events.map((event) => event.type)).toEqual([
        'status_change',
        ...Array.from({ length: 3 }, () => ['progress', 'progress', 'progress', 'progress', 'clip_completed']).flat(),
        'progress',
        'completed',
      ]);
      expect(events.at(-2)?.data).toMatchObject({ step: 'finalizing', percentage: 100 });
      expect(events.at(-1)?.data).toEqual({
        video_url: '/api/v1/videos/gen_1.mp4',
        thumbnail_url: '/api/v1/thumbnails/gen_1/1.svg',
        duration: 15,
      });
    });

    it('should only send events the protocol accepts, with rising percentages', () => {
      expect(events.filter((event) => !parseEvent(event.type, event.data).ok)).toEqual([]);
      const percentages = events.flatMap((event) => (event.type === 'progress' ? [event.data.percentage] : []));
      expect(percentages).toEqual([...percentages].sort((a, b) => a - b));
      expect(new Set(percentages).size).toBe(percentages.length);
    });

    it('should fold into a valid completed snapshot with every clip', () => {
      const snapshot = fold(events);
      expect(parseSnapshot('generation', snapshot).ok).toBe(true);
      expect(snapshot).toMatchObject({ status: 'completed', clips: [{ clip_id: 'gen_1_clip_1' }, {}, {}] });
    });
  });

  describe('with failAtClip', () => {
    it('should end with GENERATION_FAILED where that clip would start', () => {
      const events = [...generationTimeline(plan({ clips: 3, progressPerClip: 1, failAtClip: 3 }))];
      expect(events.map((event) => event.type)).toEqual([
        'status_change', 'progress', 'clip_completed', 'progress', 'clip_completed', 'error',
      ]);
      expect(fold(events)).toMatchObject({ status: 'failed', error: { code: 'GENERATION_FAILED' } });
    });

    it('should never fail past the last clip', () => {
      expect([...generationTimeline(plan({ failAtClip: 4 }))].at(-1)?.type).toBe('completed');
    });
  });

  describe('with a public origin', () => {
    it('should send absolute media URLs', () => {
      const events = [...generationTimeline(plan({ clips: 1 }), 'https://api.example')];
      expect(events.find((event) => event.type === 'clip_completed')?.data).toMatchObject({
        thumbnail_url: 'https://api.example/api/v1/thumbnails/gen_1/1.svg',
      });
      expect(events.at(-1)?.data).toMatchObject({ video_url: 'https://api.example/api/v1/videos/gen_1.mp4' });
      expect(events.filter((event) => !parseEvent(event.type, event.data).ok)).toEqual([]);
    });
  });

  describe('step by step', () => {
    it('should build each step from the plan alone: the same events as the eager list, nothing outside it', () => {
      const plans = fc.record({
        clips: fc.integer({ min: 1, max: 40 }),
        progressPerClip: fc.integer({ min: 0, max: 8 }),
        clipDuration: fc.integer({ min: 0, max: 60 }),
        failAtClip: fc.option(fc.integer({ min: 1, max: 45 }), { nil: undefined }),
      });
      fc.assert(
        fc.property(plans, fc.nat(), (overrides, probe) => {
          const timeline = generationTimeline(plan(overrides));
          const eager = eagerGeneration('gen_1', plan(overrides));
          expect([...timeline]).toEqual(eager);
          // Any step asked in any order, by another timeline of the same plan (a restarted server).
          const step = probe % timeline.length;
          expect(generationTimeline(plan(overrides)).at(step)).toEqual(eager[step]);
          expect([timeline.at(-1), timeline.at(timeline.length), timeline.at(0.5)]).toEqual([undefined, undefined, undefined]);
        }),
      );
    });
  });
});
