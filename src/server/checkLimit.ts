/**
 * Throws a `RangeError` naming the option unless `value` is a whole number of at least `min`, or
 * `Infinity` (no limit): a limit of `NaN` or `'100'` would silently be no limit at all.
 *
 * @example
 * checkLimit('maxLiveJobs', maxLiveJobs);
 */
export function checkLimit(name: string, value: unknown, min = 1): void {
  if (value !== Infinity && (!Number.isSafeInteger(value) || (value as number) < min)) {
    throw new RangeError(`${name} must be an integer >= ${min} or Infinity, got ${String(value)}.`);
  }
}
