/**
 * The seeds a stress spec runs: `defaults`, or only the one in `CHAOS_SEED` so a failure that
 * printed its seed can be replayed (`CHAOS_SEED=7 npm run test:stress`).
 *
 * @example
 * it.each(stressSeeds([1, 2, 3]))('should … (seed %i)', async (seed) => …);
 */
export function stressSeeds(defaults: readonly number[]): number[] {
  const chosen = process.env.CHAOS_SEED;
  if (chosen === undefined || chosen === '') return [...defaults];
  const seed = Number(chosen);
  if (!Number.isSafeInteger(seed)) throw new TypeError(`CHAOS_SEED must be an integer, got ${JSON.stringify(chosen)}.`);
  return [seed];
}
