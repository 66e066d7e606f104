/**
 * vitest's file order for `npm test`: the files that take longest start first, so that the two workers are not left
 * with one long file running alone at the end of the run. vitest's own order does this only from the durations it
 * cached in node_modules on an earlier run; a fresh clone (CI's `.ci/run`) has none, and there it starts the largest
 * files first, which are not the slowest (tests/packs/farEndBuiltin.test.ts, a single 120-scenario run, is one of the
 * smallest). The list is the slowest files of a full run, measured; every other file follows in vitest's order.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Slowest first, relative to the checkout: the longest files of a full `npm test` (2 workers, 2026-12-05), the ones
 * that mostly wait on a child process or a pty (farEndBuiltin, ptyLockstep) among the first, since the other worker
 * has the CPU meanwhile.
 */
export const HEAVIEST_FIRST = [
  'tests/packs/farEndBuiltin.test.ts',
  'tests/packs/defectFlips.test.ts',
  'tests/packs/builtinDefects.test.ts',
  'tests/packs/builtinRtds.test.ts',
  'tests/packs/ptyLockstep.test.ts',
  'tests/fleet/shardProcesses.test.ts',
  'tests/cli/cli.test.ts',
  'tests/cli/runBench.test.ts',
  'tests/packs/farEnd.test.ts',
  'tests/cli/duisCommands.test.ts',
  'tests/cli/runCommand.test.ts',
  'tests/clock/manyActors.test.ts',
  'tests/emulator/clockControl.test.ts',
  'tests/emulator/stateLock.test.ts',
  'tests/packs/builtinMigration.test.ts',
  'tests/s1sp/s1spQuirks.test.ts',
  'tests/run/recordReplay.test.ts',
  'tests/fleet/threads.test.ts',
  'tests/migration/killProcess.test.ts',
  'tests/duis/xmlSignature.test.ts',
  'tests/cli/sendReplay.test.ts',
];

export class HeaviestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = HEAVIEST_FIRST.indexOf(relative(file.project.config.root, file.moduleId));
      return at === -1 ? HEAVIEST_FIRST.length : at;
    };
    // Array sort is stable: the files not listed keep vitest's order among themselves.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
