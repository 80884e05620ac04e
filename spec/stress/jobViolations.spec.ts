import { describe, expect, it } from 'vitest';
import { initialJobState, reduceJobState, type JobState } from '../../src/client/JobState.js';
import { applyEvent, type Composition, type Generation, type JobKind, type WebSocketEvent } from '../../src/protocol/index.js';
import { compositionTimeline, generationTimeline, type CompositionPlan, type GenerationPlan } from '../../src/server/index.js';
import type { FollowedJob } from '../helpers/followJob.js';
import { jobViolations } from '../helpers/jobViolations.js';

// The stress suites pass when this checker finds nothing, so it must find what it claims to.
const plan: GenerationPlan = { id: 'gen_check', clips: 2, stepMs: 1, progressPerClip: 2, clipDuration: 5 };
const timeline = [...generationTimeline(plan)];
const snapshot: Generation = {
  id: plan.id,
  status: 'completed',
  progress: { step: 'finalizing', clip_number: 2, total_clips: 2, percentage: 100, message: 'Finalizing video' },
  clips: timeline.flatMap((event) => (event.type === 'clip_completed' ? [event.data] : [])),
  video_url: `/api/v1/videos/${plan.id}.mp4`,
  thumbnail_url: `/api/v1/thumbnails/${plan.id}/1.svg`,
  duration: 10,
};
const compositionPlan: CompositionPlan = { id: 'comp_check', frames: 40, framesPerStep: 10, stepMs: 1, fps: 30 };
const encoding = [...compositionTimeline(compositionPlan)];
// Folded as the simulator folds it, so it is the server's own final snapshot.
const compositionSnapshot = encoding.reduce<Composition>(applyEvent, { id: compositionPlan.id, status: 'queued' });

function followed(
  events: WebSocketEvent[],
  overrides: Partial<FollowedJob> = {},
  kind: JobKind = 'generation',
  id = kind === 'generation' ? plan.id : compositionPlan.id,
): FollowedJob {
  const states = events.reduce<JobState[]>(
    (all, event) => [...all, reduceJobState(all.at(-1) ?? initialJobState(kind, id), event, 'websocket', new Date(0))],
    [initialJobState(kind, id)],
  );
  return { id, events, states, finished: true, error: undefined, done: Promise.resolve(), stop: () => {}, ...overrides };
}

const without = (type: WebSocketEvent['type']) => timeline.filter((event) => event.type !== type);
const at = (index: number) => timeline[index]!;

describe('jobViolations', () => {
  it('should find nothing in the server timeline itself', () => {
    expect(jobViolations(followed(timeline), snapshot)).toEqual([]);
  });

  it.each([
    { broken: 'a second terminal event', events: [...timeline, at(timeline.length - 1)], found: /2 terminal events/ },
    { broken: 'no terminal event', events: without('completed'), found: /0 terminal events/ },
    { broken: 'a clip twice', events: [...timeline.slice(0, 4), at(3), ...timeline.slice(4)], found: /clips repeated/ },
    { broken: 'a lost clip', events: timeline.filter((event, index) => index !== 3), found: /but the server has/ },
    {
      broken: 'progress going back',
      events: [...timeline.slice(0, 3), at(1), ...timeline.slice(3)],
      found: /progress went back/,
    },
    {
      broken: 'a status going back',
      events: [
        ...timeline.slice(0, 2),
        { type: 'status_change', data: { old_status: 'processing', new_status: 'queued', message: '' } },
        ...timeline.slice(2),
      ],
      found: /status went back/,
    },
  ] satisfies { broken: string; events: WebSocketEvent[]; found: RegExp }[])('should report $broken', ({ events, found }) => {
    expect(jobViolations(followed(events), snapshot).join('\n')).toMatch(found);
  });

  it('should find nothing in a composition timeline, and report its encoding progress going back', () => {
    expect(jobViolations(followed(encoding, {}, 'composition'), compositionSnapshot)).toEqual([]);
    const back = [...encoding.slice(0, 3), encoding[1]!, ...encoding.slice(3)];
    expect(jobViolations(followed(back, {}, 'composition'), compositionSnapshot).join('\n')).toMatch(
      /encoding_progress went back from 50 to 25/,
    );
  });

  it('should report a stream that did not complete, or errored', () => {
    expect(jobViolations(followed(timeline, { finished: false }), snapshot).join()).toMatch(/did not complete/);
    expect(jobViolations(followed(timeline, { finished: false, error: new Error('boom') }), snapshot).join()).toMatch(
      /errored: boom/,
    );
  });

  it('should report a final state that differs from the server', () => {
    expect(jobViolations(followed(timeline), { ...snapshot, status: 'failed' }).join()).toMatch(
      /final status completed, server failed/,
    );
    expect(jobViolations(followed(timeline), { ...snapshot, video_url: '/other.mp4' }).join()).toMatch(/final videoUrl/);
  });
});
