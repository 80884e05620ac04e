import type { CompositionPlan } from './CompositionOptions.js';
import { lazyTimeline, type JobTimeline } from './JobTimeline.js';
import { mediaUrls } from './mediaUrls.js';

/**
 * A composition's timeline, one event per step: `status_change` queued → encoding, one
 * `encoding_progress` per `framesPerStep` frames, then `completed`. With `failAtFrame`, the first
 * step that would reach that frame sends a non-recoverable `error` and ends the timeline.
 *
 * Each step is computed on demand from `plan` (and `origin`) alone, so a persisted job resumes at
 * its step index.
 *
 * @param origin Prefix of the media URLs: `''` for root-relative ones.
 * @example
 * const timeline = compositionTimeline({ ...DEFAULT_COMPOSITION_OPTIONS, id: 'comp_1' });
 * timeline.at(1); // { type: 'encoding_progress', data: { percentage: 10, frames_processed: 10, … } }
 */
export function compositionTimeline(plan: CompositionPlan, origin = ''): JobTimeline {
  const { id, frames, framesPerStep, stepMs, failAtFrame, fps } = plan;
  const media = mediaUrls(origin);
  const steps = Math.ceil(frames / framesPerStep);
  // The first encoding step whose frame count reaches `failAtFrame` (0 included) fails instead.
  const failsAt =
    failAtFrame !== undefined && failAtFrame <= frames ? Math.max(1, Math.ceil(failAtFrame / framesPerStep)) : undefined;
  const length = failsAt === undefined ? 1 + steps + 1 : 1 + failsAt;

  return lazyTimeline(length, (step) => {
    if (step === 0) {
      return { type: 'status_change', data: { old_status: 'queued', new_status: 'encoding', message: 'Encoding started' } };
    }
    if (step === failsAt) {
      const message = `Encoding failed at frame ${failAtFrame} of ${frames}`;
      return { type: 'error', data: { code: 'COMPOSITION_FAILED', message, recoverable: false } };
    }
    if (step > steps) {
      return {
        type: 'completed',
        data: { video_url: media.video(id), thumbnail_url: media.thumbnail(id, 1), duration: frames / fps },
      };
    }
    const framesProcessed = Math.min(step * framesPerStep, frames);
    const data = {
      percentage: Math.round((framesProcessed / frames) * 1000) / 10,
      frames_processed: framesProcessed,
      total_frames: frames,
      estimated_remaining: ((steps - step + 1) * stepMs) / 1000,
    };
    return { type: 'encoding_progress', data };
  });
}
