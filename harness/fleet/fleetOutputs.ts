/**
 * What a simulation (or a merge of shards) writes: fleet.json (the parameters, every day's figures and the totals),
 * fleet.csv (a row a day) and fleet.html (report page). Each file is written whole to a temporary name and renamed,
 * so Ctrl-C or a crash never leaves a half-written file under its name.
 */
import { join } from 'node:path';
import type { FleetConfig } from './config';
import { SEED_ALERT_CODES, type DayStats } from './dayStats';
import { fleetReportPage } from './reportPage';
import type { RulesYear } from './rules';
import { replaceFile } from '../../emulator/persistence/atomicFile';

export interface FleetParameters {
  readonly seed: number;
  readonly rules: RulesYear;
  readonly days: number;
  /** `--volume`: a constant daily cap over the calibration's pacing plan. */
  readonly volume?: number;
  /** The calibration file as parsed YAML (run.json keeps it, so a merge checks and reads it as the run did). */
  readonly calibration: unknown;
  /** The calibration checked, with --volume applied. */
  readonly config: FleetConfig;
}

export interface FleetTotals {
  readonly started: number;
  readonly attempted: number;
  readonly migrated: number;
  readonly migratedElectricityOnly: number;
  readonly rejected: Readonly<Record<string, number>>;
  readonly rejectedDormant: number;
  readonly failedRolledBack: number;
  readonly excluded: number;
  readonly gasRetries: number;
  readonly gasRetriesMigrated: number;
  /** OPSG_34's figures, as simulated: gas repeat attempts succeeding, and GT01/GTA8 among the dormant rejections. */
  readonly gasRetrySuccessPercent: number | null;
  readonly rejectedGt01Gta8Percent: number | null;
  readonly alerts: Readonly<Record<string, number>>;
}

export interface FleetSummary {
  readonly format: 'smets1-fleet/1';
  readonly seed: number;
  readonly rules: RulesYear;
  readonly dayCount: number;
  readonly calibration: FleetConfig;
  readonly days: readonly DayStats[];
  readonly totals: FleetTotals;
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

function addInto(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
}

export function fleetSummary(parameters: FleetParameters, days: readonly DayStats[]): FleetSummary {
  const sum = (
    field:
      | 'started'
      | 'attempted'
      | 'migrated'
      | 'migratedElectricityOnly'
      | 'rejectedDormant'
      | 'failedRolledBack'
      | 'excluded'
      | 'gasRetries'
      | 'gasRetriesMigrated',
  ) => days.reduce((total, day) => total + day[field], 0);
  const rejected: Record<string, number> = {};
  const alerts: Record<string, number> = {};
  for (const day of days) {
    addInto(rejected, day.rejected);
    addInto(alerts, day.alerts);
  }
  return {
    format: 'smets1-fleet/1',
    seed: parameters.seed,
    rules: parameters.rules,
    dayCount: parameters.days,
    calibration: parameters.config,
    days,
    totals: {
      started: sum('started'),
      attempted: sum('attempted'),
      migrated: sum('migrated'),
      migratedElectricityOnly: sum('migratedElectricityOnly'),
      rejected: Object.fromEntries(Object.entries(rejected).sort(([a], [b]) => (a < b ? -1 : 1))),
      rejectedDormant: sum('rejectedDormant'),
      failedRolledBack: sum('failedRolledBack'),
      excluded: sum('excluded'),
      gasRetries: sum('gasRetries'),
      gasRetriesMigrated: sum('gasRetriesMigrated'),
      gasRetrySuccessPercent: percent(sum('gasRetriesMigrated'), sum('gasRetries')),
      // GT01/GTA8 rejections are dormant ones (the 2020 rule rejects only dormant installations on them)
      rejectedGt01Gta8Percent: percent((rejected.GT01 ?? 0) + (rejected.GTA8 ?? 0), sum('rejectedDormant')),
      alerts: Object.fromEntries(Object.entries(alerts).sort(([a], [b]) => (a < b ? -1 : 1))),
    },
  };
}

const CSV_COLUMNS = [
  'day',
  'cap',
  'capHeld',
  'started',
  'attempted',
  'migrated',
  'migratedElectricityOnly',
  'gasRetries',
  'gasRetriesMigrated',
  'rejectedDormant',
  'failedRolledBack',
  'excluded',
  'rightFirstTimePercent',
  'backlog',
] as const;

/** A row a day: the counts, then rejections and alerts a column per code seen in the run, then durations. */
function fleetCsv(summary: FleetSummary): string {
  const rejectCodes = Object.keys(summary.totals.rejected);
  const alertCodes = [...new Set([...SEED_ALERT_CODES, ...Object.keys(summary.totals.alerts)])].sort();
  const header = [
    ...CSV_COLUMNS,
    ...rejectCodes.map((c) => `rejected ${c}`),
    ...['itron', 'elster'].flatMap((v) => [`${v} migrated`, `${v} mean min`, `${v} p95 min`]),
    ...alertCodes.map((c) => `alert ${c}`),
  ];
  const rows = summary.days.map((day) => [
    ...CSV_COLUMNS.map((c) => day[c] ?? ''),
    ...rejectCodes.map((c) => day.rejected[c] ?? 0),
    ...(['itron', 'elster'] as const).flatMap((v) => [
      day.duration[v].count,
      day.duration[v].meanMinutes ?? '',
      day.duration[v].p95Minutes ?? '',
    ]),
    ...alertCodes.map((c) => day.alerts[c] ?? 0),
  ]);
  return (
    [header, ...rows]
      .map((row) =>
        row
          .map((cell) => (/[",\n]/.test(String(cell)) ? `"${String(cell).replaceAll('"', '""')}"` : String(cell)))
          .join(','),
      )
      .join('\n') + '\n'
  );
}

const FLEET_FILES = { json: 'fleet.json', csv: 'fleet.csv', html: 'fleet.html' } as const;

export function writeFleetOutputs(directory: string, summary: FleetSummary): void {
  replaceFile(join(directory, FLEET_FILES.json), [`${JSON.stringify(summary, null, 2)}\n`]);
  replaceFile(join(directory, FLEET_FILES.csv), [fleetCsv(summary)]);
  replaceFile(join(directory, FLEET_FILES.html), [fleetReportPage(summary)]);
}
