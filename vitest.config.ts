import { defineConfig } from 'vitest/config';

// Unit tests sit beside their code; cross-module tests live under tests/.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/reliability/**/*.test.ts'],
    // Waits are generous so the suite holds on a busy machine (npm run test:stress); speed goals live in npm run bench.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    expect: { poll: { timeout: 30_000, interval: 100 } },
    pool: 'forks',
    setupFiles: ['./tests/support/fast-check-setup.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
