import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: [
      // Builds dist/ once: the process tests run the server exactly as production does (node dist/main.js).
      'test/global-setup.ts',
    ],
    // Vitest's default (one core less than the machine has) runs one file at a time on a 2-core CI runner.
    // Most files wait on servers and sockets rather than compute, so two at a time finish sooner there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
