import { describe, expect, it } from 'vitest';
import { generationTimeline, DEFAULT_GENERATION_OPTIONS } from '../../src/server/index.js';
import { applyEvent, parseEvent, parseSnapshot, type JobSnapshot } from '../../src/protocol/index.js';

const plan = (overrides = {}) => ({ ...DEFAULT_GENERATION_OPTIONS, id: 'gen_1', ...overrides });
const fold = (events: ReturnType<typeof generationTimeline>): JobSnapshot =>
  events.reduce<JobSnapshot>((snapshot, event) => applyEvent(snapshot, event), { id: 'gen_1', status: 'queued' });

describe('generationTimeline', () => {
  describe('with the defaults', () => {
    const events = generationTimeline('gen_1', plan());

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
      const events = generationTimeline('gen_1', plan({ clips: 3, progressPerClip: 1, failAtClip: 3 }));
      expect(events.map((event) => event.type)).toEqual([
        'status_change', 'progress', 'clip_completed', 'progress', 'clip_completed', 'error',
      ]);
      expect(fold(events)).toMatchObject({ status: 'failed', error: { code: 'GENERATION_FAILED' } });
    });

    it('should never fail past the last clip', () => {
      expect(generationTimeline('gen_1', plan({ failAtClip: 4 })).at(-1)?.type).toBe('completed');
    });
  });
});
