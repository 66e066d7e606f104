/**
 * Every built-in pack (packs/) through the one executor `smets1 run` uses: one vitest test per scenario (so vitest's
 * filtering, reporters and --shard serve CI), and each pack once more with its expectations inverted, where every
 * scenario must fail — the proof that each pack can fail at all.
 */
import { describe, expect, it } from 'vitest';
import { invertPack, loadPack } from '../../harness/packs';
import { runScenario } from '../../harness/run/executor';
import { packFiles } from '../../harness/run/packFiles';

/**
 * The built-in packs of one directory. One test file a directory (builtin*.test.ts), so each runs in its own worker:
 * a worker holds one directory's runs, not all of them, and the two cores share the work.
 */
export function builtinPackSuite(dir: string): void {
  const packs = packFiles([dir]).map((file) => loadPack(file));
  describe.each(packs.map((pack) => [pack.name, pack] as const))('pack %s', (_name, pack) => {
    it.each(pack.scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', async (_scenario, scenario) => {
      const result = await runScenario(pack, scenario);
      expect(result.failures.map((f) => `${f.step} at line ${f.line}:${f.column}: ${f.message}`)).toEqual([]);
      expect(result.verdict).toBe('passed');
    }, 120_000);

    it('fails in every scenario with its expectations inverted', async () => {
      const inverted = invertPack(pack);
      const verdicts: string[] = [];
      for (const scenario of inverted.scenarios) verdicts.push(`${scenario.name}: ${(await runScenario(inverted, scenario)).verdict}`);
      expect(verdicts).toEqual(inverted.scenarios.map((scenario) => `${scenario.name}: failed`));
    }, 300_000);
  });
}
