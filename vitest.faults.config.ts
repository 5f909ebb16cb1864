import { defineConfig } from 'vitest/config';

/** `npm run test:faults`: each component as its own process, faults injected, loss counted. */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 180_000,
    maxWorkers: 1,
  },
});
