/** The comparison of a test's run of built-in packs with the golden summary (runSummary.ts). */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ScenarioResult } from '../../harness/reports/runResult';
import { GOLDEN_FILE, summariseScenario, type GoldenRun } from './runSummary';

/**
 * The scenarios of one built-in pack directory against their share of the golden summary: the same scenarios in the
 * same order, and each summary alike, a differing scenario named with the diff of its lines.
 */
export function expectGolden(dir: string, results: readonly ScenarioResult[]): void {
  const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as GoldenRun;
  const expected = Object.entries(golden.scenarios).filter(([, summary]) => summary.file.startsWith(`${dir}/`));
  expect(
    results.map((r) => r.id),
    `the scenarios of ${dir} and of the golden summary (tests/golden/builtin-run.json)`,
  ).toEqual(expected.map(([id]) => id));
  for (const [k, [id, summary]] of expected.entries()) {
    expect
      .soft(
        summariseScenario(results[k]),
        `scenario ${id} (${summary.file}) differs from the golden summary (tests/golden/builtin-run.json)`,
      )
      .toEqual(summary);
  }
}
