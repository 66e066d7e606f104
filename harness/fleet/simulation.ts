/**
 * A fleet simulation: day by day, the pacing plan's candidates are migrated for real (installationRun.ts, on worker
 * threads, migrationPool.ts) and placed on the calendar (schedule.ts). A shard migrates only its share
 * of the installations any day could reach (installation k is in shard (k mod n) + 1) and writes their records;
 * `smets1 merge` then schedules the union exactly as a whole run does. Each installation's record depends on (seed,
 * installation index) alone, so which process migrated it, and in what order, changes nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inShard } from '../run/packFiles';
import { fleetConfig, withVolume, type FleetConfig } from './config';
import type { DayStats } from './dayStats';
import type { FleetParameters } from './fleetOutputs';
import { replaceFile } from '../../emulator/persistence/atomicFile';
import type { InstallationRecord } from './installationRun';
import { MigrationPool, type DeviceClock } from './migrationPool';
import { Pacing } from './pacing';
import { RecordsWriter, RECORDS_FILE } from './recordsFile';
import { RULES_YEARS, type RulesYear } from './rules';
import { FleetSchedule } from './schedule';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface Progress {
  /** An installation's migration finished (done of total for the day or the shard). */
  migrated(done: number, total: number, wallMs: number): void;
  day?(stats: DayStats, migrations: number, wallMs: number): void;
}

export interface SimulationRun {
  readonly days: readonly DayStats[];
  /** Installations migrated in this process, and the wall time they took. */
  readonly migrations: number;
  readonly wallMs: number;
  readonly interrupted: boolean;
}

/** How the migrations run: worker threads (1: in the calling thread) and the devices' clock. */
interface Execution {
  readonly threads: number;
  readonly deviceClock: DeviceClock;
}

function startPool(parameters: FleetParameters, execution: Execution): MigrationPool {
  return new MigrationPool(
    { seed: parameters.seed, rules: parameters.rules, config: parameters.config, deviceClock: execution.deviceClock },
    execution.threads,
  );
}

/** The whole simulation in this process; records go to DIR/installations.jsonl as each day is scheduled. */
export async function simulate(
  parameters: FleetParameters,
  execution: Execution,
  directory: string,
  progress: Progress,
  stopped: () => boolean,
): Promise<SimulationRun> {
  const pool = startPool(parameters, execution);
  const schedule = new FleetSchedule(parameters.config);
  const writer = new RecordsWriter(join(directory, RECORDS_FILE));
  const waiting = new Map<number, InstallationRecord>();
  const days: DayStats[] = [];
  const start = performance.now();
  let migrations = 0;
  try {
    for (let day = 0; day < parameters.days && !stopped(); day++) {
      const dayStart = performance.now();
      const candidates = schedule.candidates();
      const missing = candidates.filter((i) => !waiting.has(i));
      const made = await pool.migrate(missing, stopped, (n) =>
        progress.migrated(n, missing.length, performance.now() - dayStart),
      );
      migrations += made.size;
      if (made.size < missing.length) break; // interrupted: the day is not complete, so it is not reported
      for (const [index, record] of made) waiting.set(index, record);
      const stats = schedule.scheduleDay(waiting);
      // installations started are done with; the rest wait for a later day (their records do not depend on it)
      const started = candidates.slice(0, stats.started);
      writer.append(started.map((i) => waiting.get(i)!));
      for (const i of started) waiting.delete(i);
      days.push(stats);
      progress.day?.(stats, made.size, performance.now() - dayStart);
    }
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    await pool.close();
  }
  writeRunFile(directory, parameters, undefined);
  return { days, migrations, wallMs: performance.now() - start, interrupted: stopped() };
}

/**
 * The installations any day could start: the plan's caps as if no review point ever held, summed over the days
 * (a hold only lowers a later cap), and never past the population.
 */
export function reachableInstallations(config: FleetConfig, dayCount: number): number {
  const pacing = new Pacing(config.pacing.stages.value, 0);
  let total = 0;
  for (let day = 0; day < dayCount; day++) {
    total += pacing.cap();
    pacing.endDay(1);
  }
  return Math.min(total, config.population.size.value);
}

/** One shard's migrations, written to DIR/installations.jsonl with run.json naming the shard. */
export async function simulateShard(
  parameters: FleetParameters,
  execution: Execution,
  shard: Shard,
  directory: string,
  progress: Progress,
  stopped: () => boolean,
): Promise<SimulationRun> {
  const reachable = reachableInstallations(parameters.config, parameters.days);
  const mine = Array.from({ length: reachable }, (_, i) => i).filter((i) => inShard(i, shard));
  const start = performance.now();
  const writer = new RecordsWriter(join(directory, RECORDS_FILE));
  const pool = startPool(parameters, execution);
  try {
    const made = await pool.migrate(mine, stopped, (n) => progress.migrated(n, mine.length, performance.now() - start));
    if (made.size < mine.length) {
      // an interrupted shard is not mergeable: no records file under the name
      writer.abort();
      return { days: [], migrations: made.size, wallMs: performance.now() - start, interrupted: true };
    }
    writer.append(mine.map((i) => made.get(i)!));
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    await pool.close();
  }
  writeRunFile(directory, parameters, shard);
  return { days: [], migrations: mine.length, wallMs: performance.now() - start, interrupted: false };
}

/** Schedules records from anywhere (merged shards) exactly as simulate() schedules its own. */
export function scheduleRecords(
  parameters: FleetParameters,
  records: ReadonlyMap<number, InstallationRecord>,
): DayStats[] {
  const schedule = new FleetSchedule(parameters.config);
  return Array.from({ length: parameters.days }, () => schedule.scheduleDay(records));
}

const RUN_FILE = 'run.json';

interface RunFile {
  readonly format: 'smets1-fleet-run/1';
  readonly seed: number;
  readonly rules: RulesYear;
  readonly days: number;
  readonly volume: number | null;
  readonly shard: Shard | null;
  readonly calibration: unknown;
}

function writeRunFile(directory: string, parameters: FleetParameters, shard: Shard | undefined): void {
  const run: RunFile = {
    format: 'smets1-fleet-run/1',
    seed: parameters.seed,
    rules: parameters.rules,
    days: parameters.days,
    volume: parameters.volume ?? null,
    shard: shard ?? null,
    calibration: parameters.calibration,
  };
  replaceFile(join(directory, RUN_FILE), [`${JSON.stringify(run, null, 2)}\n`]);
}

/** A directory's run.json: the parameters and the shard it holds (null: a whole run). */
export function readRunFile(directory: string): { parameters: FleetParameters; shard: Shard | undefined } {
  const path = join(directory, RUN_FILE);
  let run: Partial<RunFile>;
  try {
    run = JSON.parse(readFileSync(path, 'utf8')) as Partial<RunFile>;
  } catch (error) {
    throw new Error(
      `${path}: cannot be read as JSON (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  if (run.format !== 'smets1-fleet-run/1')
    throw new Error(`${path}: not a smets1 simulate run file (format ${JSON.stringify(run.format)})`);
  if (
    !Number.isSafeInteger(run.seed) ||
    !Number.isSafeInteger(run.days) ||
    !RULES_YEARS.includes(run.rules as RulesYear)
  ) {
    throw new Error(`${path}: seed, days or rules missing or wrong`);
  }
  const volume = run.volume ?? undefined;
  if (volume !== undefined && !(Number.isSafeInteger(volume) && volume >= 1))
    throw new Error(`${path}: volume is not a whole number ≥ 1`);
  const shard = run.shard ?? undefined;
  if (
    shard !== undefined &&
    !(
      Number.isSafeInteger(shard.index) &&
      Number.isSafeInteger(shard.count) &&
      shard.index >= 1 &&
      shard.index <= shard.count
    )
  ) {
    throw new Error(`${path}: shard is not i/n with 1 ≤ i ≤ n`);
  }
  const config = fleetConfig(run.calibration, `${path}: calibration`);
  const parameters = {
    seed: run.seed!,
    rules: run.rules!,
    days: run.days!,
    calibration: run.calibration,
    config: volume === undefined ? config : withVolume(config, volume),
  };
  return { parameters: volume === undefined ? parameters : { ...parameters, volume }, shard };
}
