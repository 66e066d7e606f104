/**
 * The fleet calibration against the seeds' figures (docs/fleet.md "Calibration"): real migrations of the shipped
 * calibration's population (or --calibration FILE), each figure within its stated tolerance or exit 1.
 *
 *   npm run calibrate:fleet                                   # population of 8,000, seed 7, the cores available
 *   npm run calibrate:fleet -- --population 2000 --threads 2  # quicker, wider sampling error
 *
 * Figures (2020 rules):
 * - right first time of a day's starts (seed 000: 100 % at 2,000 a day): `smets1 simulate`'s own day figure for one
 *   day of --day-volume installations, every one migrated;
 * - gas repeat attempts that succeed (seed 003: 77 %) and GT01/GTA8 among dormant rejections (seed 003: 55 %): over
 *   the first --population installations, counting only those that can have a gas retry or a dormant rejection, all
 *   of which are migrated for real: a gas retry follows a gas failure at the first attempt's HAN pre-check, so only
 *   active installations with a poor gas HAN or a GSME missing from the CH's device log; a dormant rejection needs a
 *   split supplier, an off-list firmware, a poor gas HAN or the missing GSME. The others are not migrated here: a
 *   plain gas meter fails the pre-check only when all three tries of one message are lost at the profile's 5 % (1 in
 *   8,000), which the output states as the bound of what this leaves out.
 * A script, not a test: the figures need thousands of migrations (minutes of CPU), too many for the suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFleetConfig, withVolume } from '../harness/fleet/config';
import type { InstallationRecord } from '../harness/fleet/installationRun';
import { MigrationPool } from '../harness/fleet/migrationPool';
import { fleetInstallation, type FleetInstallation } from '../harness/fleet/population';
import { simulate } from '../harness/fleet/simulation';
import { integer } from '../harness/cli/optionTable';
import { scriptArgs, type ScriptArgs } from './scriptArgs';

const DEFAULT_CALIBRATION = fileURLToPath(new URL('../fleet/calibration.yaml', import.meta.url));

interface CalibrationOptions {
  population: number;
  dayVolume: number;
  seed: number;
  threads: number;
  calibration: string;
}

const args = scriptArgs<CalibrationOptions>({
  script: 'calibrate:fleet',
  summary:
    "the fleet calibration against the seeds' figures: real migrations, exit 1 when a figure is outside its tolerance",
  options: {
    population: {
      flags: '--population <n>',
      description: 'the first N installations of the population',
      parse: integer(1, 10_000_000),
      default: 8000,
    },
    dayVolume: {
      flags: '--day-volume <n>',
      description: 'installations of the right-first-time day',
      parse: integer(1, 10_000_000),
      default: 300,
    },
    seed: { flags: '--seed <n>', description: 'the seeded generator', parse: integer(0, 4_294_967_295), default: 7 },
    threads: {
      flags: '--threads <n>',
      description: 'worker threads',
      parse: integer(1, 256),
      default: availableParallelism(),
      defaultDescription: 'the cores available',
    },
    calibration: {
      flags: '--calibration <file>',
      description: 'the calibration to check',
      default: DEFAULT_CALIBRATION,
      defaultDescription: 'fleet/calibration.yaml',
    },
  },
  examples: ['npm run calibrate:fleet -- --population 2000 --threads 2'],
});
// Annotated, so TypeScript narrows after a call to it as it does after `never`-returning functions.
const usageError: ScriptArgs<CalibrationOptions>['usageError'] = args.usageError;

interface Figure {
  readonly name: string;
  readonly seed: string;
  readonly count: number;
  readonly of: number;
  /** Passes when the simulated share (0-1) is within this. */
  readonly within: (share: number) => boolean;
  readonly tolerance: string;
}

/** Half the width of the 95 % normal interval of a share of n: the run's own sampling error. */
function halfWidth(share: number, n: number): number {
  return n === 0 ? Infinity : 1.96 * Math.sqrt((share * (1 - share)) / n);
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

async function calibrate(): Promise<void> {
  const { population, dayVolume, seed, threads, calibration: calibrationFile } = args.options;
  let loaded;
  try {
    loaded = loadFleetConfig(calibrationFile);
  } catch (error) {
    usageError((error as Error).message);
  }
  const config = loaded.config;
  if (population > config.population.size.value)
    usageError(`--population ${population} is more than the calibration's population.size`);
  const started = performance.now();
  console.log(
    `calibrate:fleet ${calibrationFile}, seed ${seed}, 2020 rules, ${threads} thread(s), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  // right first time: the simulator's own figure for one day
  const out = mkdtempSync(join(tmpdir(), 'smets1-calibrate-'));
  let rightFirstTime: number;
  try {
    const run = await simulate(
      {
        seed,
        rules: '2020',
        days: 1,
        volume: dayVolume,
        calibration: loaded.document,
        config: withVolume(config, dayVolume),
      },
      { threads, deviceClock: 'virtual' },
      out,
      { migrated: () => undefined },
      () => false,
    );
    rightFirstTime = (run.days[0].rightFirstTimePercent ?? 0) / 100;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }

  // the installations that can have a gas retry or a dormant rejection, migrated for real
  const gasRetryCapable = (s: FleetInstallation) =>
    s.kind === 'active' &&
    !s.splitSupplier &&
    !s.offListFirmware &&
    (s.poorGasHan !== undefined || s.gasNotInDeviceLog);
  const dormantRejectable = (s: FleetInstallation) =>
    s.kind === 'dormant' && (s.splitSupplier || s.offListFirmware || s.poorGasHan !== undefined || s.gasNotInDeviceLog);
  const chosen: number[] = [];
  for (let k = 0; k < population; k++) {
    const spec = fleetInstallation(config, seed, k);
    if (gasRetryCapable(spec) || dormantRejectable(spec)) chosen.push(k);
  }
  const pool = new MigrationPool({ seed, rules: '2020', config, deviceClock: 'virtual' }, threads);
  let records: Map<number, InstallationRecord>;
  try {
    records = await pool.migrate(
      chosen,
      () => false,
      (done) => {
        if (process.stdout.isTTY) process.stdout.write(`\r\x1b[K${done}/${chosen.length} migrated`);
      },
    );
  } finally {
    await pool.close();
  }
  if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
  const all = [...records.values()];
  const gasRetries = all.flatMap((r) => r.attempts.filter((a) => a.gas));
  const gasRetriesMigrated = gasRetries.filter((a) => a.result === 'migrated').length;
  const dormantRejections = all.filter((r) => r.kind === 'dormant' && r.outcome === 'rejected');
  const byCode = new Map<string, number>();
  for (const r of dormantRejections) byCode.set(r.rejection ?? '?', (byCode.get(r.rejection ?? '?') ?? 0) + 1);
  const gasCoded = (byCode.get('GT01') ?? 0) + (byCode.get('GTA8') ?? 0);

  const figures: Figure[] = [
    {
      name: `right first time, one day of ${dayVolume}`,
      seed: 'seed 000: 100 % at 2,000 a day for 7 working days',
      count: Math.round(rightFirstTime * dayVolume),
      of: dayVolume,
      within: (share) => share >= 0.95,
      tolerance: '≥ 95 %',
    },
    {
      name: 'gas repeat attempts that migrated',
      seed: 'seed 003: 77 % of all retries',
      count: gasRetriesMigrated,
      of: gasRetries.length,
      within: (share) => Math.abs(share - 0.77) <= 0.05,
      tolerance: '77 ± 5 points',
    },
    {
      name: 'GT01/GTA8 among dormant rejections',
      seed: 'seed 003: 55 % of 9,545',
      count: gasCoded,
      of: dormantRejections.length,
      within: (share) => Math.abs(share - 0.55) <= 0.05,
      tolerance: '55 ± 5 points',
    },
  ];
  let failed = 0;
  console.log('');
  for (const f of figures) {
    const share = f.of === 0 ? NaN : f.count / f.of;
    const ok = f.of > 0 && f.within(share);
    if (!ok) failed++;
    console.log(
      `${ok ? 'ok  ' : 'MISS'} ${f.name}: ${Number.isNaN(share) ? '–' : pct(share)} (${f.count} of ${f.of}; 95 % sampling ± ${pct(halfWidth(share, f.of))}) · ${f.seed} · tolerance ${f.tolerance}`,
    );
  }
  console.log(
    `\ndormant rejections by code: ${[...byCode]
      .sort()
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}`,
  );
  console.log(
    `${chosen.length} of the first ${population} installations migrated for the retry and rejection figures (the others cannot have either, but for a plain gas meter losing all three tries of one message: 1 in 8,000 a message)`,
  );
  console.log(
    `${((performance.now() - started) / 1000).toFixed(0)} s wall, ${((process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6).toFixed(0)} s CPU, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  process.exit(failed === 0 ? 0 : 1);
}

calibrate().catch((error: unknown) => {
  process.stderr.write(`calibrate:fleet: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
