import { MAX_CLIPS } from '../protocol/index.js';
import { DEFAULT_COMPOSITION_OPTIONS, type CompositionOptions } from './CompositionOptions.js';
import { DEFAULT_GENERATION_OPTIONS, type GenerationOptions } from './GenerationOptions.js';
import type { JobPlan } from './JobRecord.js';
import { timelineOf } from './timelineOf.js';

/** Most events one job may send: a job is a few numbers in a POST, its cost must stay bounded. */
export const MAX_JOB_STEPS = 10_000;
/** Largest `stepMs`: timers of 2^31 ms or more overflow and fire at once. */
export const MAX_STEP_MS = 2 ** 31 - 1;

// Ids end up in namespace names and URL paths, so only characters that need no escaping.
const JOB_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Applies the defaults to a job's options and checks them, throwing a `RangeError` that names
 * the option on misuse (the simulator is driven by tests and the demo's POST bodies, and a bad
 * value should fail where it is given, not as a stuck job). A job of more than
 * {@link MAX_JOB_STEPS} events is refused too.
 *
 * @example
 * const { plan } = planJob('generation', { clips: 2 }, () => 'gen_1');
 */
export function planJob(kind: JobPlan['kind'], options: GenerationOptions | CompositionOptions, newId: () => string): JobPlan {
  const planned = checkOptions(kind, options, newId);
  const steps = timelineOf(planned).length;
  if (steps > MAX_JOB_STEPS) {
    const fix = kind === 'generation' ? 'fewer clips or progressPerClip' : 'fewer frames or more framesPerStep';
    throw new RangeError(`This ${kind} would send ${steps} events; at most ${MAX_JOB_STEPS} are allowed (use ${fix}).`);
  }
  return planned;
}

function checkOptions(kind: JobPlan['kind'], options: GenerationOptions | CompositionOptions, newId: () => string): JobPlan {
  const id = options.id ?? newId();
  if (!JOB_ID.test(id)) throw new RangeError(`Job id "${id.slice(0, 140)}" must match ${JOB_ID}.`);
  if (kind === 'generation') {
    const { clips, stepMs, progressPerClip, clipDuration, failAtClip } = {
      ...DEFAULT_GENERATION_OPTIONS,
      ...(defined(options) as GenerationOptions),
    };
    checkInteger('clips', clips, 1, MAX_CLIPS);
    checkInteger('progressPerClip', progressPerClip, 0, 1000);
    checkNumber('stepMs', stepMs, MAX_STEP_MS);
    checkNumber('clipDuration', clipDuration);
    if (failAtClip !== undefined) checkInteger('failAtClip', failAtClip, 1, Number.MAX_SAFE_INTEGER);
    return { kind, plan: { id, clips, stepMs, progressPerClip, clipDuration, failAtClip } };
  }
  const { frames, framesPerStep, stepMs, fps, failAtFrame } = {
    ...DEFAULT_COMPOSITION_OPTIONS,
    ...(defined(options) as CompositionOptions),
  };
  checkInteger('frames', frames, 1, 10_000_000);
  checkInteger('framesPerStep', framesPerStep, 1, 10_000_000);
  checkNumber('stepMs', stepMs, MAX_STEP_MS);
  checkNumber('fps', fps);
  if (fps === 0) throw new RangeError('fps must be greater than 0.');
  if (failAtFrame !== undefined) checkInteger('failAtFrame', failAtFrame, 0, Number.MAX_SAFE_INTEGER);
  return { kind, plan: { id, frames, framesPerStep, stepMs, fps, failAtFrame } };
}

// `{ clips: undefined }` means "the default", not "no clips".
function defined(options: object): object {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}.`);
  }
}

function checkNumber(name: string, value: unknown, max = Number.MAX_VALUE): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    const range = max === Number.MAX_VALUE ? 'a finite number >= 0' : `a number from 0 to ${max}`;
    throw new RangeError(`${name} must be ${range}, got ${String(value)}.`);
  }
}
