import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
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
