import { defineConfig } from 'vitest/config';

/**
 * `npm run test:e2e`: the dashboard driven in real Chromium (playwright-core, Debian's
 * `/usr/bin/chromium` or `CHROMIUM_PATH`). Kept out of `npm test`, whose config includes only
 * `spec/` and `marbles/`. The dashboard is built once per run (globalSetup); each file starts its
 * own server on 127.0.0.1:0. Files run one at a time: one browser at a time on a 2-core machine
 * keeps the timing assertions honest.
 */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
