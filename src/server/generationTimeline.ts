import type { WebSocketEvent } from '../protocol/index.js';
import type { GenerationPlan } from './GenerationOptions.js';
import { mediaUrls } from './mediaUrls.js';

// The last per-clip progress stops short of 100 so `finalizing` is a visible step of its own.
const CLIPS_SHARE = 95;

/**
 * Every event a generation sends, in order, one per step: `status_change` queued → processing;
 * per clip `progressPerClip` × `progress` then `clip_completed`; a last `progress` at 100
 * (`finalizing`) and `completed`. With `failAtClip`, a non-recoverable `error` replaces the
 * start of that clip and ends the list.
 *
 * The list is a pure function of `id` and `plan`, which is what lets a restarted server resume
 * a persisted job at its step index without sending any clip twice.
 *
 * @example
 * const events = generationTimeline('gen_1', { ...DEFAULT_GENERATION_OPTIONS, id: 'gen_1' });
 */
export function generationTimeline(id: string, plan: GenerationPlan): WebSocketEvent[] {
  const { clips, progressPerClip, failAtClip, clipDuration } = plan;
  const events: WebSocketEvent[] = [
    { type: 'status_change', data: { old_status: 'queued', new_status: 'processing', message: 'Generation started' } },
  ];
  for (let clip = 1; clip <= clips; clip++) {
    if (clip === failAtClip) {
      const message = `Clip ${clip} of ${clips} could not be generated`;
      events.push({ type: 'error', data: { code: 'GENERATION_FAILED', message, recoverable: false } });
      return events;
    }
    for (let step = 1; step <= progressPerClip; step++) {
      const done = (clip - 1) * progressPerClip + step;
      const percentage = Math.round((done / (clips * progressPerClip)) * CLIPS_SHARE * 10) / 10;
      events.push({
        type: 'progress',
        data: {
          step: 'generating_clip',
          clip_number: clip,
          total_clips: clips,
          percentage,
          message: `Generating clip ${clip} of ${clips}`,
        },
      });
    }
    const clip_id = `${id}_clip_${clip}`;
    events.push({
      type: 'clip_completed',
      data: { clip_id, thumbnail_url: mediaUrls.thumbnail(id, clip), duration: clipDuration },
    });
  }
  events.push(
    {
      type: 'progress',
      data: { step: 'finalizing', clip_number: clips, total_clips: clips, percentage: 100, message: 'Finalizing video' },
    },
    {
      type: 'completed',
      data: { video_url: mediaUrls.video(id), thumbnail_url: mediaUrls.thumbnail(id, 1), duration: clips * clipDuration },
    },
  );
  return events;
}
