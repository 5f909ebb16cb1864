import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The multi-process fault harness runs on its own (npm run test:faults): it does not yet
    // reach zero loss in every run (see README, "Known gaps").
    exclude: ['test/faults/**', '**/node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    // Hooks start real servers (PGlite, influxd, PostgreSQL); a loaded 2-core machine needs room.
    hookTimeout: 180_000,
    // Integration tests start real servers; two cores are shared, so keep the pool small.
    maxWorkers: 2,
  },
});
