import { defineConfig } from 'vitest/config';

/**
 * One runner for every layer. `unit` and `integration` run in Node against the real core (a real
 * encrypted vault in a temp folder for integration); `e2e` drives the production renderer build in
 * Chromium through playwright-core, with window.bridge wired to a real core in this process.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['./test/support/build-cli.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium at a time: two cores on this machine kind, and each test runs scrypt.
          fileParallelism: false,
        },
      },
    ],
  },
});
