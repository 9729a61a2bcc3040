import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (fast, in-process: answers, render, snapshots, update battery, deploy checks, CLI)
 * and `e2e` (generated projects installed, type-checked, linted, tested and driven over real HTTP/stdio).
 * The e2e files run one at a time: each case already uses both cores (tsc, vitest, the server).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/e2e/**', '**/node_modules/**', 'test/fixtures/**', 'test/**/__gen__/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
