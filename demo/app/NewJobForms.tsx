import { useId, useState, type SubmitEvent, type ReactNode } from 'react';
import type { WatchedJob } from './jobList.js';
import { useToast } from './Toasts.js';

/** Props of {@link NewJobForms}. */
export interface NewJobFormsProps {
  onStarted: (job: WatchedJob) => void;
}

/** Ms between two events of a job's timeline. */
const SPEEDS = [
  { label: 'Slow', stepMs: 600 },
  { label: 'Normal', stepMs: 300 },
  { label: 'Fast', stepMs: 100 },
] as const;

/**
 * Two small forms that start simulated jobs on the reference server (`POST /api/v1/generations`
 * and `/compositions`) and add them to the watched list.
 */
export function NewJobForms({ onStarted }: NewJobFormsProps): ReactNode {
  const toast = useToast();
  const start = async (kind: WatchedJob['kind'], body: Record<string, number>) => {
    try {
      const response = await fetch(`/api/v1/${kind}s`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const created = (await response.json()) as { id?: string; error?: { message?: string } };
      if (!response.ok || typeof created.id !== 'string') throw new Error(created.error?.message ?? `HTTP ${response.status}`);
      onStarted({ kind, id: created.id });
    } catch (error) {
      toast(`Could not start the ${kind}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return (
    <div className="new-jobs">
      <JobForm
        title="New generation"
        submit="Start generation"
        count={{ label: 'Clips', min: 1, max: 12, initial: 4, step: 1 }}
        failAt={{ label: 'Fail at clip', max: 12 }}
        onSubmit={({ count, stepMs, failAt }) =>
          start('generation', { clips: count, stepMs, ...(failAt ? { failAtClip: failAt } : {}) })
        }
      />
      <JobForm
        title="New composition"
        submit="Start composition"
        count={{ label: 'Frames', min: 10, max: 3000, initial: 300, step: 1 }}
        failAt={{ label: 'Fail at frame', max: 3000 }}
        onSubmit={({ count, stepMs, failAt }) =>
          start('composition', { frames: count, stepMs, ...(failAt ? { failAtFrame: failAt } : {}) })
        }
      />
    </div>
  );
}

interface JobFormProps {
  title: string;
  submit: string;
  count: { label: string; min: number; max: number; initial: number; step: number };
  failAt: { label: string; max: number };
  onSubmit: (values: { count: number; stepMs: number; failAt?: number }) => Promise<void>;
}

function JobForm({ title, submit, count, failAt, onSubmit }: JobFormProps): ReactNode {
  const id = useId();
  const [countValue, setCountValue] = useState(String(count.initial));
  const [stepMs, setStepMs] = useState<number>(SPEEDS[1].stepMs);
  const [failAtValue, setFailAtValue] = useState('');
  const [busy, setBusy] = useState(false);

  const handleSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    const failAtNumber = failAtValue.trim() === '' ? undefined : Number(failAtValue);
    void onSubmit({ count: Number(countValue), stepMs, ...(failAtNumber === undefined ? {} : { failAt: failAtNumber }) }).finally(
      () => setBusy(false),
    );
  };

  return (
    <form className="job-form" onSubmit={handleSubmit} aria-labelledby={`${id}-title`} aria-busy={busy}>
      <h3 id={`${id}-title`}>{title}</h3>
      <div className="job-form__fields">
        <label>
          {count.label}
          <input
            type="number"
            required
            min={count.min}
            max={count.max}
            step={count.step}
            value={countValue}
            onChange={(event) => setCountValue(event.target.value)}
          />
        </label>
        <label>
          Speed
          <select value={stepMs} onChange={(event) => setStepMs(Number(event.target.value))}>
            {SPEEDS.map((speed) => (
              <option key={speed.stepMs} value={speed.stepMs}>
                {`${speed.label} (${speed.stepMs} ms a step)`}
              </option>
            ))}
          </select>
        </label>
        <label>
          {failAt.label}
          <input
            type="number"
            min={1}
            max={failAt.max}
            placeholder="never"
            value={failAtValue}
            onChange={(event) => setFailAtValue(event.target.value)}
          />
        </label>
      </div>
      <button type="submit">{submit}</button>
    </form>
  );
}
