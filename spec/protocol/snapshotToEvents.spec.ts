import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  isTerminalEvent,
  JOB_FAILED,
  parseEvent,
  parseSnapshot,
  snapshotToEvents,
  type Composition,
  type Generation,
  type JobSnapshot,
  type WebSocketEvent,
} from '../../src/protocol/index.js';
import { timeline } from './arbitraries.js';

const PROGRESS = { step: 'rendering', clip_number: 1, total_clips: 2, percentage: 50, message: 'Clip 1 of 2' };
const CLIP_1 = { clip_id: 'c1', thumbnail_url: '/media/c1.jpg', duration: 4 };
const CLIP_2 = { clip_id: 'c2', thumbnail_url: '/media/c2.jpg', duration: 5 };
const VIDEO = { video_url: '/media/g.mp4', thumbnail_url: '/media/g.jpg', duration: 9 };
const ENCODING = { percentage: 20, frames_processed: 200, total_frames: 1000, estimated_remaining: 8 };

const queued: Generation = { id: 'g', status: 'queued' };
const processing: Generation = { id: 'g', status: 'processing', progress: PROGRESS, clips: [CLIP_1] };

function fold(events: readonly WebSocketEvent[], from: JobSnapshot): JobSnapshot {
  return events.reduce<JobSnapshot>(applyEvent, from);
}

describe('snapshotToEvents', () => {
  describe('with no previous snapshot', () => {
    it('should start from a queued job', () => {
      expect(snapshotToEvents(undefined, queued)).toEqual([]);
      expect(snapshotToEvents(undefined, { id: 'g', status: 'processing' })).toEqual([
        { type: 'status_change', data: { old_status: 'queued', new_status: 'processing', message: '' } },
      ]);
    });

    it('should replay a running job as status, progress, then clips', () => {
      expect(snapshotToEvents(undefined, { ...processing, clips: [CLIP_1, CLIP_2] })).toEqual([
        { type: 'status_change', data: { old_status: 'queued', new_status: 'processing', message: '' } },
        { type: 'progress', data: PROGRESS },
        { type: 'clip_completed', data: CLIP_1 },
        { type: 'clip_completed', data: CLIP_2 },
      ]);
    });
  });

  describe('with a previous snapshot', () => {
    it('should emit a status_change from queued to processing', () => {
      expect(snapshotToEvents(queued, { id: 'g', status: 'processing' })).toEqual([
        { type: 'status_change', data: { old_status: 'queued', new_status: 'processing', message: '' } },
      ]);
    });

    it('should emit only the clips not seen yet, once each', () => {
      const next: Generation = { ...processing, clips: [CLIP_1, CLIP_2, CLIP_2] };

      expect(snapshotToEvents(processing, next)).toEqual([{ type: 'clip_completed', data: CLIP_2 }]);
    });

    it('should emit progress only when it changed', () => {
      const next: Generation = { ...processing, progress: { ...PROGRESS, percentage: 75 } };

      expect(snapshotToEvents(processing, { ...processing, progress: { ...PROGRESS } })).toEqual([]);
      expect(snapshotToEvents(processing, next)).toEqual([{ type: 'progress', data: next.progress }]);
    });

    it('should emit completed last', () => {
      const done: Generation = { ...processing, status: 'completed', clips: [CLIP_1, CLIP_2], ...VIDEO };

      const events = snapshotToEvents(processing, done);

      expect(events).toEqual([
        { type: 'clip_completed', data: CLIP_2 },
        { type: 'completed', data: VIDEO },
      ]);
    });

    it('should emit a non-recoverable error carrying the snapshot error', () => {
      const failed: Generation = { ...processing, status: 'failed', error: { code: 'OOM', message: 'Out of memory' } };

      expect(snapshotToEvents(processing, failed)).toEqual([
        { type: 'error', data: { code: 'OOM', message: 'Out of memory', recoverable: false } },
      ]);
    });

    it('should emit a non-recoverable JOB_FAILED error when the snapshot has none', () => {
      const [event, ...rest] = snapshotToEvents(processing, { ...processing, status: 'failed' });

      expect(rest).toEqual([]);
      expect(event).toMatchObject({ type: 'error', data: { code: JOB_FAILED, recoverable: false } });
      expect(event && isTerminalEvent(event)).toBe(true);
    });

    it('should emit a status_change to cancelled', () => {
      expect(snapshotToEvents(processing, { ...processing, status: 'cancelled' })).toEqual([
        { type: 'status_change', data: { old_status: 'processing', new_status: 'cancelled', message: '' } },
      ]);
    });

    it('should emit nothing for an identical snapshot', () => {
      expect(snapshotToEvents(processing, structuredClone(processing))).toEqual([]);
    });

    it.each<Generation>([
      { ...processing, status: 'completed', ...VIDEO },
      { ...processing, status: 'failed', error: { code: 'OOM', message: 'x' } },
      { ...processing, status: 'cancelled' },
    ])('should emit nothing once the previous snapshot was $status', (previous) => {
      const later: Generation = { ...previous, clips: [CLIP_1, CLIP_2], progress: { ...PROGRESS, percentage: 99 } };

      expect(snapshotToEvents(previous, later)).toEqual([]);
    });

    it('should turn composition progress into encoding_progress', () => {
      const composition: Composition = { id: 'c', status: 'encoding', progress: ENCODING };

      expect(snapshotToEvents({ id: 'c', status: 'encoding' }, composition)).toEqual([
        { type: 'encoding_progress', data: ENCODING },
      ]);
    });

    describe('with a completion reported before its video', () => {
      const completing: Generation = { ...processing, status: 'completed' };
      const completed: Generation = { ...completing, ...VIDEO };

      it('should move the status on without a terminal event', () => {
        const events = snapshotToEvents(processing, completing);

        expect(events).toEqual([
          { type: 'status_change', data: { old_status: 'processing', new_status: 'completed', message: '' } },
        ]);
        expect(events.some(isTerminalEvent)).toBe(false);
      });

      it('should not repeat that status_change for the same snapshot', () => {
        expect(snapshotToEvents(completing, structuredClone(completing))).toEqual([]);
      });

      it('should still deliver completed once the video is there', () => {
        expect(snapshotToEvents(completing, completed)).toEqual([{ type: 'completed', data: VIDEO }]);
      });
    });
  });

  describe('properties', () => {
    it('should replay any stretch of a job timeline exactly, as valid events, ending at most once', () => {
      const stretch = timeline.chain((job) =>
        fc
          .tuple(fc.nat(job.events.length), fc.nat(job.events.length))
          .map(([a, b]) => ({ job, from: Math.min(a, b), to: Math.max(a, b) })),
      );

      fc.assert(
        fc.property(stretch, ({ job, from, to }) => {
          const initial: JobSnapshot = { id: job.id, status: 'queued' };
          const states = job.events.reduce<JobSnapshot[]>((acc, event) => [...acc, applyEvent(acc.at(-1)!, event)], [
            initial,
          ]);
          const previous = from === 0 ? undefined : states[from]!;
          const snapshot = states[to]!;
          const ended = (index: number) => job.terminalIndex !== undefined && index > job.terminalIndex;

          const events = snapshotToEvents(previous, snapshot);

          // The server's own states are valid snapshots, so the property runs on realistic inputs.
          expect(parseSnapshot(job.kind, JSON.parse(JSON.stringify(snapshot)))).toEqual({ ok: true, value: snapshot });
          expect(fold(events, previous ?? initial)).toEqual(snapshot);
          for (const event of events) {
            expect(parseEvent(event.type, JSON.parse(JSON.stringify(event.data)))).toEqual({ ok: true, value: event });
          }
          const terminals = events.filter(isTerminalEvent);
          expect(terminals.length).toBeLessThanOrEqual(1);
          if (terminals.length === 1) expect(events.at(-1)).toBe(terminals[0]);
          // A job that ended while the client was away shows as ended; one still running does not.
          expect(terminals.length).toBe(ended(to) && !ended(from) ? 1 : 0);

          const twice = fold([...events, ...events], previous ?? initial);
          const clipIds = 'clips' in twice ? (twice.clips ?? []).map((clip) => clip.clip_id) : [];
          expect(new Set(clipIds).size).toBe(clipIds.length);
          expect(twice).toEqual(snapshot);
          expect(snapshotToEvents(snapshot, snapshot)).toEqual([]);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
