import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The cluster suite builds and runs the real Temporal server: `npm run test:cluster` (vitest.cluster.config.ts).
    exclude: [...configDefaults.exclude, 'test/cluster/**'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    // A poll waits for something the real stack does a moment later (a continue-as-new, a workflow step); on two
    // cores shared by Postgres, Temporal and the worker, the default second is sometimes too short.
    expect: { poll: { timeout: 15_000 } },
  },
});
