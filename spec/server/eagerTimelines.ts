// The timelines as they were built before they became lazy (issue 14): every event in one array.
// Kept as the oracle of the lazy ones, event for event, so a state file written by an older server
// resumes with the same events, and a node taking a job over sends what the first one would have.
import type { WebSocketEvent } from '../../src/protocol/index.js';
import type { CompositionPlan, GenerationPlan } from '../../src/server/index.js';

const thumbnail = (id: string, clip: number) => `/api/v1/thumbnails/${encodeURIComponent(id)}/${clip}.svg`;
const video = (id: string) => `/api/v1/videos/${encodeURIComponent(id)}.mp4`;

export function eagerGeneration(id: string, plan: GenerationPlan): WebSocketEvent[] {
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
      const percentage = Math.round((done / (clips * progressPerClip)) * 95 * 10) / 10;
      const message = `Generating clip ${clip} of ${clips}`;
      events.push({ type: 'progress', data: { step: 'generating_clip', clip_number: clip, total_clips: clips, percentage, message } });
    }
    events.push({ type: 'clip_completed', data: { clip_id: `${id}_clip_${clip}`, thumbnail_url: thumbnail(id, clip), duration: clipDuration } });
  }
  events.push(
    { type: 'progress', data: { step: 'finalizing', clip_number: clips, total_clips: clips, percentage: 100, message: 'Finalizing video' } },
    { type: 'completed', data: { video_url: video(id), thumbnail_url: thumbnail(id, 1), duration: clips * clipDuration } },
  );
  return events;
}

export function eagerComposition(id: string, plan: CompositionPlan): WebSocketEvent[] {
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
    const percentage = Math.round((framesProcessed / frames) * 1000) / 10;
    const estimated_remaining = ((steps - step + 1) * stepMs) / 1000;
    events.push({ type: 'encoding_progress', data: { percentage, frames_processed: framesProcessed, total_frames: frames, estimated_remaining } });
  }
  events.push({ type: 'completed', data: { video_url: video(id), thumbnail_url: thumbnail(id, 1), duration: frames / fps } });
  return events;
}
