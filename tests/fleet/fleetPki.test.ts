/**
 * The fleet's one SMSO PKI and S1SP (docs/fleet.md "An installation"): every installation of a run has the run's PKI
 * seed, not its own bench seed, and migrations on it really go through: the devices' slots, the S1SP's keys and the
 * DCC parties a swap installs (a split-supplier home's gas supplier included) all come from that one PKI.
 */
import { describe, expect, it } from 'vitest';
import { runInstallation } from '../../harness/fleet/installationRun';
import { fleetInstallation, type FleetInstallation } from '../../harness/fleet/population';
import { RULES } from '../../harness/fleet/rules';
import { testConfig } from './support';

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
