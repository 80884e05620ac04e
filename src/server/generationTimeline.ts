import type { WebSocketEvent } from '../protocol/index.js';
import type { GenerationPlan } from './GenerationOptions.js';
import { lazyTimeline, type JobTimeline } from './JobTimeline.js';
import { mediaUrls } from './mediaUrls.js';

// The last per-clip progress stops short of 100 so `finalizing` is a visible step of its own.
const CLIPS_SHARE = 95;

/**
 * A generation's timeline, one event per step: `status_change` queued → processing; per clip
 * `progressPerClip` × `progress` then `clip_completed`; a last `progress` at 100 (`finalizing`)
 * and `completed`. With `failAtClip`, a non-recoverable `error` replaces the start of that clip
 * and ends the timeline.
 *
 * Each step is computed on demand from `plan` (and `origin`) alone, which is what lets a restarted
 * server resume a persisted job at its step index without sending any clip twice.
 *
 * @param origin Prefix of the media URLs: `''` for root-relative ones.
 * @example
 * const timeline = generationTimeline({ ...DEFAULT_GENERATION_OPTIONS, id: 'gen_1' });
 * timeline.at(0); // { type: 'status_change', data: { old_status: 'queued', new_status: 'processing', … } }
 */
export function generationTimeline(plan: GenerationPlan, origin = ''): JobTimeline {
  const { id, clips, progressPerClip, failAtClip, clipDuration } = plan;
  const media = mediaUrls(origin);
  const perClip = progressPerClip + 1;
  const failsAt = failAtClip !== undefined && failAtClip <= clips ? failAtClip : undefined;
  // Start, then whole clips up to the failing one and its error, or every clip, finalizing and completed.
  const length = failsAt === undefined ? 1 + clips * perClip + 2 : 1 + (failsAt - 1) * perClip + 1;

  function clipStep(clip: number, within: number): WebSocketEvent {
    if (within === progressPerClip) {
      return {
        type: 'clip_completed',
        data: { clip_id: `${id}_clip_${clip}`, thumbnail_url: media.thumbnail(id, clip), duration: clipDuration },
      };
    }
    const done = (clip - 1) * progressPerClip + within + 1;
    const percentage = Math.round((done / (clips * progressPerClip)) * CLIPS_SHARE * 10) / 10;
    const message = `Generating clip ${clip} of ${clips}`;
    return { type: 'progress', data: { step: 'generating_clip', clip_number: clip, total_clips: clips, percentage, message } };
  }

  return lazyTimeline(length, (step) => {
    if (step === 0) {
      return { type: 'status_change', data: { old_status: 'queued', new_status: 'processing', message: 'Generation started' } };
    }
    if (failsAt !== undefined && step === length - 1) {
      const message = `Clip ${failsAt} of ${clips} could not be generated`;
      return { type: 'error', data: { code: 'GENERATION_FAILED', message, recoverable: false } };
    }
    const clip = Math.floor((step - 1) / perClip) + 1;
    if (clip <= clips) return clipStep(clip, (step - 1) % perClip);
    if (step === length - 2) {
      const data = { step: 'finalizing', clip_number: clips, total_clips: clips, percentage: 100, message: 'Finalizing video' };
      return { type: 'progress', data };
    }
    const data = { video_url: media.video(id), thumbnail_url: media.thumbnail(id, 1), duration: clips * clipDuration };
    return { type: 'completed', data };
  });
}
