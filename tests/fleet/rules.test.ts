/**
 * `--rules` reaches the migrations: the same dormant installation whose gas meter fails the HAN pre-check is
 * rejected GT01 under the 2020 rules and migrated electricity only under 2021's (docs/fleet.md).
 */
import { describe, expect, it } from 'vitest';
import { runInstallation } from '../../harness/fleet/installationRun';
import { fleetInstallation } from '../../harness/fleet/population';
import { RULES } from '../../harness/fleet/rules';
import { testConfig } from './support';

// every gas meter's HAN is bad every day and loses every message: GT01 at the pre-check, always
const config = testConfig({
  population: {
    poorGasHanShare: { value: 1, source: 'assumed', note: 't' },
    poorGasHanBadDayShare: { value: 1, source: 'assumed', note: 't' },
    poorGasHanLossRate: { value: 1, source: 'assumed', note: 't' },
  },
});

function firstPlainDormant() {
  for (let index = 0; index < 100; index++) {
    const spec = fleetInstallation(config, 5, index);
    if (spec.kind === 'dormant' && !spec.splitSupplier && !spec.offListFirmware && !spec.gasNotInDeviceLog) return spec;
  }
  throw new Error('none in the first 100');
}

describe('--rules', () => {
  it('2020 rejects the dormant installation GT01; 2021 migrates its electricity meter alone', async () => {
    const spec = firstPlainDormant();
    const in2020 = await runInstallation(spec, config, RULES['2020']);
    expect([in2020.outcome, in2020.rejection, in2020.attempts.map((a) => a.result)]).toEqual([
      'rejected',
      'GT01',
      ['rejected'],
    ]);
    const in2021 = await runInstallation(spec, config, RULES['2021']);
    // electricity only, then gas retries a day apart until the fifth failed attempt (the GSME never answers)
    expect([in2021.outcome, in2021.attempts.map((a) => `${a.result}${a.gas ? ' gas' : ''}`)]).toEqual([
      'migrated-electricity-only',
      ['migrated-electricity-only', 'failed gas', 'failed gas', 'failed gas', 'failed gas', 'failed gas'],
    ]);
  }, 60_000);
});
