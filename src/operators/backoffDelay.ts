/**
 * Options of {@link backoffDelay}. {@link retryBackoff} passes its own config through.
 */
export interface BackoffDelayConfig {
  /** Delay before the first retry, in ms. */
  initialDelay: number;
  /** Upper bound of the exponential delay, in ms, before jitter is applied. */
  maxDelay: number;
  /**
   * Fraction in [0, 1] by which the capped delay is spread at random, so that clients dropped by
   * the same server restart do not all come back in the same millisecond. Leave it at 0 to get
   * the capped delay itself, e.g. to decide when to probe a server.
   * @default 0
   */
  jitter?: number;
  /**
   * Source of randomness in [0, 1), read once per call and only when `jitter` is above 0.
   * Tests pass `() => 0.5`, which yields the capped delay exactly.
   * @default Math.random
   */
  random?: () => number;
}

/**
 * The delay in whole ms before retry number `attempt` (1-based): `initialDelay` doubled on each
 * attempt, capped at `maxDelay`, then spread by `jitter` to
 * `capped * (1 - jitter + 2 * jitter * random())`, rounded down.
 *
 * Pure when `jitter` is 0 or `random` is deterministic.
 *
 * @example
 * ```ts
 * backoffDelay(1, { initialDelay: 1000, maxDelay: 16000 }); // 1000
 * backoffDelay(4, { initialDelay: 1000, maxDelay: 16000 }); // 8000
 * backoffDelay(9, { initialDelay: 1000, maxDelay: 16000 }); // 16000
 * backoffDelay(1, { initialDelay: 1000, maxDelay: 16000, jitter: 0.2, random: () => 0 }); // 800
 * ```
 */
export function backoffDelay(attempt: number, config: BackoffDelayConfig): number {
  const { initialDelay, maxDelay, jitter = 0, random = Math.random } = config;
  // `2 ** 1024` is Infinity and `0 * Infinity` is NaN: bound the exponent for the thousands of
  // attempts a long outage can reach under `maxAttempts: Infinity`.
  const capped = Math.min(maxDelay, initialDelay * 2 ** Math.min(attempt - 1, 1023));
  // Spreading around `capped` (rather than multiplying by a factor near 1) keeps
  // `random() === 0.5` exact, free of floating-point drift that flooring would turn into 1 ms.
  const spread = jitter === 0 ? 0 : capped * jitter * (2 * random() - 1);
  return Math.floor(capped + spread);
}
