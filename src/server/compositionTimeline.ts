import type { WebSocketEvent } from '../protocol/index.js';
import type { CompositionPlan } from './CompositionOptions.js';
import { mediaUrls } from './mediaUrls.js';

/**
 * Every event a composition sends, in order, one per step: `status_change` queued → encoding,
 * one `encoding_progress` per `framesPerStep` frames, then `completed`. With `failAtFrame`, the
 * first step that would reach that frame sends a non-recoverable `error` and ends the list.
 *
 * A pure function of `id` and `plan`, so a persisted job resumes at its step index.
 *
 * @example
 * const events = compositionTimeline('comp_1', { ...DEFAULT_COMPOSITION_OPTIONS, id: 'comp_1' });
 */
export function compositionTimeline(id: string, plan: CompositionPlan): WebSocketEvent[] {
  const { frames, framesPerStep, stepMs, failAtFrame, fps } = plan;
  const steps = Math.ceil(frames / framesPerStep);
  const events: WebSocketEvent[] = [
    { type: 'status_change', data: { old_status: 'queued', new_status: 'encoding', message: 'Encoding started' } },
  ];
  for (let step = 1; step <= steps; step++) {
    const framesProcessed = Math.min(step * framesPerStep, frames);
    if (failAtFrame !== undefined && framesProcessed >= failAtFrame) {
      const message = `Encoding failed at frame ${failAtFrame} of ${frames}`;
      events.push({ type: 'error', data: { code: 'COMPOSITION_FAILED', message, recoverable: false } });
      return events;
    }
    events.push({
      type: 'encoding_progress',
      data: {
        percentage: Math.round((framesProcessed / frames) * 1000) / 10,
        frames_processed: framesProcessed,
        total_frames: frames,
        estimated_remaining: ((steps - step + 1) * stepMs) / 1000,
      },
    });
  }
  events.push({
    type: 'completed',
    data: { video_url: mediaUrls.video(id), thumbnail_url: mediaUrls.thumbnail(id, 1), duration: frames / fps },
  });
  return events;
}
