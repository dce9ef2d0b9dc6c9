import { defineConfig } from 'vitest/config';

// Heavier suites: real boto3 / AWS CLI clients, moto_server, benchmark smoke runs.
export default defineConfig({
  test: {
    include: ['src/**/*.slow.test.ts', 'test/e2e/**/*.slow.test.ts'],
    restoreMocks: true,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
