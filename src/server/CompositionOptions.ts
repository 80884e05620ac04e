/**
 * How the simulator plays a composition (encoding) job. Every field is optional.
 *
 * @example
 * jobs.startComposition({ frames: 40, framesPerStep: 10, stepMs: 10 });
 */
export interface CompositionOptions {
  /**
   * The job id; `[A-Za-z0-9_-]`, at most 128 characters. Starting a second job with a taken id
   * throws.
   * @default `comp_<random hex>`
   */
  id?: string;
  /**
   * Frames to encode.
   * @default 100
   */
  frames?: number;
  /**
   * Frames encoded per step; each step sends one `encoding_progress`.
   * @default 10
   */
  framesPerStep?: number;
  /**
   * Milliseconds between two events of the timeline.
   * @default 50
   */
  stepMs?: number;
  /**
   * When set, the first step that would reach this frame sends a non-recoverable `error`
   * (`COMPOSITION_FAILED`) instead.
   * @default undefined (never fails)
   */
  failAtFrame?: number;
  /**
   * Frames per second of the output, which gives the final `duration`.
   * @default 30
   */
  fps?: number;
}

/** Defaults of {@link CompositionOptions}, except `id` (random) and `failAtFrame` (never). */
export const DEFAULT_COMPOSITION_OPTIONS = {
  frames: 100,
  framesPerStep: 10,
  stepMs: 50,
  fps: 30,
} as const satisfies Required<Omit<CompositionOptions, 'id' | 'failAtFrame'>>;

/** A composition's options with every default applied, as persisted and replayed. */
export type CompositionPlan = Required<Omit<CompositionOptions, 'failAtFrame'>> & Pick<CompositionOptions, 'failAtFrame'>;
