// The tests a mutation run (stryker.config.mjs) runs against each mutant: those of the mutated layer, or the
// comma-separated globs of MUTATION_TESTS (e.g. only the codec tests when mutating protocols/payloadCodec.ts).
// tests/protocols/fuzz.test.ts (110,000 inputs, seconds per run) is left out for time: it covers nearly every
// line, so it would run for nearly every mutant. The scores in README.md are therefore without it.
import { defineConfig } from 'vitest/config';
import { everyFile } from './vitest.config.js';

const scope = process.env.MUTATION_SCOPE ?? 'protocols';
const include =
  process.env.MUTATION_TESTS?.split(',') ??
  {
    protocols: ['tests/protocols/**/*.test.ts'],
    devices: ['tests/devices/**/*.test.ts', 'tests/credentials/**/*.test.ts'],
    // the harness's unit tests (DSP, S1SP, pack matcher); its end-to-end suites are too slow to run per mutant
    harness: [
      'tests/dsp/**/*.test.ts',
      'tests/s1sp/**/*.test.ts',
      'tests/packs/executorMatchers.test.ts',
      'tests/packs/packModel.test.ts',
    ],
  }[scope];

// Only the timeouts of vitest.config.ts: its projects choose their own files, and no mutated layer's test starts
// `smets1` (its CLI bundle).
export default defineConfig({
  test: { ...everyFile, include, exclude: ['tests/protocols/fuzz.test.ts', '**/node_modules/**'] },
});
