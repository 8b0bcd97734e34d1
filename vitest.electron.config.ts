import { defineConfig } from 'vitest/config';

// The Electron smoke test: needs a packaged app (`npm run dist -- --smoke`) and a display, so `npm test` leaves it out.
export default defineConfig({
  test: {
    include: ['tests/electron/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
