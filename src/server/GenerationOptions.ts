/**
 * How the simulator plays a generation job. Every field is optional.
 *
 * @example
 * jobs.startGeneration({ clips: 2, stepMs: 10, failAtClip: 2 });
 */
export interface GenerationOptions {
  /**
   * The job id; `[A-Za-z0-9_-]`, at most 128 characters. Pass one when a test needs to know it
   * up front; starting a second job with a taken id throws.
   * @default `gen_<random hex>`
   */
  id?: string;
  /**
   * How many clips the generation produces, each announced by `clip_completed`.
   * @default 3
   */
  clips?: number;
  /**
   * Milliseconds between two events of the timeline (one event per step).
   * @default 50
   */
  stepMs?: number;
  /**
   * `progress` events sent while each clip is generated, before its `clip_completed`.
   * @default 4
   */
  progressPerClip?: number;
  /**
   * When set, the job sends a non-recoverable `error` (`GENERATION_FAILED`) instead of starting
   * this clip (1-based), so clips before it are kept and none after it is made.
   * @default undefined (never fails)
   */
  failAtClip?: number;
  /**
   * Seconds of video in each clip (`duration` of `clip_completed`; the final video is the sum).
   * @default 5
   */
  clipDuration?: number;
}

/** Defaults of {@link GenerationOptions}, except `id` (random) and `failAtClip` (never). */
export const DEFAULT_GENERATION_OPTIONS = {
  clips: 3,
  stepMs: 50,
  progressPerClip: 4,
  clipDuration: 5,
} as const satisfies Required<Omit<GenerationOptions, 'id' | 'failAtClip'>>;

/** A generation's options with every default applied, as persisted and replayed. */
export type GenerationPlan = Required<Omit<GenerationOptions, 'failAtClip'>> & Pick<GenerationOptions, 'failAtClip'>;
