import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: [
      // Builds dist/ once: the process tests run the server exactly as production does (node dist/main.js).
      'test/global-setup.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
