import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts', 'spec/**/*.spec.tsx', 'marbles/**/*.spec.ts'],
    // The stress suite takes minutes; it runs on its own: `npm run test:stress` (vitest.stress.config.ts).
    // The leak suite needs --expose-gc and runs alone: `npm run test:leaks` (vitest.leaks.config.ts).
    // The cluster suite needs redis-server and haproxy: `npm run test:cluster` (vitest.cluster.config.ts).
    exclude: [...configDefaults.exclude, 'spec/stress/**', 'spec/leaks/**', 'spec/cluster/**'],
    // Integration specs start real servers; a generous ceiling keeps a slow shared machine from
    // failing them, while each test still waits on a condition rather than a fixed delay.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
