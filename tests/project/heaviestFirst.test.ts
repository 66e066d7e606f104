/**
 * `npm test` starts the slowest files first (tests/support/heaviestFirst.ts): each file the list names exists (a
 * renamed one would silently lose its place), and the sequencer puts the listed files first, in the list's order.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import { HEAVIEST_FIRST, HeaviestFirst } from '../support/heaviestFirst';

const ROOT = join(import.meta.dirname, '../..');

describe('the slowest test files start first', () => {
  it('every file the list names exists, once', () => {
    expect(HEAVIEST_FIRST.filter((file) => !existsSync(join(ROOT, file)))).toEqual([]);
    expect(new Set(HEAVIEST_FIRST).size).toBe(HEAVIEST_FIRST.length);
  });

  it('the listed files come first, in the list order, and the others after them in the order vitest gave', async () => {
    const spec = (file: string) =>
      ({
        moduleId: join(ROOT, file),
        project: { name: 'shared', config: { root: ROOT, isolate: false, sequence: { groupOrder: 0 } } },
      }) as unknown as TestSpecification;
    // no cached durations or sizes: vitest's own order leaves these as they are
    const cache = { getFileTestResults: () => undefined, getFileStats: () => undefined };
    const sequencer = new HeaviestFirst({ cache, config: { root: ROOT } } as unknown as Vitest);
    const files = [
      'tests/a.test.ts',
      'tests/packs/farEndBuiltin.test.ts',
      'tests/b.test.ts',
      'tests/cli/cli.test.ts',
      'tests/packs/defectFlips.test.ts',
    ];
    const sorted = await sequencer.sort(files.map(spec));
    expect(sorted.map((file) => file.moduleId.slice(ROOT.length + 1))).toEqual([
      'tests/packs/farEndBuiltin.test.ts',
      'tests/packs/defectFlips.test.ts',
      'tests/cli/cli.test.ts',
      'tests/a.test.ts',
      'tests/b.test.ts',
    ]);
  });
});
