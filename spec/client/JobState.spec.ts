import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { initialJobState, reduceJobState, type JobState } from '../../src/client/JobState.js';
import type { WebSocketEvent, WebSocketEventOf } from '../../src/protocol/index.js';
import { validEvent } from '../protocol/arbitraries.js';

const AT = new Date('2025-01-01T00:00:00Z');
const LATER = new Date('2025-01-01T00:00:05Z');

const progress = (percentage: number, clip = 1): WebSocketEventOf<'progress'> => ({
  type: 'progress',
  data: { step: 'generating_clip', clip_number: clip, total_clips: 3, percentage, message: `Generating clip ${clip} of 3` },
});
const encoding = (percentage: number): WebSocketEventOf<'encoding_progress'> => ({
  type: 'encoding_progress',
  data: { percentage, frames_processed: percentage * 10, total_frames: 1000, estimated_remaining: 100 - percentage },
});
const clip = (n: number): WebSocketEventOf<'clip_completed'> => ({
  type: 'clip_completed',
  data: { clip_id: `gen_1_clip_${n}`, thumbnail_url: `/api/v1/thumbnails/gen_1/${n}.svg`, duration: 4 },
});
const statusChange = (old_status: JobState['status'], new_status: JobState['status'], message: string): WebSocketEventOf<'status_change'> => ({
  type: 'status_change',
  data: { old_status, new_status, message },
});
const completed: WebSocketEventOf<'completed'> = {
  type: 'completed',
  data: { video_url: '/api/v1/videos/gen_1.mp4', thumbnail_url: '/api/v1/thumbnails/gen_1/1.svg', duration: 12 },
};
const error = (recoverable: boolean): WebSocketEventOf<'error'> => ({
  type: 'error',
  data: { code: recoverable ? 'RATE_LIMITED' : 'GENERATION_FAILED', message: 'Something went wrong', recoverable },
});

const fold = (events: readonly WebSocketEvent[], state = initialJobState('generation', 'gen_1')): JobState =>
  events.reduce((current, event) => reduceJobState(current, event, 'websocket', AT), state);

/** Freezes `value` and everything it holds, so any write to it throws in strict mode. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

describe('initialJobState', () => {
  it('should be a queued job at 0 % that nothing has delivered yet', () => {
    expect(initialJobState('composition', 'comp_1')).toStrictEqual({
      id: 'comp_1',
      kind: 'composition',
      status: 'queued',
      percentage: 0,
      clips: [],
      transport: 'none',
    });
  });
});

describe('reduceJobState', () => {
  describe('with each event type', () => {
    it('should take percentage, step, message and clip counts from progress', () => {
      const state = reduceJobState(initialJobState('generation', 'gen_1'), progress(31.7, 2), 'websocket', AT);

      expect(state).toMatchObject({
        percentage: 31.7,
        step: 'generating_clip',
        message: 'Generating clip 2 of 3',
        clipNumber: 2,
        totalClips: 3,
        transport: 'websocket',
        updatedAt: AT,
      });
    });

    it('should take percentage, frames and time left from encoding_progress', () => {
      const state = reduceJobState(initialJobState('composition', 'comp_1'), encoding(40), 'polling', AT);

      expect(state).toMatchObject({ percentage: 40, framesProcessed: 400, totalFrames: 1000, estimatedRemaining: 60, transport: 'polling' });
    });

    it('should append each clip_completed, in order', () => {
      const state = fold([clip(1), clip(2)]);

      expect(state.clips).toEqual([clip(1).data, clip(2).data]);
    });

    it('should take the new status and message from status_change', () => {
      const state = fold([statusChange('queued', 'processing', 'Generation started')]);

      expect(state).toMatchObject({ status: 'processing', message: 'Generation started' });
    });

    it('should keep the previous message when status_change carries an empty one', () => {
      const state = fold([progress(10), statusChange('processing', 'processing', '')]);

      expect(state.message).toBe('Generating clip 1 of 3');
    });

    it('should set status completed, 100 % and the final video on completed', () => {
      const state = fold([progress(60), completed]);

      expect(state).toMatchObject({
        status: 'completed',
        percentage: 100,
        videoUrl: '/api/v1/videos/gen_1.mp4',
        thumbnailUrl: '/api/v1/thumbnails/gen_1/1.svg',
        duration: 12,
      });
    });

    it('should record a recoverable error and keep the status', () => {
      const state = fold([statusChange('queued', 'processing', 'Generation started'), error(true)]);

      expect(state).toMatchObject({ status: 'processing', error: error(true).data });
    });

    it('should record a non-recoverable error and fail the job', () => {
      const state = fold([statusChange('queued', 'processing', 'Generation started'), progress(20), error(false)]);

      expect(state).toMatchObject({ status: 'failed', error: error(false).data, percentage: 20 });
    });

    it('should stamp every event with its transport and time', () => {
      const first = reduceJobState(initialJobState('generation', 'gen_1'), clip(1), 'websocket', AT);
      const second = reduceJobState(first, clip(2), 'polling', LATER);

      expect(second).toMatchObject({ transport: 'polling', updatedAt: LATER });
    });
  });

  describe('with progress going backwards', () => {
    it('should never lower the percentage, for progress or encoding_progress', () => {
      expect(fold([progress(50), progress(20)]).percentage).toBe(50);
      expect(fold([encoding(70), encoding(10)], initialJobState('composition', 'comp_1')).percentage).toBe(70);
    });

    it('should still take the rest of a late progress event', () => {
      const state = fold([progress(50, 2), progress(20, 1)]);

      expect(state).toMatchObject({ percentage: 50, clipNumber: 1 });
    });
  });

  describe('immutability', () => {
    it.each<[string, WebSocketEvent]>([
      ['progress', progress(10)],
      ['encoding_progress', encoding(10)],
      ['clip_completed', clip(3)],
      ['status_change', statusChange('processing', 'failed', 'Stopped')],
      ['completed', completed],
      ['error', error(false)],
    ])('should return a new state for %s and leave the old one and the event untouched', (_, event) => {
      const before = deepFreeze(fold([progress(40), clip(1)]));
      const snapshot = structuredClone(before);

      const after = reduceJobState(before, deepFreeze(structuredClone(event)), 'polling', LATER);

      expect(after).not.toBe(before);
      expect(before).toStrictEqual(snapshot);
    });

    it('should give clip_completed a new clips array', () => {
      const before = fold([clip(1)]);

      const after = reduceJobState(before, clip(2), 'websocket', AT);

      expect(after.clips).not.toBe(before.clips);
      expect(before.clips).toHaveLength(1);
    });
  });

  describe('with any sequence of valid events (property)', () => {
    it('should never throw, never lower the percentage and keep it within 0 to 100', () => {
      fc.assert(
        fc.property(fc.constantFrom('generation' as const, 'composition' as const), fc.array(validEvent, { maxLength: 40 }), (kind, events) => {
          let state = deepFreeze(initialJobState(kind, 'job_1'));
          for (const event of events) {
            const next = reduceJobState(state, event, 'websocket', AT);
            expect(next.percentage).toBeGreaterThanOrEqual(state.percentage);
            expect(next.percentage).toBeLessThanOrEqual(100);
            expect(next).not.toBe(state);
            state = deepFreeze(next);
          }
          expect(state.clips).toHaveLength(events.filter((event) => event.type === 'clip_completed').length);
        }),
      );
    });
  });
});
