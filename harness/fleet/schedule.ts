/**
 * Places the installations' real migrations on the fleet's calendar, day by day: the backlog in population order,
 * at most the pacing plan's cap started a day, each in working hours on a free migration-control slot (the
 * migrations in flight), a slot held for the first attempt (retries are scheduled a retry interval later and are not
 * held to the capacity: assumed). Every event of a record (its attempts, rejection, exclusion, alerts) lands on the
 * day its time falls in. A day's figures are final once it has been scheduled: no later start has an event before it.
 *
 * The same code runs a whole simulation and merges shards (merge.ts), so the two give the same figures.
 */
import type { FleetConfig } from './config';
import { DayTally, type DayStats } from './dayStats';
import type { InstallationRecord } from './installationRun';
import { Pacing } from './pacing';

const DAY_MS = 86_400_000;

export class FleetSchedule {
  private readonly pacing: Pacing;
  private readonly tallies = new Map<number, DayTally>();
  private readonly slots: SlotHeap;
  private next = 0;
  private day = 0;

  constructor(private readonly config: FleetConfig) {
    this.pacing = new Pacing(config.pacing.stages.value, config.pacing.rightFirstTimeThreshold.value);
    this.slots = new SlotHeap(config.migration.inFlight.value);
  }

  /** The installations day `day` may start: the next `cap` of the backlog. */
  candidates(): number[] {
    const size = this.config.population.size.value;
    const count = Math.min(this.pacing.cap(), size - this.next);
    return Array.from({ length: count }, (_, i) => this.next + i);
  }

  /** Schedules the next day from the records of its candidates; returns its figures. */
  scheduleDay(records: ReadonlyMap<number, InstallationRecord>): DayStats {
    const day = this.day;
    const cap = this.pacing.cap();
    const dayStart = day * DAY_MS;
    const open = dayStart + this.config.migration.workingHoursStart.value;
    const close = dayStart + this.config.migration.workingHoursEnd.value;
    const today = this.tally(day);
    for (const index of this.candidates()) {
      const record = records.get(index);
      if (record === undefined) throw new Error(`no migration record for installation ${index}`);
      const at = Math.max(this.slots.earliest(), open);
      if (at >= close) break;
      this.slots.take(at + (record.attempts[0]?.endMs ?? 0));
      this.place(record, at, today);
      this.next += 1;
    }
    const share = today.rightFirstTimeShare();
    const held = this.pacing.endDay(share);
    const stats = today.stats(day, cap, held, this.config.population.size.value - this.next);
    this.tallies.delete(day);
    this.day += 1;
    return stats;
  }

  private tally(day: number): DayTally {
    let tally = this.tallies.get(day);
    if (tally === undefined) this.tallies.set(day, (tally = new DayTally()));
    return tally;
  }

  private at(startMs: number, offsetMs: number): DayTally {
    return this.tally(Math.floor((startMs + offsetMs) / DAY_MS));
  }

  private reject(day: DayTally, record: InstallationRecord): void {
    DayTally.add(day.rejected, record.rejection!);
    if (record.kind === 'dormant') day.rejectedDormant += 1;
  }

  private place(record: InstallationRecord, startMs: number, today: DayTally): void {
    today.started += 1;
    const first = record.attempts[0];
    // seed 000: right first time = migrated, or correctly rejected at the start
    if (record.attempts.length === 0 || first.result !== 'failed') today.rightFirstTime += 1;
    if (record.outcome === 'rejected' && record.attempts.length === 0) this.reject(today, record);
    for (const attempt of record.attempts) {
      this.at(startMs, attempt.startMs).attempted += 1;
      const end = this.at(startMs, attempt.endMs);
      if (attempt.gas) end.gasRetries += 1;
      switch (attempt.result) {
        case 'migrated':
          // a gas retry is the GSME alone: not a migration's duration
          if (attempt.gas) end.gasRetriesMigrated += 1;
          else {
            end.migrated += 1;
            end.durationsMs[record.vendor].push(attempt.endMs - attempt.startMs);
          }
          break;
        case 'migrated-electricity-only':
          end.migratedElectricityOnly += 1;
          end.durationsMs[record.vendor].push(attempt.endMs - attempt.startMs);
          break;
        case 'failed':
          end.failedRolledBack += 1;
          break;
        case 'rejected':
          this.reject(end, record);
          break;
      }
    }
    if (record.outcome === 'excluded') this.at(startMs, record.endMs).excluded += 1;
    for (const alert of record.alerts) DayTally.add(this.at(startMs, alert.atMs).alerts, alert.code);
  }
}

/** The migration-control slots' free times, earliest first (a binary min-heap: capacity can be tens of thousands). */
class SlotHeap {
  private readonly heap: number[];

  constructor(size: number) {
    this.heap = new Array<number>(size).fill(0);
  }

  earliest(): number {
    return this.heap[0];
  }

  /** The earliest slot is busy until `until`. */
  take(until: number): void {
    const heap = this.heap;
    heap[0] = until;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && heap[left] < heap[least]) least = left;
      if (right < heap.length && heap[right] < heap[least]) least = right;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least], heap[i]];
      i = least;
    }
  }
}
