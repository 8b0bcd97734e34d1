// Order-flow crash trials (`npm run test:crash`): SIGKILLs of the headless app while it trades against the paper
// exchange. A run of its own (not in `npm test`'s config): `.ci/run` runs 100 seeded trials after `npm test`.
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: resolve(import.meta.dirname, '..', '..'),
    include: ['tests/reliability/order-crash.trials.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    setupFiles: ['./tests/support/fast-check-setup.ts'],
  },
});
