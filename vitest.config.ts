import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/scratch-root.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Integration tests share one PostgreSQL server and the machine has two cores.
    fileParallelism: false,
  },
});
