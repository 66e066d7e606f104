/**
 * One simulated day's figures, as the seeds count them: migrations attempted, migrated (electricity only
 * separately), correctly rejected by reason, failed and rolled back, excluded, right-first-time (seed 000: migrated
 * or correctly rejected at the start, of the installations started that day), durations per vendor, the backlog,
 * and the alerts the migrated installations' devices raised, by code.
 */
import type { Vendor } from '../s1sp/vendors';

/** The alert codes the seeds name: OPSG_34's spurious alerts (8F3E, 8F12, 8014, 8015, 81B8), always reported. */
export const SEED_ALERT_CODES = ['8F3E', '8F12', '8014', '8015', '81B8'] as const;

export interface DurationStats {
  readonly count: number;
  /** Minutes, one decimal; null when nothing migrated. */
  readonly meanMinutes: number | null;
  readonly p95Minutes: number | null;
}

export interface DayStats {
  readonly day: number;
  readonly cap: number;
  /** The day ended at a review point that held the cap. */
  readonly capHeld: boolean;
  readonly started: number;
  /** Attempts begun this day: first attempts, retries and gas retries. */
  readonly attempted: number;
  readonly migrated: number;
  readonly migratedElectricityOnly: number;
  readonly gasRetries: number;
  readonly gasRetriesMigrated: number;
  readonly rejected: Readonly<Record<string, number>>;
  /** Of the rejections, dormant installations' (OPSG_34 counts dormant rejections). */
  readonly rejectedDormant: number;
  readonly failedRolledBack: number;
  readonly excluded: number;
  /** Percent, one decimal; null when nothing started. */
  readonly rightFirstTimePercent: number | null;
  readonly duration: Readonly<Record<Vendor, DurationStats>>;
  /** Installations not yet started at the end of the day. */
  readonly backlog: number;
  readonly alerts: Readonly<Record<string, number>>;
}

/** The events of one day, gathered as installations are scheduled. */
export class DayTally {
  started = 0;
  rightFirstTime = 0;
  attempted = 0;
  migrated = 0;
  migratedElectricityOnly = 0;
  gasRetries = 0;
  gasRetriesMigrated = 0;
  failedRolledBack = 0;
  excluded = 0;
  rejectedDormant = 0;
  readonly rejected = new Map<string, number>();
  readonly alerts = new Map<string, number>();
  readonly durationsMs: Record<Vendor, number[]> = { itron: [], elster: [] };

  static add(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  rightFirstTimeShare(): number | undefined {
    return this.started === 0 ? undefined : this.rightFirstTime / this.started;
  }

  stats(day: number, cap: number, capHeld: boolean, backlog: number): DayStats {
    const share = this.rightFirstTimeShare();
    const alerts = new Map<string, number>(SEED_ALERT_CODES.map((code) => [code, 0]));
    for (const [code, n] of this.alerts) alerts.set(code, n);
    return {
      day,
      cap,
      capHeld,
      started: this.started,
      attempted: this.attempted,
      migrated: this.migrated,
      migratedElectricityOnly: this.migratedElectricityOnly,
      gasRetries: this.gasRetries,
      gasRetriesMigrated: this.gasRetriesMigrated,
      rejected: sortedRecord(this.rejected),
      rejectedDormant: this.rejectedDormant,
      failedRolledBack: this.failedRolledBack,
      excluded: this.excluded,
      rightFirstTimePercent: share === undefined ? null : round1(share * 100),
      duration: { itron: durationStats(this.durationsMs.itron), elster: durationStats(this.durationsMs.elster) },
      backlog,
      alerts: sortedRecord(alerts),
    };
  }
}

function sortedRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Mean and 95th percentile (nearest rank: the smallest value with at least 95 % of values at or below it). */
function durationStats(durationsMs: readonly number[]): DurationStats {
  if (durationsMs.length === 0) return { count: 0, meanMinutes: null, p95Minutes: null };
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1];
  return { count: sorted.length, meanMinutes: round1(mean / 60_000), p95Minutes: round1(p95 / 60_000) };
}
