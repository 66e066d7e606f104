import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The fuzz and clock tests do real work (100,000 inputs, 50,000 actors): give them room on a 2-core CI box.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // bin/smets1.mjs bundled once per run for the tests that start `smets1` as a child (why, and why it is the same
    // program: the file's comment).
    globalSetup: ['tests/support/cliBundle.globalSetup.ts'],
    benchmark: { include: ['bench/**/*.bench.ts'] },
    // Only with `npm run coverage` (`--coverage`), never in `npm test` or CI: README "Decisions".
    coverage: {
      provider: 'v8',
      include: ['protocols/**/*.ts', 'devices/**/*.ts', 'emulator/**/*.ts', 'harness/**/*.ts'],
      reporter: ['text-summary', 'html'],
      reportsDirectory: 'reports/coverage',
    },
  },
});
