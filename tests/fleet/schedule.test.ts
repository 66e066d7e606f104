/**
 * The calendar a fleet's real migrations are placed on (harness/fleet/schedule.ts), from hand-made records: every
 * expected figure below is worked out by hand from the records and the rules in docs/fleet.md, not by the code.
 */
import { describe, expect, it } from 'vitest';
import type { InstallationRecord } from '../../harness/fleet/installationRun';
import { scheduleRecords } from '../../harness/fleet/simulation';
import { testCalibration, testConfig } from './support';
import { fleetConfig } from '../../harness/fleet/config';

const H = 3_600_000;
const M = 60_000;

function rec(
  index: number,
  fields: Partial<InstallationRecord> & Pick<InstallationRecord, 'outcome' | 'attempts'>,
): InstallationRecord {
  return { index, vendor: 'itron', kind: 'dormant', alerts: [], endMs: fields.attempts.at(-1)?.endMs ?? 0, ...fields };
}

const ok = (endMs: number) => ({ startMs: 0, endMs, result: 'migrated' as const, gas: false });

describe('fleet schedule', () => {
  it('counts a day as the seeds do: outcomes on the day they happen, retries a day later, right first time of the starts', () => {
    const records = new Map<number, InstallationRecord>([
      [
        0,
        rec(0, {
          outcome: 'migrated',
          attempts: [ok(3 * H)],
          alerts: [
            { code: '8F70', atMs: 10 * M },
            { code: '8014', atMs: 3 * H + 5 * M },
          ],
        }),
      ],
      [1, rec(1, { kind: 'active', outcome: 'rejected', rejection: 'split-supplier', attempts: [] })],
      [
        2,
        rec(2, {
          vendor: 'elster',
          outcome: 'migrated',
          attempts: [
            { startMs: 0, endMs: 30 * M, result: 'failed', gas: false },
            { startMs: 24.5 * H, endMs: 27 * H, result: 'migrated', gas: false },
          ],
        }),
      ],
      [
        3,
        rec(3, {
          outcome: 'rejected',
          rejection: 'GT01',
          attempts: [{ startMs: 0, endMs: 0, result: 'rejected', gas: false }],
        }),
      ],
      [
        4,
        rec(4, {
          vendor: 'elster',
          outcome: 'migrated-electricity-only',
          attempts: [
            { startMs: 0, endMs: 2 * H, result: 'migrated-electricity-only', gas: false },
            { startMs: 26 * H, endMs: 26 * H, result: 'failed', gas: true },
          ],
        }),
      ],
    ]);
    // population 5, cap 5, one day of it and one empty day after
    const config = testConfig({
      population: { size: { value: 5, source: 'assumed', note: 't' } },
      pacing: { stages: { value: [{ cap: 5, days: 1 }], source: 'assumed', note: 't' } },
    });
    const [day1, day2] = scheduleRecords({ seed: 1, rules: '2020', days: 2, calibration: {}, config }, records);
    expect(day1).toEqual({
      day: 0,
      cap: 5,
      capHeld: false,
      started: 5,
      attempted: 4, // 0, 2's first, 3, 4 (1 was rejected at eligibility: no attempt)
      migrated: 1,
      migratedElectricityOnly: 1,
      gasRetries: 0,
      gasRetriesMigrated: 0,
      rejected: { GT01: 1, 'split-supplier': 1 },
      rejectedDormant: 1, // 3 (GT01); 1 is active
      failedRolledBack: 1,
      excluded: 0,
      rightFirstTimePercent: 80, // all but 2, whose first attempt failed
      duration: {
        itron: { count: 1, meanMinutes: 180, p95Minutes: 180 },
        elster: { count: 1, meanMinutes: 120, p95Minutes: 120 },
      },
      backlog: 0,
      alerts: { '8014': 1, '8015': 0, '81B8': 0, '8F12': 0, '8F3E': 0, '8F70': 1 },
    });
    // every start is at 08:00 (100 slots free): 2's retry at 08:00 + 24.5 h = day 2, ending 08:00 + 27 h, same day
    expect(day2).toMatchObject({
      day: 1,
      started: 0,
      attempted: 2,
      migrated: 1,
      gasRetries: 1,
      gasRetriesMigrated: 0,
      failedRolledBack: 1,
      rightFirstTimePercent: null,
      duration: {
        itron: { count: 0, meanMinutes: null, p95Minutes: null },
        elster: { count: 1, meanMinutes: 150, p95Minutes: 150 },
      },
    });
  });

  it('starts no more than the slots free in working hours allow; the rest wait in the backlog', () => {
    // one slot, 8h of working day (08:00-16:00), migrations of 3 h: 08:00, 11:00, 14:00 start; 17:00 is too late
    const records = new Map<number, InstallationRecord>(
      Array.from({ length: 5 }, (_, i) => [i, rec(i, { outcome: 'migrated', attempts: [ok(3 * H)] })]),
    );
    const config = testConfig({
      population: { size: { value: 5, source: 'assumed', note: 't' } },
      migration: {
        inFlight: { value: 1, source: 'assumed', note: 't' },
        workingHoursEnd: { value: '16h', source: 'assumed', note: 't' },
      },
      pacing: { stages: { value: [{ cap: 10, days: 1 }], source: 'assumed', note: 't' } },
    });
    const days = scheduleRecords({ seed: 1, rules: '2020', days: 2, calibration: {}, config }, records);
    expect(days.map((d) => [d.started, d.migrated, d.backlog])).toEqual([
      [3, 3, 2],
      [2, 2, 0],
    ]);
  });

  it('p95 is the nearest rank: of 20 durations 1..20 min, the 19th', () => {
    const records = new Map<number, InstallationRecord>(
      Array.from({ length: 20 }, (_, i) => [i, rec(i, { outcome: 'migrated', attempts: [ok((i + 1) * M)] })]),
    );
    const config = testConfig({
      population: { size: { value: 20, source: 'assumed', note: 't' } },
      pacing: { stages: { value: [{ cap: 20, days: 1 }], source: 'assumed', note: 't' } },
    });
    const [day] = scheduleRecords({ seed: 1, rules: '2020', days: 1, calibration: {}, config }, records);
    expect(day.duration.itron).toEqual({ count: 20, meanMinutes: 10.5, p95Minutes: 19 });
  });

  it('a review point holds the cap while right first time is below the threshold, and moves on when it is not', () => {
    const failedFirst = (i: number) =>
      rec(i, {
        outcome: 'migrated',
        attempts: [
          { startMs: 0, endMs: M, result: 'failed', gas: false },
          { startMs: 24 * H, endMs: 25 * H, result: 'migrated', gas: false },
        ],
      });
    // caps 2 (1 day) then 3: day 1 starts 0,1 (1 failed first: 50 % < 95 %): held; day 2 starts 2,3 (both fine): moves on; day 3 cap 3
    const records = new Map<number, InstallationRecord>(
      Array.from({ length: 12 }, (_, i) => [
        i,
        i === 1 ? failedFirst(i) : rec(i, { outcome: 'migrated', attempts: [ok(H)] }),
      ]),
    );
    const calibration = testCalibration({
      population: { size: { value: 12, source: 'assumed', note: 't' } },
      pacing: {
        stages: {
          value: [
            { cap: 2, days: 1 },
            { cap: 3, days: 1 },
          ],
          source: 'assumed',
          note: 't',
        },
      },
    });
    const days = scheduleRecords(
      { seed: 1, rules: '2020', days: 3, calibration, config: fleetConfig(calibration, 't') },
      records,
    );
    expect(days.map((d) => [d.cap, d.capHeld, d.started, d.rightFirstTimePercent])).toEqual([
      [2, true, 2, 50],
      [2, false, 2, 100],
      [3, false, 3, 100],
    ]);
  });
});
