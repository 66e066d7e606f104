/**
 * One installation of the fleet, migrated for real: its own DuisBench (emulated devices on the loopback link,
 * gateway, DSP, the vendor's S1SP) and the migration orchestrator's migrate(), then the gas retries an
 * electricity-only installation gets, then a watch of the migrated meters' alerts. What the record says (outcome,
 * attempt times, alerts) is read off the orchestrator's result and the bench; nothing is drawn here.
 *
 * Every time in the record is ms after the migration started, so an installation's record does not depend on the
 * day it is scheduled on: the schedule (schedule.ts) places it.
 */
import { DuisBench } from '../bench/duisBench';
import { RTDS_DEVICES } from '../dsp/registrationData';
import { attemptSpans } from '../migration/attemptSpans';
import type { RejectionCode } from '../migration/eligibility';
import { benchInstallation, migrationRegistrationData, type MigrationInstallation } from '../migration/installation';
import { inventoryFirmware } from '../migration/smsoInventory';
import { MemoryJournal } from '../migration/journal';
import { migrate, type MigrationOutcome, type MigrationResult } from '../migration/orchestrator';
import { dccParties } from '../migration/parties';
import type { FleetConfig } from './config';
import type { DeviceClock } from './migrationPool';
import { SPLIT_GAS_SUPPLIER, type FleetInstallation } from './population';
import type { Rules } from './rules';
import { XStateSimulatedClock } from './xstateClock';

/** Between two attempts: the orchestrator's own retry interval (docs/migration.md), for the gas retries too. */
export const RETRY_INTERVAL_MS = 24 * 3600 * 1000;

export interface AttemptRecord {
  readonly startMs: number;
  readonly endMs: number;
  /** `migrated-electricity-only`: the attempt migrated the electricity meter alone (a gas failure at the pre-check). */
  readonly result: 'migrated' | 'migrated-electricity-only' | 'failed' | 'rejected';
  /** A gas retry (the GSME alone, after an electricity-only migration). */
  readonly gas: boolean;
}

export interface InstallationRecord {
  readonly index: number;
  readonly vendor: FleetInstallation['vendor'];
  readonly kind: FleetInstallation['kind'];
  readonly outcome: MigrationOutcome;
  readonly rejection?: RejectionCode;
  readonly attempts: readonly AttemptRecord[];
  /** Device alerts (hex code) with their time, from the start of the migration to the end of the watch. */
  readonly alerts: readonly { readonly code: string; readonly atMs: number }[];
  /** When the outcome was reached (the last attempt's end; 0 for a rejection at the start). */
  readonly endMs: number;
}

/** The installation's id in the migration file: with the bench seed, it seeds the migration's draws. */
export function fleetInstallationId(index: number): string {
  return `FLEET-${index}`;
}

/** A firmware the vendor never had listed: the inventory's with a suffix no product carries. */
export function offListEsmeFirmware(vendor: FleetInstallation['vendor']): string {
  return `${inventoryFirmware(vendor, 'ESME')}-UNLISTED`;
}

/** The migration file's record of the installation, as the orchestrator reads it. */
function fleetMigrationInstallation(spec: FleetInstallation): MigrationInstallation {
  const base = benchInstallation({
    vendor: spec.vendor,
    kind: spec.kind,
    ppmid: spec.ppmid,
    ...(spec.splitSupplier ? { gasSupplier: SPLIT_GAS_SUPPLIER } : {}),
    ...(spec.offListFirmware ? { firmware: { ESME: offListEsmeFirmware(spec.vendor) } } : {}),
  });
  return { ...base, id: fleetInstallationId(spec.index) };
}

/**
 * A poor gas HAN on run `run` (0 the first migration, r the r-th re-run): the bad day's loss on the GSME, or the good
 * day's (the calibration's, the GSME's usual loss: the bench protocol has no read of the device's own). Set only when
 * it changes from the run before, so a good first day sends nothing and the device's own loss stands.
 */
async function gasHanOfRun(bench: DuisBench, spec: FleetInstallation, run: number): Promise<void> {
  const han = spec.poorGasHan;
  if (han === undefined) return;
  const bad = han.badRuns[run];
  if (bad === (run === 0 ? false : han.badRuns[run - 1])) return;
  const value = bad ? han.lossRate : han.goodDayLossRate;
  await bench.command(RTDS_DEVICES.gsme, { type: 'injectFault', fault: 'hanFailureRate', value });
}

/** Migrates the installation and watches its alerts; the bench is closed before this returns. */
export async function runInstallation(
  spec: FleetInstallation,
  config: FleetConfig,
  rules: Rules,
  deviceClock: DeviceClock = 'virtual',
): Promise<InstallationRecord> {
  return (await migrateInstallation(spec, config, rules, deviceClock)).record;
}

/**
 * The installation's record and its re-runs a day apart (`gasRetry` each: a gas retry, or the finish of a pending
 * rollback), which a pack reproducing it (installationPack.ts) repeats step by step.
 */
export async function migrateInstallation(
  spec: FleetInstallation,
  config: FleetConfig,
  rules: Rules,
  deviceClock: DeviceClock = 'virtual',
): Promise<{ record: InstallationRecord; reruns: { gasRetry: boolean }[] }> {
  const installation = fleetMigrationInstallation(spec);
  const bench = await DuisBench.start({
    vendor: spec.vendor,
    seed: spec.benchSeed,
    pkiSeed: spec.pkiSeed,
    migrationState: 'smso',
    registration: migrationRegistrationData(installation),
    keyParties: dccParties(spec.pkiSeed, spec.splitSupplier ? SPLIT_GAS_SUPPLIER : undefined),
    // as bench/migration.ts: responses carry their code (the 91339/91340 fix), so a refusal is read as one
    s1sp: { fixes: new Set(['response-code-always']) },
    ...(deviceClock === 'xstate-simulated'
      ? { virtualClock: (startMs: number | undefined) => new XStateSimulatedClock(startMs) }
      : {}),
  });
  try {
    // the premises' supply as the ESME measures it: a migrated Itron's alert settings (risk 11) fire on it
    await bench.command(RTDS_DEVICES.esme, { type: 'mainsVoltage', voltage: spec.supply.voltage });
    await bench.command(RTDS_DEVICES.esme, {
      type: 'load',
      activePower: spec.supply.activePower,
      powerFactor: spec.supply.powerFactor,
    });
    await gasHanOfRun(bench, spec, 0);
    if (spec.gasNotInDeviceLog) {
      await bench.command(RTDS_DEVICES.chf, { type: 'hanLogRemove', deviceId: RTDS_DEVICES.gsme });
      // let the CH's device-log alert arrive: it is the installation's past, not its migration's
      await bench.advance(0);
    }
    const alertsBefore = bench.deviceAlerts.length;
    const origin = bench.clock.now();
    const journal = new MemoryJournal();
    const maxFailedAttempts = config.migration.maxFailedAttempts.value;
    const options = {
      installation,
      seed: spec.benchSeed,
      pkiSeed: spec.pkiSeed,
      journal,
      splitSupplierFix: rules.splitSupplierFix,
      gasHanFailure: rules.gasHanFailure,
      maxFailedAttempts,
      // the record is made of the outcome and the times: the documents a migration exchanged are not read
      keepExchanges: false,
    };
    let result = await migrate(bench, options);
    const reruns: { gasRetry: boolean }[] = [];
    const attempts = attemptsOf(result, false, origin, 0);
    // MEHRS: the gas meter of an electricity-only installation is tried again, a retry interval apart, until it
    // migrates or the installation's failed attempts reach the limit; a rollback left pending (a device out of reach
    // for it) is finished by the next scheduled run, which then carries on with the retries
    for (let rerun = 0; rerun < maxFailedAttempts; rerun++) {
      const gasRetry = result.outcome === 'migrated-electricity-only' && result.failedAttempts < maxFailedAttempts;
      if (!gasRetry && result.outcome !== 'rollback-pending') break;
      await bench.advance(RETRY_INTERVAL_MS);
      await gasHanOfRun(bench, spec, rerun + 1);
      result = await migrate(bench, { ...options, gasRetry });
      reruns.push({ gasRetry });
      attempts.push(...attemptsOf(result, gasRetry, origin, attempts.length));
    }
    const endMs = attempts.at(-1)?.endMs ?? result.endMs - origin;
    if (result.outcome === 'migrated' || result.outcome === 'migrated-electricity-only')
      await bench.advance(config.migration.alertWatch.value);
    const alerts = bench.deviceAlerts
      .slice(alertsBefore)
      .map((a) => ({ code: a.code.toString(16).toUpperCase().padStart(4, '0'), atMs: a.at - origin }));
    const record: InstallationRecord = {
      index: spec.index,
      vendor: spec.vendor,
      kind: spec.kind,
      outcome: result.outcome,
      ...(result.rejection === undefined ? {} : { rejection: result.rejection.code }),
      attempts,
      alerts,
      endMs,
    };
    return { record, reruns };
  } finally {
    await bench.close();
  }
}

/**
 * The attempts one migrate() call made (attemptSpans: steps and paced phases, the retry wait left out). The call's last
 * attempt migrated when its outcome says so (a gas retry: `migrated`), was rejected at the pre-check, or failed;
 * every earlier one failed.
 */
function attemptsOf(result: MigrationResult, gas: boolean, origin: number, recorded: number): AttemptRecord[] {
  // a run finishing a pending rollback carries on the attempt recorded already: only later attempts are new
  const spans = attemptSpans(result).filter((span) => span.attempt > recorded);
  const last = spans.at(-1)?.attempt;
  const lastResult: AttemptRecord['result'] =
    result.outcome === 'rejected'
      ? 'rejected'
      : result.outcome === 'migrated' || (!gas && result.outcome === 'migrated-electricity-only')
        ? result.outcome
        : 'failed';
  return spans.map((span) => ({
    startMs: span.startMs - origin,
    endMs: span.endMs - origin,
    result: span.attempt === last ? lastResult : 'failed',
    gas,
  }));
}
