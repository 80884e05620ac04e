import { defineConfig } from 'vitest/config';

/**
 * The stress suite (`npm run test:stress`): fault proxy, chaos, crash/restart and half-open
 * links against the real reference server. Files run one after another so that their timing
 * figures (detection times, latencies) do not measure each other's load.
 */
export default defineConfig({
  test: {
    include: ['spec/stress/**/*.spec.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 30_000,
  },
});
