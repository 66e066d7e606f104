/**
 * A regression pack (docs/packs.md) that reproduces one installation of a simulated fleet with `smets1 run`: the
 * same bench seed, vendor, kind, PPMID, the supply and poor gas HAN the fleet puts on its devices, the migration
 * under the run's rules, its re-runs a day apart as the fleet made them, and the alert watch (docs/fleet.md
 * "One installation as a pack"). What it does not carry is the fleet's PKI seed: the pack's bench signs with its
 * own, which changes signatures and certificates only, not outcomes, times or alerts.
 */
import { stringify } from 'yaml';
import type { MigrationOutcome } from '../migration/orchestrator';
import type { FleetConfig } from './config';
import { fleetInstallationId, offListEsmeFirmware, RETRY_INTERVAL_MS } from './installationRun';
import { SPLIT_GAS_SUPPLIER, type FleetInstallation } from './population';
import type { Rules, RulesYear } from './rules';

/**
 * The pack's text. `run` is what the fleet did with the installation (migrateInstallation): its re-runs, which the
 * pack repeats, and its outcome, which the pack expects, so `smets1 run` passes when it reproduces the migration.
 */
export function installationPack(
  spec: FleetInstallation,
  config: FleetConfig,
  rules: { year: RulesYear; rules: Rules },
  seed: number,
  run: { readonly outcome: MigrationOutcome; readonly reruns: readonly { readonly gasRetry: boolean }[] },
): string {
  const han = spec.poorGasHan;
  // a poor gas HAN: the loss of the run's day, sent only when it changes from the run before (installationRun.ts)
  const gasHan = (run: number): object[] => {
    if (han === undefined) return [];
    const bad = han.badRuns[run];
    if (bad === (run === 0 ? false : han.badRuns[run - 1])) return [];
    return [{ stimulus: { hanFailureRate: bad ? han.lossRate : han.goodDayLossRate, device: 'GSME' } }];
  };
  const migrate = {
    installation: spec.kind,
    installationId: fleetInstallationId(spec.index),
    ...(spec.splitSupplier ? { gasSupplier: SPLIT_GAS_SUPPLIER } : {}),
    splitSupplierFix: rules.rules.splitSupplierFix,
    ...(spec.offListFirmware ? { firmware: { ESME: offListEsmeFirmware(spec.vendor) } } : {}),
    maxFailedAttempts: config.migration.maxFailedAttempts.value,
    gasHanFailure: rules.rules.gasHanFailure,
  };
  const steps: object[] = [
    { stimulus: { mainsVoltage: spec.supply.voltage } },
    { stimulus: { power: { activePower: spec.supply.activePower, powerFactor: spec.supply.powerFactor } } },
    ...gasHan(0),
    // GTA8's cause: the CH's device log without the GSME (its 0x8F12 is the installation's past, not in the record)
    ...(spec.gasNotInDeviceLog ? [{ stimulus: { hanLogRemove: 'GSME' } }] : []),
    { migrate },
    ...run.reruns.flatMap((rerun, r) => [
      { wait: `${RETRY_INTERVAL_MS}ms` },
      ...gasHan(r + 1),
      { migrate: rerun.gasRetry ? { gasRetry: true } : migrate },
    ]),
    // a pending rollback the re-runs did not finish is no outcome a pack can expect (nor one the fleet counts)
    ...(run.outcome === 'rollback-pending' ? [] : [{ expect: { migration: { outcome: run.outcome } } }]),
    ...(run.outcome === 'migrated' || run.outcome === 'migrated-electricity-only'
      ? [{ wait: `${config.migration.alertWatch.value}ms` }]
      : []),
  ];
  const pack = {
    name: `fleet-${seed}-installation-${spec.index}`,
    description: `Installation ${spec.index} of the fleet of seed ${seed} under the ${rules.year} rules, as smets1 simulate migrates it (docs/fleet.md)`,
    bench: {
      vendor: spec.vendor,
      installation: spec.kind,
      ppmid: spec.ppmid,
      seed: spec.benchSeed,
      // the fleet's benches: devices in the process on virtual time, responses carrying their code (91339/91340 fix)
      link: 'loopback',
      fixes: { 'response-code-always': true },
    },
    scenarios: [{ name: `installation ${spec.index}`, steps }],
  };
  return `# written by smets1 simulate --pack-for ${spec.index} --seed ${seed} --rules ${rules.year}\n${stringify(pack)}`;
}
