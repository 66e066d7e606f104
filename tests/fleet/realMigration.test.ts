/**
 * A simulated migration is a real one: for sampled installations of a population, the simulator's record (outcome,
 * attempt times, alerts) equals what the migration API gives (docs/migration.md: DuisBench.start + migrate()) when
 * the test builds the same installation itself, on the same bench and PKI seeds, and watches its alerts for the same hour.
 */
import { describe, expect, it } from 'vitest';
import { DuisBench } from '../../harness/bench/duisBench';
import { RTDS_DEVICES } from '../../harness/dsp/registrationData';
import { runInstallation } from '../../harness/fleet/installationRun';
import { fleetInstallation, type FleetInstallation } from '../../harness/fleet/population';
import { RULES } from '../../harness/fleet/rules';
import { benchInstallation, migrationRegistrationData } from '../../harness/migration/installation';
import { MemoryJournal } from '../../harness/migration/journal';
import { migrate } from '../../harness/migration/orchestrator';
import { dccParties } from '../../harness/migration/parties';
import { testConfig } from './support';

const config = testConfig();
const SEED = 7;

/** The first installation of the population (seed 7) that `fits`. */
function sample(fits: (spec: FleetInstallation) => boolean): FleetInstallation {
  for (let index = 0; index < 200; index++) {
    const spec = fleetInstallation(config, SEED, index);
    if (fits(spec)) return spec;
  }
  throw new Error('no such installation in the first 200');
}

/** The migration API on the same installation: the test's own bench, faults and migrate() call. */
async function direct(spec: FleetInstallation) {
  const installation = {
    ...benchInstallation({ vendor: spec.vendor, kind: spec.kind, ppmid: spec.ppmid }),
    id: `FLEET-${spec.index}`,
  };
  const bench = await DuisBench.start({
    vendor: spec.vendor,
    seed: spec.benchSeed,
    // the fleet's one SMSO PKI and S1SP (docs/fleet.md), not the installation's own
    pkiSeed: spec.pkiSeed,
    migrationState: 'smso',
    registration: migrationRegistrationData(installation),
    keyParties: dccParties(spec.pkiSeed),
    s1sp: { fixes: new Set(['response-code-always']) },
  });
  await bench.command(RTDS_DEVICES.esme, { type: 'mainsVoltage', voltage: spec.supply.voltage });
  await bench.command(RTDS_DEVICES.esme, {
    type: 'load',
    activePower: spec.supply.activePower,
    powerFactor: spec.supply.powerFactor,
  });
  // a poor gas HAN as docs/fleet.md states it: the bad day's loss on the GSME for a run on a bad day, the GSME
  // profile's 0.05 again on a good day after a bad one; nothing sent when the day is as the run before's
  const gasHan = async (run: number) => {
    const han = spec.poorGasHan;
    if (han === undefined || han.badRuns[run] === (run === 0 ? false : han.badRuns[run - 1])) return;
    await bench.command(RTDS_DEVICES.gsme, {
      type: 'injectFault',
      fault: 'hanFailureRate',
      value: han.badRuns[run] ? han.lossRate : 0.05,
    });
  };
  await gasHan(0);
  const options = {
    installation,
    seed: spec.benchSeed,
    pkiSeed: spec.pkiSeed,
    gasHanFailure: 'reject-dormant' as const,
    journal: new MemoryJournal(),
  };
  const first = await migrate(bench, options);
  let result = first;
  // MEHRS as docs/fleet.md states it: a pending rollback is finished, and an electricity-only installation's gas
  // meter retried, each a day later, up to five failed attempts
  for (let rerun = 0; rerun < 5; rerun++) {
    const gasRetry = result.outcome === 'migrated-electricity-only' && result.failedAttempts < 5;
    if (!gasRetry && result.outcome !== 'rollback-pending') break;
    await bench.advance(86_400_000);
    await gasHan(rerun + 1);
    result = await migrate(bench, { ...options, gasRetry });
  }
  if (result.outcome === 'migrated' || result.outcome === 'migrated-electricity-only') await bench.advance(3_600_000); // the one-hour alert watch
  const alerts = bench.deviceAlerts.map((a) => `${a.code.toString(16).toUpperCase()}@${a.at - first.startMs}`);
  await bench.close();
  return {
    outcome: result.outcome,
    rejection: result.rejection?.code,
    attempts: result.attempts,
    endMs: result.endMs - first.startMs,
    alerts,
  };
}

describe('the simulator migrates for real', () => {
  it.each([
    [
      'a plain installation',
      (s: FleetInstallation) =>
        s.poorGasHan === undefined && !s.gasNotInDeviceLog && !s.splitSupplier && !s.offListFirmware,
    ],
    [
      'a dormant one with a poor gas HAN on a bad first day',
      (s: FleetInstallation) =>
        s.kind === 'dormant' &&
        s.poorGasHan?.badRuns[0] === true &&
        !s.gasNotInDeviceLog &&
        !s.splitSupplier &&
        !s.offListFirmware,
    ],
    [
      'an active one with a poor gas HAN, bad on day 1 and good on day 2 (electricity only, then a gas retry)',
      (s: FleetInstallation) =>
        s.kind === 'active' &&
        s.poorGasHan?.badRuns[0] === true &&
        s.poorGasHan.badRuns[1] === false &&
        !s.gasNotInDeviceLog &&
        !s.splitSupplier &&
        !s.offListFirmware,
    ],
    [
      'a dormant Itron with a power factor under its 0.95 threshold (risk 11)',
      (s: FleetInstallation) =>
        s.vendor === 'itron' &&
        s.kind === 'dormant' &&
        s.supply.powerFactor < 0.95 &&
        s.poorGasHan === undefined &&
        !s.gasNotInDeviceLog &&
        !s.splitSupplier &&
        !s.offListFirmware,
    ],
  ])('%s: outcome, attempts, duration and alerts equal the migration API', async (name, fits) => {
    const spec = sample(fits);
    const record = await runInstallation(spec, config, RULES['2020']);
    const expected = await direct(spec);
    expect([record.outcome, record.rejection]).toEqual([expected.outcome, expected.rejection]);
    expect([record.attempts.length, record.endMs]).toEqual([expected.attempts, expected.endMs]);
    expect(record.alerts.map((a) => `${a.code.replace(/^0+/, '')}@${a.atMs}`)).toEqual(expected.alerts);
    expect(expected.alerts.length).toBeGreaterThan(0);
    // the risk 11 sample does raise the power-factor alert, so the supply really reached its ESME
    if (name.includes('risk 11')) expect(expected.alerts.some((a) => a.startsWith('8014@'))).toBe(true);
  });
});
