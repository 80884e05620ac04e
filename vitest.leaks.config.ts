import { defineConfig } from 'vitest/config';

/**
 * The leak suite (`npm run test:leaks`): thousands of subscribe, client and hook cycles against
 * the reference server, measuring heap after `gc()` (hence `--expose-gc` in the workers) and the
 * sockets, timers and listeners left behind. Files run one after another so that one file's
 * garbage is never weighed by another.
 */
export default defineConfig({
  test: {
    include: ['spec/leaks/**/*.spec.ts', 'spec/leaks/**/*.spec.tsx'],
    execArgv: ['--expose-gc', '--no-opt', '--no-sparkplug'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 30_000,
  },
});
