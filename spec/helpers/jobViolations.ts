import type { Generation, JobSnapshot, JobStatus } from '../../src/protocol/index.js';
import { isTerminalEvent } from '../../src/protocol/index.js';
import type { FollowedJob } from './followJob.js';

const RANK: Record<JobStatus, number> = { queued: 0, processing: 1, encoding: 1, completed: 2, failed: 2, cancelled: 2 };

/**
 * Every promise of the stream semantics that `job` broke, compared with the server's final
 * `snapshot` of it; `[]` when it kept them all:
 *
 * - the streams completed, without error, after exactly one terminal event, which came last;
 * - percentages of `progress` (a generation's) and of `encoding_progress` (a composition's)
 *   never went down, and statuses never went back;
 * - each clip arrived exactly once, and the clips are the server's, in its order (a
 *   composition has none, so both lists must be empty);
 * - the final `JobState` has the server's status, clips and video URL.
 *
 * Returned as text rather than thrown, so one run can report every job that failed.
 */
export function jobViolations(job: FollowedJob, snapshot: JobSnapshot | undefined): string[] {
  const problems: string[] = [];
  const { events, states } = job;
  if (!snapshot) return [`the server does not know job ${job.id}`];
  if (job.error !== undefined)
    problems.push(`a stream errored: ${job.error instanceof Error ? job.error.message : JSON.stringify(job.error)}`);
  else if (!job.finished) problems.push(`the streams did not complete (last state ${describe(states.at(-1))})`);

  const terminals = events.filter(isTerminalEvent);
  if (terminals.length !== 1) problems.push(`${terminals.length} terminal events`);
  else if (!isTerminalEvent(events.at(-1) ?? events[0]!)) problems.push('the terminal event is not the last');

  for (const type of ['progress', 'encoding_progress'] as const) {
    const percentages = events.flatMap((event) => (event.type === type ? [event.data.percentage] : []));
    const back = percentages.findIndex((value, index) => index > 0 && value < (percentages[index - 1] ?? 0));
    if (back > 0) problems.push(`${type} went back from ${percentages[back - 1]} to ${percentages[back]}`);
  }

  const statuses = events.flatMap((event) => (event.type === 'status_change' ? [event.data.new_status] : []));
  const backStatus = statuses.findIndex((status, index) => index > 0 && RANK[status] < RANK[statuses[index - 1] ?? 'queued']);
  if (backStatus > 0) problems.push(`status went back: ${statuses.join(' → ')}`);

  const clips = events.flatMap((event) => (event.type === 'clip_completed' ? [event.data.clip_id] : []));
  const serverClips = ((snapshot as Generation).clips ?? []).map((clip) => clip.clip_id);
  const repeated = clips.filter((clip, index) => clips.indexOf(clip) !== index);
  if (repeated.length > 0) problems.push(`clips repeated: ${repeated.join(', ')}`);
  if (clips.join() !== serverClips.join())
    problems.push(`clips [${clips.join(', ')}] but the server has [${serverClips.join(', ')}]`);

  const final = states.at(-1);
  if (!final) problems.push('no state');
  else {
    if (final.status !== snapshot.status) problems.push(`final status ${final.status}, server ${snapshot.status}`);
    if (JSON.stringify(final.clips) !== JSON.stringify((snapshot as Generation).clips ?? []))
      problems.push('final clips differ from the server');
    if (final.videoUrl !== snapshot.video_url) problems.push(`final videoUrl ${final.videoUrl}, server ${snapshot.video_url}`);
  }
  return problems;
}

function describe(state: { status: string; percentage: number; clips: unknown[]; transport: string } | undefined): string {
  return state ? `${state.status} ${state.percentage}% ${state.clips.length} clips via ${state.transport}` : 'none';
}
