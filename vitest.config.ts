import { defineConfig } from 'vitest/config';

// Unit tests sit beside their code; cross-module tests live under tests/.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/reliability/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    setupFiles: ['./tests/support/fast-check-setup.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
