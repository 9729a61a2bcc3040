import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (fast, in-process: answers, render, snapshots, update battery, deploy checks, CLI)
 * and `e2e` (generated projects installed, type-checked, linted, tested and driven over real HTTP/stdio).
 * Unit files run two or more at a time: vitest's default (one core less than the machine has) is a single
 * worker on a 2-core CI runner, and many unit files wait on child processes (the CLI, git, tsc), so a second
 * worker cut the project's time there by a quarter to a third (250 s → 188 s; 446 s → 297 s on a busier
 * machine). The e2e files run one at a time, after every unit file (group 1): each case already uses both
 * cores (tsc, vitest, the server).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/e2e/**', '**/node_modules/**', 'test/fixtures/**', 'test/**/__gen__/**'],
          maxWorkers: Math.max(2, availableParallelism() - 1),
          testTimeout: 60_000,
          // Setup hooks build the CLI or fetch Node 24 (test/e2e/node.ts): under a loaded 2-core CI machine that
          // overran vitest's 10 s default twice (node-version.test.ts), failing a file whose tests all pass.
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
