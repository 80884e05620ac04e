import type { ClipCompletedEvent, ErrorEvent, JobStatus, WebSocketEvent } from '../protocol/events.js';
import type { JobKind } from '../protocol/resources.js';
import type { Transport } from '../protocol/connection.js';

/** Everything a progress UI shows for one job, folded from its events. */
export interface JobState {
  /** The job's id, as given to `generationState$(id)`. */
  id: string;
  /** `generation` or `composition`. */
  kind: JobKind;
  /** The latest status; `completed`, `failed` and `cancelled` are final. */
  status: JobStatus;
  /** 0 to 100, never decreasing. */
  percentage: number;
  /** Current step (`progress.step`), e.g. `generating_clip`. */
  step?: string;
  /** Latest human message from `progress` or `status_change`. */
  message?: string;
  /** The clip being generated, 1-based (`progress.clip_number`). */
  clipNumber?: number;
  /** Clips the generation will make (`progress.total_clips`). */
  totalClips?: number;
  /** Frames a composition has encoded so far (`encoding_progress.frames_processed`). */
  framesProcessed?: number;
  /** Frames of the whole composition (`encoding_progress.total_frames`). */
  totalFrames?: number;
  /** Seconds left, as the encoder estimates it. */
  estimatedRemaining?: number;
  /** Completed clips, each once, in completion order. */
  clips: ClipCompletedEvent['data'][];
  /** The finished video (`completed.video_url`), checked to be http(s) or root-relative. */
  videoUrl?: string;
  /** Its thumbnail (`completed.thumbnail_url`), checked likewise. */
  thumbnailUrl?: string;
  /** Final video length in seconds. */
  duration?: number;
  /** The latest error; a non-recoverable one also sets `status` to `failed`. */
  error?: ErrorEvent['data'];
  /** What delivered the latest update. */
  transport: Transport;
  /** When the latest update arrived. */
  updatedAt?: Date;
}

/** The state of a job nothing has been heard of yet. */
export function initialJobState(kind: JobKind, id: string): JobState {
  return { id, kind, status: 'queued', percentage: 0, clips: [], transport: 'none' };
}

/**
 * Folds one event into a {@link JobState}. Pure: returns a new state, so React sees a new object
 * exactly when something changed.
 */
export function reduceJobState(state: JobState, event: WebSocketEvent, transport: Transport, updatedAt: Date): JobState {
  const next = { ...state, transport, updatedAt };
  switch (event.type) {
    case 'progress': {
      const { percentage, step, message, clip_number, total_clips } = event.data;
      return {
        ...next,
        percentage: Math.max(state.percentage, percentage),
        step,
        message,
        clipNumber: clip_number,
        totalClips: total_clips,
      };
    }
    case 'encoding_progress': {
      const { percentage, frames_processed, total_frames, estimated_remaining } = event.data;
      return {
        ...next,
        percentage: Math.max(state.percentage, percentage),
        framesProcessed: frames_processed,
        totalFrames: total_frames,
        estimatedRemaining: estimated_remaining,
      };
    }
    case 'clip_completed':
      return { ...next, clips: [...state.clips, event.data] };
    case 'status_change':
      return { ...next, status: event.data.new_status, message: event.data.message || state.message };
    case 'completed': {
      const { video_url, thumbnail_url, duration } = event.data;
      return { ...next, status: 'completed', percentage: 100, videoUrl: video_url, thumbnailUrl: thumbnail_url, duration };
    }
    case 'error':
      return { ...next, error: event.data, status: event.data.recoverable ? state.status : 'failed' };
  }
}
