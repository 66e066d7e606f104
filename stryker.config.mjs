// Mutation testing (StrykerJS 9.6 with the vitest runner): `npm run mutation` mutates protocols/ and devices/ and
// runs the tests of that layer against every mutant. One scope per run (MUTATION_SCOPE=protocols | devices |
// harness), so a run stays within an evening on two cores; narrow it further with `--mutate 'protocols/payloadCodec.ts'`.
// The harness is far too large for one run: it is always narrowed (`npm run mutation:harness -- --mutate …`).
// Reports: reports/mutation/<scope>.html and .json (git-ignored).
const scope = process.env.MUTATION_SCOPE ?? 'protocols';
const mutate = {
  protocols: ['protocols/**/*.ts'],
  // devices/profiles and common/credentials/testPki.ts are data and test fixtures, not behaviour. common/ (the PRNG,
  // the credential codecs) goes with devices/: its tests are the devices' and credentials' tests.
  devices: [
    'devices/**/*.ts',
    'common/**/*.ts',
    '!devices/**/index.ts',
    '!devices/profiles/*.ts',
    '!common/credentials/testPki.ts',
  ],
  harness: ['harness/**/*.ts', '!harness/**/index.ts'],
}[scope];
if (!mutate) throw new Error(`MUTATION_SCOPE=${scope}: expected protocols, devices or harness`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate,
  coverageAnalysis: 'perTest',
  // Two cores shared with other work: one test process.
  concurrency: 1,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${scope}.html` },
  jsonReporter: { fileName: `reports/mutation/${scope}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
