import { defineConfig } from 'vitest/config';

/**
 * The cluster suite (`npm run test:cluster`): redis-server, reference server nodes and HAProxy
 * as child processes on loopback (Debian's `redis-server` and `haproxy` must be installed;
 * `.ci/run` installs them). Files run one after another: each starts its own processes, and
 * their kill and failover timings must not measure each other's load.
 */
export default defineConfig({
  test: {
    include: ['spec/cluster/**/*.spec.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    // Three tsx-loaded nodes take seconds to boot on a busy 2-core machine.
    hookTimeout: 90_000,
  },
});
