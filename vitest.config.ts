import { configDefaults, defineConfig } from 'vitest/config';
// with an extension: Vite warns on every run that an extensionless import in a config will not load under its coming
// native config loader; `.js` (not `.ts`) so that tsc, which checks this file through the tests importing it, agrees
import { HeaviestFirst } from './tests/support/heaviestFirst.js';

/**
 * Test files that need a worker of their own: `vi.mock` replaces a module for the importers in its file only if that
 * module is not yet loaded in the worker, and a shared worker keeps what earlier files loaded; worse, the mock stays
 * for the later files of that worker. tests/project/ownWorker.test.ts holds every file that mocks to this list.
 */
export const OWN_WORKER = [
  'tests/cli/runStarted.test.ts',
  'tests/packs/executorMatchers.test.ts',
  // count the ECDSA signatures computed by wrapping signDeterministic
  'tests/duis/signedLazily.test.ts',
  'tests/s1sp/responsesReadLate.test.ts',
  // count the devices' signature checks by wrapping node:crypto's verify
  'tests/credentials/verifiedPerDevice.test.ts',
];

/**
 * What every test file gets, in either project, and in a mutation run: vitest.mutation.config.ts imports it (outside
 * the tsconfig, so scripts/unused-exports.ts cannot see that use).
 */
export const everyFile = {
  // The fuzz and clock tests do real work (100,000 inputs, 50,000 actors): give them room on a 2-core CI box.
  testTimeout: 60_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    // vitest's default is one worker fewer than the cores: a single worker on the 2-core CI box. Many files wait on
    // child processes, sockets and ptys, so two keep both cores busy.
    maxWorkers: 2,
    // The slowest files first, on a fresh clone too (tests/support/heaviestFirst.ts says why).
    sequence: { sequencer: HeaviestFirst },
    // bin/smets1.mjs bundled once per run for the tests that start `smets1` as a child (why, and why it is the same
    // program: the file's comment). Run once, for both projects.
    globalSetup: ['tests/support/cliBundle.globalSetup.ts'],
    projects: [
      {
        // Files share a worker and the modules it has loaded, rather than each loading and compiling the project's
        // modules afresh (about 40% of the CPU of the unit-test files). Nothing here depends on a fresh module:
        // module state is caches and registries filled at load; vi.spyOn and fake timers are restored per file.
        test: {
          ...everyFile,
          name: 'shared',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...OWN_WORKER],
          isolate: false,
          benchmark: { include: ['bench/**/*.bench.ts'] },
        },
      },
      { test: { ...everyFile, name: 'own-worker', include: OWN_WORKER, benchmark: { include: [] } } },
    ],
    // Only with `npm run coverage` (`--coverage`), never in `npm test` or CI: README "Decisions".
    coverage: {
      provider: 'v8',
      include: ['common/**/*.ts', 'protocols/**/*.ts', 'devices/**/*.ts', 'emulator/**/*.ts', 'harness/**/*.ts'],
      reporter: ['text-summary', 'html'],
      reportsDirectory: 'reports/coverage',
    },
  },
});
