import { useId, type ReactNode } from 'react';
import { JobProgressView, useJobEvents, useJobState, useOutbox } from '../../src/react/index.js';
import type { WatchedJob } from './jobList.js';
import { useToast } from './Toasts.js';

/** Props of {@link JobCard}. */
export interface JobCardProps {
  job: WatchedJob;
  onRemove: (id: string) => void;
}

const ENDED = new Set(['completed', 'failed', 'cancelled']);
// A job's error replays when its card mounts again (a reload, a second tab); toast it once per page.
const toasted = new Set<string>();

/**
 * One watched job: its live progress (`JobProgressView` over `useJobState`, which is what
 * `<JobProgress>` renders), what delivered the last update, and Cancel, which goes through the
 * client's outbox: queued while the socket is down, sent once it is back, applied once.
 */
export function JobCard({ job, onRemove }: JobCardProps): ReactNode {
  const state = useJobState(job.kind, job.id);
  const { messages, send } = useOutbox();
  const toast = useToast();
  const headingId = useId();
  const name = `${job.kind === 'generation' ? 'Generation' : 'Composition'} ${job.id}`;
  const idField = `${job.kind}_id`;

  useJobEvents(
    job.id,
    {
      onError: ({ code, message }) => {
        const key = `${job.id}:${code}`;
        // A cancelled composition ends with a CANCELLED error: the user asked for it.
        if (code === 'CANCELLED' || toasted.has(key)) return;
        toasted.add(key);
        toast(`${name}: ${message}`);
      },
    },
    { kind: job.kind },
  );

  const ended = ENDED.has(state.status);
  const cancelQueued = messages.some(
    ({ event, data }) => event === 'cancel' && (data as Record<string, unknown> | null)?.[idField] === job.id,
  );

  return (
    <article className="job" data-job-id={job.id} data-kind={job.kind} data-status={state.status} aria-labelledby={headingId}>
      <header className="job__header">
        <h3 id={headingId}>
          {job.kind === 'generation' ? 'Generation' : 'Composition'} <code>{job.id}</code>
        </h3>
        <span className="job__via" data-transport={state.transport}>
          {state.transport === 'none' ? 'waiting for news' : `via ${state.transport}`}
        </span>
      </header>
      <JobProgressView state={state} label={name} />
      {state.totalFrames !== undefined && !ended && (
        <p className="job__frames">
          {`${state.framesProcessed ?? 0} of ${state.totalFrames} frames`}
          {state.estimatedRemaining !== undefined && ` · about ${Math.ceil(state.estimatedRemaining)} s left`}
        </p>
      )}
      <div className="job__actions">
        {!ended && (
          // aria-disabled, not disabled: a disabled button would drop keyboard focus to the page.
          <button
            type="button"
            onClick={() => cancelQueued || send('cancel', { [idField]: job.id })}
            aria-disabled={cancelQueued}
            aria-label={`Cancel ${name}`}
          >
            Cancel
          </button>
        )}
        {cancelQueued && (
          <span className="job__note" role="status">
            Cancel waiting to sync
          </span>
        )}
        <button type="button" className="button--quiet" onClick={() => onRemove(job.id)} aria-label={`Stop watching ${name}`}>
          Stop watching
        </button>
      </div>
    </article>
  );
}
