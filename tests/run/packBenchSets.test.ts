/**
 * A pack's bench in this process has the sets its `bench:` says (`sets`, `ppmid`), as an emulator at a far end is
 * made them: one description of a scenario's sets (harness/run/benchFor.ts farEndSets) for both. The in-process bench
 * once ignored both fields and always had one set with a PPMID. Read back over the bench protocol (benchInfo).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../harness/packs';
import { startScenarioBench } from '../../harness/run/benchFor';

const EMULATOR = '00-00-00-00-00-00-00-02';
const dir = mkdtempSync(join(tmpdir(), 'smets1-pack-sets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function packWith(bench: string): string {
  const file = join(dir, `sets-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `name: sets\nbench:\n  vendor: elster\n${bench}scenarios:\n  - name: one\n    steps:\n      - wait: 1s\n`,
  );
  return file;
}

async function benchInfoOf(file: string) {
  const pack = loadPack(file);
  const started = await startScenarioBench(pack.scenarios[0]!);
  try {
    return (await started.bench.command(EMULATOR, { type: 'benchInfo', firstSet: 0 })).body;
  } finally {
    await started.close();
  }
}

describe('the in-process bench of a pack', () => {
  it('has no PPMID when the pack says ppmid: false', async () => {
    const info = await benchInfoOf(packWith('  ppmid: false\n'));
    expect(info?.setCount).toBe(1);
    expect(info?.sets.map((set) => set.ppmid)).toEqual([false]);
  });

  it('has as many sets as the pack says, each with a PPMID by default', async () => {
    const info = await benchInfoOf(packWith('  sets: 3\n'));
    expect(info?.setCount).toBe(3);
    expect(info?.sets.map((set) => set.ppmid)).toEqual([true, true, true]);
  });
});
