import type { ReactNode } from 'react';
import type { JobState } from '../client/JobState.js';
import { isSafeUrl } from '../protocol/safeUrl.js';

/** Props of {@link JobProgressView}. */
export interface JobProgressViewProps {
  /** The job to show, e.g. from `useGenerationProgress`. */
  state: JobState;
  /** The progress bar's accessible name. @default `${Kind} ${id}` */
  label?: string;
  /** Added to the root's `jobstream-progress` class. */
  className?: string;
}

/** `queued` → `Queued`: every status and kind reads as its capitalised name. */
const title = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * Renders a {@link JobState}: a progress bar (`role="progressbar"`, 0–100), status and step text,
 * the completed clips, the final video link and the error. URLs are rendered only when they are
 * http(s) or root-relative (`isSafeUrl`), even though the client already validated them: this
 * component may be handed a state that did not come from the wire.
 *
 * Pure (no client needed); `<JobProgress id>` is this wired to the provider.
 *
 * @example
 * <JobProgressView state={useGenerationProgress(id)} label="Trailer" />
 */
export function JobProgressView({ state, label, className }: JobProgressViewProps): ReactNode {
  const percentage = Math.round(Math.min(100, Math.max(0, state.percentage)));
  const status = title(state.status);
  const name = label ?? `${title(state.kind)} ${state.id}`;
  return (
    <section
      className={className ? `jobstream-progress ${className}` : 'jobstream-progress'}
      data-status={state.status}
      data-kind={state.kind}
    >
      <div
        className="jobstream-progress__track"
        role="progressbar"
        aria-label={name}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percentage}
        aria-valuetext={`${percentage}% (${status})`}
      >
        <div className="jobstream-progress__fill" style={{ width: `${percentage}%` }} />
      </div>
      <p className="jobstream-progress__status">{`${status} · ${percentage}%`}</p>
      {(state.step || state.message) && (
        <p className="jobstream-progress__step">{[state.step, state.message].filter(Boolean).join(': ')}</p>
      )}
      {state.clips.length > 0 && (
        <ol className="jobstream-progress__clips">
          {state.clips.map((clip, index) => (
            <li key={clip.clip_id} data-clip-id={clip.clip_id}>
              {isSafeUrl(clip.thumbnail_url) && <img src={clip.thumbnail_url} alt={`Clip ${index + 1}`} />}
              <span>{`Clip ${index + 1} · ${clip.duration} s`}</span>
            </li>
          ))}
        </ol>
      )}
      {state.status === 'completed' && isSafeUrl(state.videoUrl) && (
        <a className="jobstream-progress__video" href={state.videoUrl}>
          Watch the video
        </a>
      )}
      {state.error && (
        <p className="jobstream-progress__error" role="alert" data-code={state.error.code}>
          {state.error.message}
        </p>
      )}
    </section>
  );
}
