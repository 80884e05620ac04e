import { describe, expect, it } from 'vitest';
import { isNewEvent } from '../../src/compat/isNewEvent.js';
import type { Generation, WebSocketEvent } from '../../src/protocol/index.js';

const progress = (percentage: number, step = 'generating_clip'): WebSocketEvent => ({
  type: 'progress',
  data: { step, clip_number: 1, total_clips: 2, percentage, message: '' },
});
const clip = (clip_id: string): WebSocketEvent => ({ type: 'clip_completed', data: { clip_id, thumbnail_url: '/t.svg', duration: 5 } });
const completed: WebSocketEvent = { type: 'completed', data: { video_url: '/v.mp4', thumbnail_url: '/t.svg', duration: 10 } };

const processing: Generation = {
  id: 'gen_1',
  status: 'processing',
  progress: { step: 'generating_clip', clip_number: 1, total_clips: 2, percentage: 40, message: '' },
  clips: [{ clip_id: 'c1', thumbnail_url: '/t.svg', duration: 5 }],
};

describe('isNewEvent', () => {
  it.each<[string, Generation, WebSocketEvent, boolean]>([
    ['a higher progress', processing, progress(50), true],
    ['the same progress again', processing, progress(40), false],
    ['the same percentage at another step', processing, progress(40, 'stitching'), true],
    ['a lower progress', processing, progress(30), false],
    ['a first progress', { id: 'gen_1', status: 'queued' }, progress(0), true],
    ['an unseen clip', processing, clip('c2'), true],
    ['a clip already seen', processing, clip('c1'), false],
    ['a status change to the status seen', processing, { type: 'status_change', data: { old_status: 'queued', new_status: 'processing', message: '' } }, false],
    ['a status change to another status', processing, { type: 'status_change', data: { old_status: 'processing', new_status: 'completed', message: '' } }, true],
    ['completed, while processing', processing, completed, true],
    ['completed, after a status change to completed', { ...processing, status: 'completed' }, completed, true],
    ['completed, once the video is known', { ...processing, status: 'completed', video_url: '/v.mp4' }, completed, false],
    ['anything after a failure', { ...processing, status: 'failed' }, progress(90), false],
    ['a recoverable error', processing, { type: 'error', data: { code: 'SLOW', message: '', recoverable: true } }, true],
  ])('should judge %s', (_, seen, event, expected) => {
    expect(isNewEvent(seen, event)).toBe(expected);
  });
});
