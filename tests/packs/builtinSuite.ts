/**
 * Every built-in pack (packs/) through the one executor `smets1 run` uses: one vitest test per scenario (so vitest's
 * filtering, reporters and --shard serve CI), and each pack once more with its expectations inverted, where every
 * scenario must fail — the proof that each pack can fail at all. The same runs then make the directory's share of
 * `npm start`'s output, which must match the golden summary (tests/golden/) and write only schema-valid DUIS
 * documents under duis/, the schema-invalid ones a defect made under duis-invalid/: no second run of the packs for
 * any of them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { duisValidator } from '../../harness/bench/duisBench';
import { invertPack, loadPack, type Pack, type Scenario } from '../../harness/packs';
import { writeDuisFiles } from '../../harness/reports/duisFiles';
import type { ScenarioResult } from '../../harness/reports/runResult';
import { runScenario } from '../../harness/run/executor';
import { packFiles } from '../../harness/run/packFiles';
import { expectGolden } from '../golden/expectGolden';
import { filesUnder } from '../support/filesUnder';

/**
 * The built-in packs of one directory. One test file a directory (builtin*.test.ts), so each runs in its own worker:
 * a worker holds one directory's runs, not all of them, and the two cores share the work.
 */
export function builtinPackSuite(dir: string): void {
  const packs = packFiles([dir]).map((file) => loadPack(file));
  // Each scenario runs once, as `npm start` runs it (every built-in pack's link is mock, what its --link mock says).
  const runs = new Map<Scenario, Promise<ScenarioResult>>();
  const resultOf = (pack: Pack, scenario: Scenario): Promise<ScenarioResult> => {
    let result = runs.get(scenario);
    if (result === undefined) {
      result = runScenario(pack, scenario);
      runs.set(scenario, result);
    }
    return result;
  };
  /** Every scenario's result in run order; one a filter left out (`-t`) is run now, one after another. */
  const allResults = async (): Promise<ScenarioResult[]> => {
    const results: ScenarioResult[] = [];
    for (const pack of packs) for (const scenario of pack.scenarios) results.push(await resultOf(pack, scenario));
    return results;
  };

  describe.each(packs.map((pack) => [pack.name, pack] as const))('pack %s', (_name, pack) => {
    it.each(pack.scenarios.map((scenario) => [scenario.name, scenario] as const))(
      '%s',
      async (_scenario, scenario) => {
        const result = await resultOf(pack, scenario);
        expect(result.failures.map((f) => `${f.step} at line ${f.line}:${f.column}: ${f.message}`)).toEqual([]);
        expect(result.verdict).toBe('passed');
      },
      120_000,
    );

    it('fails in every scenario with its expectations inverted', async () => {
      const inverted = invertPack(pack);
      const verdicts: string[] = [];
      for (const scenario of inverted.scenarios)
        verdicts.push(`${scenario.name}: ${(await runScenario(inverted, scenario)).verdict}`);
      expect(verdicts).toEqual(inverted.scenarios.map((scenario) => `${scenario.name}: failed`));
    }, 300_000);
  });

  describe(`the run of ${dir}`, () => {
    it('gives the golden summary: the same verdicts, expectations, alerts and their times, DUIS documents byte for byte', async () => {
      expectGolden(dir, await allResults());
    }, 300_000);

    /** The run's duis/ and duis-invalid/ as `npm start` writes them, written once for the two tests that read them. */
    let written: Promise<{ reports: string; scenarios: ScenarioResult[] }> | undefined;
    const writtenDuis = () =>
      (written ??= allResults().then((scenarios) => {
        const reports = mkdtempSync(join(tmpdir(), 'smets1-builtin-'));
        // the function writeReports gives `npm start`'s reports/duis/ (and duis-invalid/, for the 91339/91340 defect's documents)
        writeDuisFiles(
          {
            startedAt: new Date(0).toISOString(),
            seed: packs[0].bench.seed,
            packs: packs.map((p) => p.file),
            scenarios,
          },
          reports,
        );
        return { reports, scenarios };
      }));
    afterAll(async () => {
      if (written !== undefined) rmSync((await written).reports, { recursive: true, force: true });
    });
    const validated = async (files: string[]) =>
      duisValidator().validate(files.map((file) => ({ name: file, xml: readFileSync(file, 'utf8') })));

    it('writes under duis/ only DUIS documents valid against the DUIS 5.4 schema', async () => {
      const { reports, scenarios } = await writtenDuis();
      const files = filesUnder(join(reports, 'duis'));
      expect(files.length).toBe(
        scenarios.reduce((n, s) => n + s.duis.filter((doc) => doc.schemaInvalid === undefined).length, 0),
      );
      const results = await validated(files);
      expect(
        results.filter((r) => !r.valid).map((r) => `${r.name}: ${r.problems.map((p) => p.message).join('; ')}`),
      ).toEqual([]);
    }, 300_000);

    // Was tests/packs/runReports.test.ts's (now runExitCodes.test.ts) "a response the 91339/91340 defect left without a ResponseCode goes to
    // duis-invalid/, and duis/ stays valid", which ran that pack again for it.
    it('writes under duis-invalid/ the responses a defect left without a ResponseCode, each refused by the schema', async () => {
      const { reports } = await writtenDuis();
      const invalid = existsSync(join(reports, 'duis-invalid')) ? filesUnder(join(reports, 'duis-invalid')) : [];
      // the 91339/91340 pack's runs leave some (packs/defects/91339-91340.yaml, "without the fix")
      if (dir === 'packs/defects') expect(invalid.length).toBeGreaterThan(0);
      for (const file of invalid) expect(readFileSync(file, 'utf8')).not.toContain('<sr:ResponseCode>');
      expect((await validated(invalid)).filter((r) => r.valid).map((r) => r.name)).toEqual([]);
    }, 300_000);
  });
}
