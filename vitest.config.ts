import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Includes the multi-process fault harness (test/faults), also runnable alone: npm run test:faults.
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    // Hooks start real servers (PGlite, influxd, PostgreSQL); a loaded 2-core machine needs room.
    hookTimeout: 180_000,
    // Integration tests start real servers; two cores are shared, so keep the pool small.
    maxWorkers: 2,
  },
});
