import { applyEvent, isTerminalEvent, type WebSocketEvent } from '../protocol/index.js';
import type { JobRecord } from './JobRecord.js';
import type { JobTimeline } from './JobTimeline.js';

/**
 * A job's record once `event` went out: folded into the snapshot, and `done` when the event ends
 * the job or the timeline has no step left. Pure, so the simulator and the cluster node holding a
 * job's lease advance a record by the same rule.
 *
 * @example
 * record = foldEvent(record, cancelEvent(record), timelineOf(record));
 */
export function foldEvent(record: JobRecord, event: WebSocketEvent, timeline: JobTimeline): JobRecord {
  const done = isTerminalEvent(event) || record.step >= timeline.length;
  return { ...record, snapshot: applyEvent(record.snapshot, event), state: done ? 'done' : record.state };
}
