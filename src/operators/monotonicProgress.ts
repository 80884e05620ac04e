import { defer, filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { JobStatus, WebSocketEvent } from '../protocol/events.js';

/**
 * Drops what would make a progress display lie or stutter: progress lower than the highest seen,
 * a progress identical to the previous one (a resync replaying the same snapshot), a clip already
 * seen, and a `status_change` to the status the job already has. Everything else passes in order.
 * State is kept per subscription.
 *
 * @example
 * merge(live$, resync$).pipe(monotonicProgress()).subscribe(render);
 */
export function monotonicProgress<T extends WebSocketEvent>(): MonoTypeOperatorFunction<T> {
  return (source) =>
    defer(() => {
      const isNew = createProgressGate();
      return source.pipe(filter((event) => isNew(event)));
    });
}

function createProgressGate(): (event: WebSocketEvent) => boolean {
  let highest = -Infinity;
  let lastProgress: Record<string, unknown> | undefined;
  let status: JobStatus | undefined;
  const clips = new Set<string>();

  return (event) => {
    switch (event.type) {
      case 'progress':
      case 'encoding_progress': {
        const { data } = event;
        if (data.percentage < highest || (lastProgress && sameFields(data, lastProgress))) return false;
        highest = data.percentage;
        lastProgress = data;
        return true;
      }
      case 'clip_completed':
        if (clips.has(event.data.clip_id)) return false;
        clips.add(event.data.clip_id);
        return true;
      case 'status_change':
        if (event.data.new_status === status) return false;
        status = event.data.new_status;
        return true;
      default:
        return true;
    }
  };
}

function sameFields(a: object, b: Record<string, unknown>): boolean {
  // for…in, not Object.entries: this runs on every progress event and must not allocate.
  for (const key in a) if ((a as Record<string, unknown>)[key] !== b[key]) return false;
  return true;
}
