import { describe, expect, it } from 'vitest';
import {
  isProgressEvent,
  isTerminalEvent,
  isTerminalStatus,
  type JobStatus,
  type WebSocketEvent,
} from '../../src/protocol/index.js';

function statusChange(old_status: JobStatus, new_status: JobStatus): WebSocketEvent {
  return { type: 'status_change', data: { old_status, new_status, message: '' } };
}

const PROGRESS: WebSocketEvent = {
  type: 'progress',
  data: { step: 's', clip_number: 1, total_clips: 2, percentage: 50, message: '' },
};
const ENCODING: WebSocketEvent = {
  type: 'encoding_progress',
  data: { percentage: 50, frames_processed: 1, total_frames: 2, estimated_remaining: 1 },
};
const CLIP: WebSocketEvent = { type: 'clip_completed', data: { clip_id: 'c', thumbnail_url: '/t.png', duration: 1 } };
const COMPLETED: WebSocketEvent = {
  type: 'completed',
  data: { video_url: '/v.mp4', thumbnail_url: '/t.png', duration: 1 },
};
const FATAL: WebSocketEvent = { type: 'error', data: { code: 'X', message: '', recoverable: false } };
const RECOVERABLE: WebSocketEvent = { type: 'error', data: { code: 'X', message: '', recoverable: true } };

describe('isTerminalStatus', () => {
  // prettier-ignore
  it.each<[JobStatus, boolean]>([
    ['queued',     false],
    ['processing', false],
    ['encoding',   false],
    ['completed',  true],
    ['failed',     true],
    ['cancelled',  true],
  ])('should say %s is terminal: %s', (status, terminal) => {
    expect(isTerminalStatus(status)).toBe(terminal);
  });
});

describe('isTerminalEvent', () => {
  // prettier-ignore
  it.each<[string, WebSocketEvent, boolean]>([
    ['completed',                          COMPLETED,                                true],
    ['a non-recoverable error',            FATAL,                                    true],
    ['a status_change to failed',          statusChange('processing', 'failed'),     true],
    ['a status_change to cancelled',       statusChange('queued', 'cancelled'),      true],
    ['a status_change to completed',       statusChange('processing', 'completed'),  false],
    ['a status_change to processing',      statusChange('queued', 'processing'),     false],
    ['a status_change to encoding',        statusChange('queued', 'encoding'),       false],
    ['a status_change from failed',        statusChange('failed', 'processing'),     false],
    ['a recoverable error',                RECOVERABLE,                              false],
    ['progress',                           PROGRESS,                                 false],
    ['encoding_progress',                  ENCODING,                                 false],
    ['clip_completed',                     CLIP,                                     false],
  ])('should say %s is terminal: %s', (_, event, terminal) => {
    expect(isTerminalEvent(event)).toBe(terminal);
  });
});

describe('isProgressEvent', () => {
  // prettier-ignore
  it.each<[string, { type: string }, boolean]>([
    ['progress',          PROGRESS,                              true],
    ['encoding_progress', ENCODING,                              true],
    ['clip_completed',    CLIP,                                  false],
    ['status_change',     statusChange('queued', 'processing'),  false],
    ['completed',         COMPLETED,                             false],
    ['error',             RECOVERABLE,                           false],
    ['an unknown type',   { type: 'progress_report' },           false],
  ])('should say %s is progress: %s', (_, event, progress) => {
    expect(isProgressEvent(event)).toBe(progress);
  });
});
