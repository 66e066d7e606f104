/**
 * `smets1 simulate` as a user meets it: a bad calibration file or usage is one line naming what and where (exit 2),
 * the shipped calibration loads with every value sourced, and Ctrl-C stops after the migrations under way with a
 * message, the days done written in full and no half-written file (exit 130).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../harness/cli/main';
import { loadFleetConfig } from '../../harness/fleet/config';
import { testCalibration } from './support';
import { SMETS1_BIN } from '../support/smets1Bin';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'smets1-simulate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stderrOf(argv: string[]): Promise<[number, string]> {
  const errors = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(argv, () => undefined);
    return [code, errors.mock.calls.map((c) => String(c[0])).join('')];
  } finally {
    errors.mockRestore();
  }
}

describe('smets1 simulate: input', () => {
  it("the shipped calibration loads; the pacing plan is the seed's", () => {
    const { config } = loadFleetConfig('fleet/calibration.yaml');
    expect(config.pacing.stages.value.map((s) => s.cap)).toEqual([2000, 4000, 8000, 10000, 20000, 50000]);
    expect(config.pacing.stages.source).toBe('public');
    expect(config.migration.maxFailedAttempts.value).toBe(5);
  });

  it('a bad calibration value is named with its file and path (exit 2)', async () => {
    const file = join(dir, 'bad.yaml');
    const calibration = testCalibration({ population: { dormantShare: { value: 1.5, source: 'assumed', note: 'x' } } });
    writeFileSync(file, stringify(calibration));
    expect(await stderrOf(['simulate', '--days', '1', '--calibration', file, '--out', join(dir, 'o')])).toEqual([
      2,
      `smets1 simulate: ${file}: population.dormantShare.value: must be a number from 0 to 1, not 1.5\n`,
    ]);
    writeFileSync(file, stringify({ ...testCalibration(), extra: 1 }));
    expect(await stderrOf(['simulate', '--days', '1', '--calibration', file, '--out', join(dir, 'o')])).toEqual([
      2,
      `smets1 simulate: ${file}: extra: unknown key; expected one of population, migration, pacing\n`,
    ]);
    const unsourced = testCalibration({ migration: { inFlight: { value: 3, source: 'guess', note: 'x' } } });
    writeFileSync(file, stringify(unsourced));
    expect(await stderrOf(['simulate', '--days', '1', '--calibration', file, '--out', join(dir, 'o')])).toEqual([
      2,
      `smets1 simulate: ${file}: migration.inFlight.source: must be public or assumed, not "guess"\n`,
    ]);
    writeFileSync(
      file,
      stringify(
        testCalibration({ population: { powerFactorRange: { value: [0.9, 0.8], source: 'assumed', note: 'x' } } }),
      ),
    );
    expect(await stderrOf(['simulate', '--days', '1', '--calibration', file, '--out', join(dir, 'o')])).toEqual([
      2,
      `smets1 simulate: ${file}: population.powerFactorRange.value: must be [min, max] with 0 ≤ min ≤ max ≤ 1, not [0.9,0.8]\n`,
    ]);
    expect(
      await stderrOf(['simulate', '--days', '1', '--calibration', join(dir, 'none.yaml'), '--out', join(dir, 'o')]),
    ).toEqual([2, `smets1 simulate: ${join(dir, 'none.yaml')}: cannot be read (ENOENT)\n`]);
  });

  it('usage: --days is required, a bad --rules or --shard is refused (exit 2)', async () => {
    expect(await stderrOf(['simulate', '--out', join(dir, 'o')])).toEqual([2, 'smets1 simulate: --days is required\n']);
    expect((await stderrOf(['simulate', '--days', '1', '--rules', '2019']))[0]).toBe(2);
    expect((await stderrOf(['simulate', '--days', '1', '--shard', '5/4']))[0]).toBe(2);
  });
});

describe('smets1 simulate: Ctrl-C', () => {
  it('stops after the day under way: a message, the days done written whole, no temporary file, exit 130', async () => {
    const calibration = join(dir, 'calibration.yaml');
    writeFileSync(calibration, stringify(testCalibration()));
    const out = join(dir, 'interrupted');
    const child = spawn(
      process.execPath,
      [SMETS1_BIN, 'simulate', '--days', '15', '--volume', '2', '--calibration', calibration, '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!signalled && stdout.includes('day 1:')) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    const done = stdout.split('\n').filter((line) => /^day \d+:/.test(line)).length;
    expect(stderr).toContain(
      'smets1 simulate: SIGINT: stopping after the migrations under way (again to quit at once)',
    );
    expect(stderr).toContain(`smets1 simulate: interrupted by SIGINT; the ${done} day(s) done are in ${out}`);
    expect(stdout).toContain(`${done} of 15 day(s): started`);
    expect(readdirSync(out).sort()).toEqual([
      'fleet.csv',
      'fleet.html',
      'fleet.json',
      'installations.jsonl',
      'run.json',
    ]);
    expect((JSON.parse(readFileSync(join(out, 'fleet.json'), 'utf8')) as { days: unknown[] }).days).toHaveLength(done);
    expect(done).toBeLessThan(15);
    expect(existsSync(join(out, 'fleet.json'))).toBe(true);
  }, 120_000);
});
