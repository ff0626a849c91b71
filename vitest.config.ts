import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // End-to-end tests run the CLI many times; on 2 busy cores one can take minutes. Hangs are still caught.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
