import { describe, expect, it } from 'vitest';
import { MAX_CLIPS, parseSnapshot, ValidationError, type JobKind } from '../../src/protocol/index.js';

const CLIP = { clip_id: 'clip_1', thumbnail_url: '/media/c1.jpg', duration: 4 };

const GENERATION = {
  id: 'gen_abc123xyz',
  status: 'processing',
  progress: { step: 'rendering', clip_number: 1, total_clips: 3, percentage: 33.3, message: 'Clip 1 of 3' },
  clips: [CLIP],
};

const COMPOSITION = {
  id: 'comp_1',
  status: 'encoding',
  progress: { percentage: 12, frames_processed: 120, total_frames: 1000, estimated_remaining: 40 },
};

function clips(count: number): (typeof CLIP)[] {
  return Array.from({ length: count }, (_, index) => ({ ...CLIP, clip_id: `clip_${index}` }));
}

function expectInvalid(kind: JobKind, payload: unknown, path: string): void {
  const result = parseSnapshot(kind, payload);

  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error).toBeInstanceOf(ValidationError);
  expect(result.error).toMatchObject({ kind: 'invalid_snapshot', event: kind, path });
  expect(result.error.reason).not.toBe('');
}

describe('parseSnapshot', () => {
  describe('with a generation', () => {
    it('should accept a running generation', () => {
      expect(parseSnapshot('generation', GENERATION)).toEqual({ ok: true, value: GENERATION });
    });

    it('should accept a bare queued generation', () => {
      expect(parseSnapshot('generation', { id: 'g', status: 'queued' })).toEqual({
        ok: true,
        value: { id: 'g', status: 'queued' },
      });
    });

    it('should accept a finished generation with its video', () => {
      const finished = {
        ...GENERATION,
        status: 'completed',
        video_url: 'https://cdn.example.com/g.mp4',
        thumbnail_url: '/media/g.jpg',
        duration: 12,
      };

      expect(parseSnapshot('generation', finished)).toEqual({ ok: true, value: finished });
    });

    it('should accept a failed generation with its error', () => {
      const failed = { id: 'g', status: 'failed', error: { code: 'OOM', message: 'Out of memory' } };

      expect(parseSnapshot('generation', failed)).toEqual({ ok: true, value: failed });
    });

    it(`should accept exactly ${MAX_CLIPS} clips`, () => {
      expect(parseSnapshot('generation', { ...GENERATION, clips: clips(MAX_CLIPS) }).ok).toBe(true);
    });

    it('should strip unknown fields, nested ones too', () => {
      const result = parseSnapshot('generation', {
        ...GENERATION,
        owner: 'someone',
        clips: [{ ...CLIP, secret: 1 }],
      });

      expect(result).toEqual({ ok: true, value: GENERATION });
    });

    // prettier-ignore
    it.each<[string, string, unknown]>([
      ['a bad status',                 'status',                 { ...GENERATION, status: 'encoding' }],
      ['an unknown status',            'status',                 { ...GENERATION, status: 'done' }],
      ['a missing id',                 'id',                     { status: 'queued' }],
      ['an unsafe video_url',          'video_url',              { ...GENERATION, video_url: 'javascript:alert(1)' }],
      ['an unsafe thumbnail_url',      'thumbnail_url',          { ...GENERATION, thumbnail_url: '//evil.example/t.png' }],
      ['an unsafe clip thumbnail',     'clips.1.thumbnail_url',  { ...GENERATION, clips: [CLIP, { ...CLIP, thumbnail_url: 'data:image/png,' }] }],
      ['too many clips',               'clips',                  { ...GENERATION, clips: clips(MAX_CLIPS + 1) }],
      ['clips that are not an array',  'clips',                  { ...GENERATION, clips: { 0: CLIP } }],
      ['a bad progress',               'progress.percentage',    { ...GENERATION, progress: { ...GENERATION.progress, percentage: 101 } }],
      ['a composition progress',       'progress.step',          { ...GENERATION, progress: COMPOSITION.progress }],
      ['a negative duration',          'duration',               { ...GENERATION, duration: -1 }],
      ['an error without a code',      'error.code',             { ...GENERATION, status: 'failed', error: { message: 'x' } }],
      ['a non-object',                 '',                       'gen_abc123xyz'],
    ])('should refuse %s, at %s', (_, path, payload) => {
      expectInvalid('generation', payload, path);
    });
  });

  describe('with a composition', () => {
    it('should accept an encoding composition', () => {
      expect(parseSnapshot('composition', COMPOSITION)).toEqual({ ok: true, value: COMPOSITION });
    });

    it('should drop clips, which compositions do not have', () => {
      expect(parseSnapshot('composition', { ...COMPOSITION, clips: [CLIP] })).toEqual({ ok: true, value: COMPOSITION });
    });

    // prettier-ignore
    it.each<[string, string, unknown]>([
      ['a generation status',          'status',                  { ...COMPOSITION, status: 'processing' }],
      ['cancelled',                    'status',                  { ...COMPOSITION, status: 'cancelled' }],
      ['an unsafe video_url',          'video_url',               { ...COMPOSITION, status: 'completed', video_url: 'vbscript:msgbox' }],
      ['a generation progress',        'progress.frames_processed', { ...COMPOSITION, progress: GENERATION.progress }],
      ['NaN remaining time',           'progress.estimated_remaining', { ...COMPOSITION, progress: { ...COMPOSITION.progress, estimated_remaining: NaN } }],
    ])('should refuse %s, at %s', (_, path, payload) => {
      expectInvalid('composition', payload, path);
    });
  });

  describe('with a hostile payload', () => {
    it('should refuse a revoked Proxy without throwing', () => {
      const { proxy, revoke } = Proxy.revocable({ ...GENERATION }, {});
      revoke();

      expect(() => parseSnapshot('generation', proxy)).not.toThrow();
      expectInvalid('generation', proxy, '');
    });

    it('should refuse a clips array whose getter throws without throwing', () => {
      const payload = Object.defineProperty({ ...GENERATION }, 'clips', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      });

      expect(() => parseSnapshot('generation', payload)).not.toThrow();
      expectInvalid('generation', payload, '');
    });
  });
});
