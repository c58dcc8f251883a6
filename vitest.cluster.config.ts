import { defineConfig } from 'vitest/config';

/** `npm run test:cluster` only: the cluster suite starts its own stack (no global setup) and is kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 900_000,
    hookTimeout: 300_000,
    teardownTimeout: 120_000,
  },
});
