// Test runner settings: the suite lives under test/; real ORT sessions and child processes need generous timeouts.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/guard-real-models.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // two cores: benchmarks inside integration tests must not fight each other
    maxWorkers: 2,
  },
});
