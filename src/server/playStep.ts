import type { WebSocketEvent } from '../protocol/index.js';
import { foldEvent } from './foldEvent.js';
import type { JobRecord } from './JobRecord.js';
import type { JobTimeline } from './JobTimeline.js';

/**
 * The next event of a job's timeline and the record once it went out (step counted, event folded),
 * or `undefined` when the timeline has no step left. Pure: whoever holds a record plays the same step.
 *
 * @example
 * const played = playStep(record, timelineOf(record));
 * if (played) send(played.event);
 */
export function playStep(record: JobRecord, timeline: JobTimeline): { event: WebSocketEvent; record: JobRecord } | undefined {
  const event = timeline.at(record.step);
  if (event === undefined) return undefined;
  return { event, record: foldEvent({ ...record, step: record.step + 1 }, event, timeline) };
}
