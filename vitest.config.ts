import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Unit tests sit beside the code; end-to-end and CLI tests live in test/e2e.
    include: ['src/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    // Heavier suites (boto3/AWS CLI flows, benchmark smoke runs) are *.slow.test.ts and run via `npm run test:slow`.
    exclude: ['**/node_modules/**', '**/*.slow.test.ts'],
    restoreMocks: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
