// Order-flow crash trials (`npm run test:crash`): SIGKILLs of the headless app while it trades against the paper
// exchange. Outside `npm test` until order.submit's ticketId idempotency survives a restart (see the README).
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
