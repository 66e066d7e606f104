/**
 * The fleet's one SMSO PKI and S1SP (docs/fleet.md "An installation"): every installation of a run has the run's PKI
 * seed, not its own bench seed, and migrations on it really go through: the devices' slots, the S1SP's keys and the
 * DCC parties a swap installs (a split-supplier home's gas supplier included) all come from that one PKI.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runInstallation } from '../../harness/fleet/installationRun';
import { fleetInstallation, type FleetInstallation } from '../../harness/fleet/population';
import { RULES } from '../../harness/fleet/rules';
import { smets1 } from '../support/cli';
import { testCalibration, testConfig } from './support';

const config = testConfig();

function sample(fits: (spec: FleetInstallation) => boolean): FleetInstallation {
  for (let index = 0; index < 200; index++) {
    const spec = fleetInstallation(config, 7, index);
    if (fits(spec)) return spec;
  }
  throw new Error('no such installation in the first 200');
}

const plain = (s: FleetInstallation) => s.poorGasHan === undefined && !s.gasNotInDeviceLog && !s.offListFirmware;

describe("the fleet's PKI", () => {
  it("is the run's, the same for every installation, and not an installation's bench seed", () => {
    const seeds = Array.from({ length: 50 }, (_, i) => fleetInstallation(config, 7, i));
    expect(new Set(seeds.map((s) => s.pkiSeed)).size).toBe(1);
    expect(seeds.some((s) => s.benchSeed === s.pkiSeed)).toBe(false);
    expect(fleetInstallation(config, 8, 0).pkiSeed).not.toBe(seeds[0].pkiSeed);
  });

  it.each([
    ['a plain installation', (s: FleetInstallation) => plain(s) && !s.splitSupplier],
    [
      'a split-supplier home (2021 rules: its GSME gets the gas supplier)',
      (s: FleetInstallation) => plain(s) && s.splitSupplier,
    ],
  ])('%s migrates on it', async (_, fits) => {
    const record = await runInstallation(sample(fits), config, RULES['2021']);
    expect([record.outcome, record.attempts.map((a) => a.result)]).toEqual(['migrated', ['migrated']]);
  });
});

describe('smets1 simulate and merge on the one PKI', () => {
  it('say it: --help on --seed, and fleet.html', async () => {
    const help = await smets1('simulate', '--help');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      "--seed <n> seed of the population, of every installation (each from (seed, installation index)) and of the run's one SMSO test PKI and S1SP signing party, which every installation shares",
    );
    const dir = mkdtempSync(join(tmpdir(), 'smets1-fleet-pki-'));
    try {
      const calibration = join(dir, 'calibration.yaml');
      writeFileSync(calibration, stringify(testCalibration()));
      const run = await smets1(
        'simulate',
        '--days',
        '1',
        '--volume',
        '1',
        '--calibration',
        calibration,
        '--threads',
        '1',
        '--out',
        join(dir, 'fleet'),
      );
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(readFileSync(join(dir, 'fleet', 'fleet.html'), 'utf8')).toContain(
        "all of them on the run's one SMSO test PKI and S1SP signing party (from the seed; each installation has its own devices and draws)",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses, naming the file and the key, a shard written before the calibration's poorGasHanGoodDayLossRate (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smets1-fleet-old-shard-'));
    try {
      const calibration = join(dir, 'calibration.yaml');
      writeFileSync(calibration, stringify(testCalibration()));
      const shard = (i: number) =>
        smets1(
          'simulate',
          '--days',
          '1',
          '--volume',
          '2',
          '--calibration',
          calibration,
          '--threads',
          '1',
          '--shard',
          `${i}/2`,
          '--out',
          join(dir, `shard-${i}`),
        );
      expect((await shard(1)).code).toBe(0);
      expect((await shard(2)).code).toBe(0);
      // shard 1 as the simulator wrote it before the key existed: its run.json's calibration without it
      const runFile = join(dir, 'shard-1', 'run.json');
      const old = JSON.parse(readFileSync(runFile, 'utf8')) as { calibration: { population: Record<string, unknown> } };
      delete old.calibration.population.poorGasHanGoodDayLossRate;
      writeFileSync(runFile, JSON.stringify(old));
      const merged = await smets1('merge', join(dir, 'shard-1'), join(dir, 'shard-2'), '--out', join(dir, 'merged'));
      expect([merged.code, merged.stderr]).toEqual([
        2,
        `smets1 merge: ${runFile}: calibration: population.poorGasHanGoodDayLossRate: missing\n`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
