/**
 * `smets1 simulate --days N [--volume N] [--seed N] [--rules 2020|2021] [--calibration FILE] [--shard i/n] --out DIR`:
 * the fleet migration simulator (docs/fleet.md). Every installation is migrated for real on emulated devices; the
 * output is fleet.json, fleet.csv, fleet.html and the records (installations.jsonl, run.json) `smets1 merge` reads.
 * A shard writes only its records. Exit 0 done, 1 a failure while running, 2 bad usage or a bad calibration file,
 * 130 Ctrl-C (the days done are written and summarised; a shard writes nothing).
 */
import { accessSync, constants } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { FleetConfigError, loadFleetConfig, withVolume } from '../fleet/config';
import type { DayStats } from '../fleet/dayStats';
import { fleetSummary, writeFleetOutputs, type FleetParameters } from '../fleet/fleetOutputs';
import { RULES_YEARS, type RulesYear } from '../fleet/rules';
import type { DeviceClock } from '../fleet/migrationPool';
import { simulate, simulateShard, type Progress, type Shard } from '../fleet/simulation';
import { parseShard } from '../run/packFiles';
import { watchInterruption } from './interruption';
import { writeInstallationPack } from './packFor';
import { addOptions, integer, type OptionTable } from './optionTable';
import { makeDirectory } from '../../common/makeDirectory';

export interface SimulateOptions {
  days: number | undefined;
  volume: number | undefined;
  seed: number;
  rules: RulesYear;
  calibration: string;
  shard: Shard | undefined;
  threads: number;
  deviceClock: DeviceClock;
  out: string;
  packFor: number | undefined;
}

const DEFAULT_CALIBRATION = fileURLToPath(new URL('../../fleet/calibration.yaml', import.meta.url));

const simulateOptions: OptionTable<SimulateOptions> = {
  days: {
    flags: '--days <n>',
    description: 'working days to simulate (required)',
    example: '--days 10',
    parse: integer(1, 3650),
  },
  volume: {
    flags: '--volume <n>',
    description:
      "a constant cap on migrations started a day, instead of the calibration file's pacing plan (its review points)",
    example: '--volume 2000',
    parse: integer(1, 10_000_000),
  },
  seed: {
    flags: '--seed <n>',
    description:
      "seed of the population, of every installation (each from (seed, installation index)) and of the run's one SMSO test PKI and S1SP signing party, which every installation shares",
    default: 1,
    parse: integer(0, 4_294_967_295),
  },
  rules: {
    flags: '--rules <year>',
    description:
      '2020: a dormant installation whose gas meter fails the HAN pre-check (GT01, GTA8) is rejected, split supplier not migrated (the seeds); 2021: the electricity meter migrates alone (MEHRS change), split supplier migrated',
    choices: RULES_YEARS,
    default: '2020',
  },
  calibration: {
    flags: '--calibration <file>',
    description: 'the parameters, each public or assumed with its note (docs/fleet.md)',
    default: DEFAULT_CALIBRATION,
    defaultDescription: 'fleet/calibration.yaml',
  },
  shard: {
    flags: '--shard <i/n>',
    description:
      'migrate only shard i of n (installation k is in shard (k mod n) + 1) and write its records for `smets1 merge`; default from JOB_COMPLETION_INDEX (0-based) and JOB_COMPLETIONS (a Kubernetes indexed Job)',
    example: '--shard 2/4',
    parse: (text) => parseShard(text),
  },
  threads: {
    flags: '--threads <n>',
    description:
      'worker threads migrating (1: all in the main thread); the outputs are the same byte for byte whatever the number',
    default: availableParallelism(),
    defaultDescription: 'the cores available',
    parse: integer(1, 256),
  },
  deviceClock: {
    flags: '--device-clock <clock>',
    description:
      "the devices' virtual clock: ours, or XState's SimulatedClock (for bench:fleet's comparison; the outcomes are the same, the speed is not)",
    choices: ['virtual', 'xstate-simulated'],
    default: 'virtual',
  },
  out: { flags: '--out <dir>', description: 'where the outputs are written', default: 'fleet' },
  packFor: {
    flags: '--pack-for <index>',
    description:
      'instead of a fleet run, write installation <index> (0-based) of the population as a pack, <out>/installation-<index>.yaml, that `smets1 run` migrates as the simulator does (same --seed, --rules, --calibration; no --days, --volume or --shard)',
    example: '--pack-for 12 --seed 7 --out packs-of-fleet',
    parse: integer(0, 100_000_000),
  },
};

function usage(message: string): CommanderError {
  return new CommanderError(2, 'smets1.usage', `smets1 simulate: ${message}`);
}

/** --shard, else a Kubernetes indexed Job's JOB_COMPLETION_INDEX (0-based) of JOB_COMPLETIONS. */
export function shardFrom(option: Shard | undefined, env: NodeJS.ProcessEnv): Shard | undefined {
  if (option !== undefined) return option;
  const index = env.JOB_COMPLETION_INDEX;
  const count = env.JOB_COMPLETIONS;
  if (index === undefined && count === undefined) return undefined;
  if (index === undefined || count === undefined)
    throw usage('JOB_COMPLETION_INDEX and JOB_COMPLETIONS go together (one is set, the other not)');
  const i = /^\d+$/.test(index) ? Number(index) : NaN;
  const n = /^\d+$/.test(count) ? Number(count) : NaN;
  if (!(n >= 1 && i >= 0 && i < n))
    throw usage(
      `JOB_COMPLETION_INDEX ${JSON.stringify(index)} of JOB_COMPLETIONS ${JSON.stringify(count)} is not an index from 0 to n-1`,
    );
  return { index: i + 1, count: n };
}

function rate(migrations: number, wallMs: number): string {
  return `${migrations} migration(s) in ${(wallMs / 1000).toFixed(1)} s wall, ${wallMs === 0 ? '0' : ((migrations * 1000) / wallMs).toFixed(2)}/s`;
}

function dayLine(stats: DayStats): string {
  const rejected = Object.values(stats.rejected).reduce((a, b) => a + b, 0);
  return (
    `day ${stats.day + 1}: cap ${stats.cap}${stats.capHeld ? ' (held at review)' : ''}, started ${stats.started}, attempted ${stats.attempted}, ` +
    `migrated ${stats.migrated} (+${stats.migratedElectricityOnly} electricity only), rejected ${rejected}, failed ${stats.failedRolledBack}, ` +
    `excluded ${stats.excluded}, right first time ${stats.rightFirstTimePercent === null ? '–' : `${stats.rightFirstTimePercent} %`}, backlog ${stats.backlog}`
  );
}

export function simulateCommand(out: (line: string) => void): Command {
  const command = new Command('simulate')
    .description(
      'simulate a fleet migration day by day, every migration real (docs/fleet.md); exit 0 done, 1 failed, 2 bad input, 130 interrupted',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  smets1 simulate --days 5 --volume 20 --seed 1 --out fleet\n  smets1 simulate --days 30 --rules 2021 --out fleet-2021\n  smets1 simulate --days 5 --volume 20 --shard 1/4 --out shard-1   # then: smets1 merge shard-* --out fleet',
    );
  addOptions(command, simulateOptions);
  command.action(async (options: SimulateOptions) => {
    if (options.packFor !== undefined) {
      for (const [given, flag] of [
        [options.days, '--days'],
        [options.volume, '--volume'],
        [options.shard, '--shard'],
      ] as const)
        if (given !== undefined) throw usage(`--pack-for writes one installation's pack: ${flag} does not go with it`);
    } else if (options.days === undefined) throw usage('--days is required');
    const dayCount = options.days;
    const shard = options.packFor === undefined ? shardFrom(options.shard, process.env) : undefined;
    let loaded;
    try {
      loaded = loadFleetConfig(options.calibration);
    } catch (error) {
      if (error instanceof FleetConfigError)
        throw new CommanderError(2, 'smets1.badCalibration', `smets1 simulate: ${error.message}`);
      throw error;
    }
    try {
      makeDirectory(options.out);
      accessSync(options.out, constants.W_OK);
    } catch (error) {
      throw usage(
        `--out ${options.out}: cannot be created or written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
    if (options.packFor !== undefined) {
      const file = await writeInstallationPack(
        options.packFor,
        loaded.config,
        options.seed,
        options.rules,
        options.out,
      );
      out(`written: ${file} (smets1 run ${file} --reporter json)`);
      return;
    }
    if (dayCount === undefined) throw usage('--days is required');
    const parameters: FleetParameters = {
      seed: options.seed,
      rules: options.rules,
      days: dayCount,
      calibration: loaded.document,
      config: options.volume === undefined ? loaded.config : withVolume(loaded.config, options.volume),
      ...(options.volume === undefined ? {} : { volume: options.volume }),
    };
    const terminal = process.stdout.isTTY === true;
    const days: DayStats[] = [];
    const progress: Progress = {
      migrated: (done, total, wallMs) => {
        if (terminal)
          process.stdout.write(
            `\r\x1b[K${shard === undefined ? `day ${days.length + 1}/${options.days}` : `shard ${shard.index}/${shard.count}`}: ${done}/${total} migrated · ${rate(done, wallMs)}`,
          );
      },
      day: (stats, migrations, wallMs) => {
        days.push(stats);
        if (terminal) process.stdout.write('\r\x1b[K');
        out(`${dayLine(stats)} · ${rate(migrations, wallMs)}`);
      },
    };
    let stop = false;
    const interruption = watchInterruption((signal) => {
      stop = true;
      process.stderr.write(
        `\nsmets1 simulate: ${signal}: stopping after the migrations under way (again to quit at once)\n`,
      );
    });
    let run;
    try {
      const execution = { threads: options.threads, deviceClock: options.deviceClock };
      run =
        shard === undefined
          ? await simulate(parameters, execution, options.out, progress, () => stop)
          : await simulateShard(parameters, execution, shard, options.out, progress, () => stop);
    } finally {
      interruption.dispose();
    }
    if (terminal) process.stdout.write('\r\x1b[K');
    if (shard === undefined) {
      const summary = fleetSummary(parameters, run.days);
      writeFleetOutputs(options.out, summary);
      const t = summary.totals;
      out(
        `${run.days.length} of ${options.days} day(s): started ${t.started}, migrated ${t.migrated} (+${t.migratedElectricityOnly} electricity only), ` +
          `rejected ${Object.values(t.rejected).reduce((a, b) => a + b, 0)}, excluded ${t.excluded} · ${rate(run.migrations, run.wallMs)}`,
      );
      out(`written: ${options.out}/fleet.json, fleet.csv, fleet.html, installations.jsonl, run.json`);
    } else if (!run.interrupted) {
      out(
        `shard ${shard.index}/${shard.count}: ${rate(run.migrations, run.wallMs)}; written: ${options.out}/installations.jsonl, run.json (for smets1 merge)`,
      );
    }
    const signal = interruption.signal();
    if (signal !== undefined) {
      const what =
        shard === undefined
          ? `the ${run.days.length} day(s) done are in ${options.out}`
          : `shard ${shard.index}/${shard.count} incomplete: nothing written`;
      throw new CommanderError(
        interruption.exitCode(),
        'smets1.interrupted',
        `smets1 simulate: interrupted by ${signal}; ${what}`,
      );
    }
  });
  return command;
}
