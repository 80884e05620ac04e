import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compositionTimeline, DEFAULT_COMPOSITION_OPTIONS, type CompositionPlan } from '../../src/server/index.js';
import { applyEvent, parseEvent, parseSnapshot, type JobSnapshot } from '../../src/protocol/index.js';
import { eagerComposition } from './eagerTimelines.js';

const plan = (overrides: Partial<CompositionPlan> = {}): CompositionPlan => ({
  ...DEFAULT_COMPOSITION_OPTIONS,
  id: 'comp_1',
  ...overrides,
});

describe('compositionTimeline', () => {
  describe('with frames that do not divide evenly', () => {
    const events = [...compositionTimeline(plan({ frames: 25, framesPerStep: 10, stepMs: 100 }))];

    it('should encode in steps up to the last frame, then complete', () => {
      expect(events.map((event) => event.type)).toEqual([
        'status_change', 'encoding_progress', 'encoding_progress', 'encoding_progress', 'completed',
      ]);
      expect(events.slice(1, 4).map((event) => event.data)).toEqual([
        { percentage: 40, frames_processed: 10, total_frames: 25, estimated_remaining: 0.3 },
        { percentage: 80, frames_processed: 20, total_frames: 25, estimated_remaining: 0.2 },
        { percentage: 100, frames_processed: 25, total_frames: 25, estimated_remaining: 0.1 },
      ]);
    });

    it('should fold into a valid completed composition', () => {
      expect(events.filter((event) => !parseEvent(event.type, event.data).ok)).toEqual([]);
      const snapshot = events.reduce<JobSnapshot>((s, event) => applyEvent(s, event), { id: 'comp_1', status: 'queued' });
      expect(parseSnapshot('composition', snapshot).ok).toBe(true);
      expect(snapshot).toMatchObject({ status: 'completed', duration: 25 / 30 });
    });
  });

  describe('with failAtFrame', () => {
    it('should fail on the first step that reaches the frame', () => {
      const events = [...compositionTimeline(plan({ frames: 100, framesPerStep: 10, failAtFrame: 35 }))];
      expect(events.map((event) => event.type)).toEqual([
        'status_change', 'encoding_progress', 'encoding_progress', 'encoding_progress', 'error',
      ]);
      expect(events.at(-1)?.data).toMatchObject({ code: 'COMPOSITION_FAILED', recoverable: false });
    });
  });

  describe('step by step', () => {
    it('should build each step from the plan alone: the same events as the eager list, nothing outside it', () => {
      const plans = fc.record({
        frames: fc.integer({ min: 1, max: 500 }),
        framesPerStep: fc.integer({ min: 1, max: 60 }),
        stepMs: fc.integer({ min: 0, max: 1000 }),
        fps: fc.integer({ min: 1, max: 120 }),
        failAtFrame: fc.option(fc.integer({ min: 0, max: 520 }), { nil: undefined }),
      });
      fc.assert(
        fc.property(plans, fc.nat(), (overrides, probe) => {
          const timeline = compositionTimeline(plan(overrides));
          const eager = eagerComposition('comp_1', plan(overrides));
          expect([...timeline]).toEqual(eager);
          const step = probe % timeline.length;
          expect(compositionTimeline(plan(overrides)).at(step)).toEqual(eager[step]);
          expect([timeline.at(-1), timeline.at(timeline.length)]).toEqual([undefined, undefined]);
        }),
      );
    });
  });
});
