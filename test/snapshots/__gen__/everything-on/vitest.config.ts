import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: [
      // Builds dist/ once: the process tests run the server exactly as production does (node dist/main.js).
      'test/global-setup.ts',
      // One redis-server for the run: the Redis store is required configuration for every full server.
      'test/features/rate-limit-redis/global-setup.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
