/**
 * Worker threads (migrationPool.ts): the same run on 1 thread (all in the main thread) and on 2 worker threads gives
 * the same fleet.json, fleet.csv and installations.jsonl byte for byte, so a thread count never changes a result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MigrationPool } from '../../harness/fleet/migrationPool';
import type { RulesYear } from '../../harness/fleet/rules';
import { smets1 } from '../support/cli';
import { calibrationDirectory, testConfig } from './support';

const files = calibrationDirectory('smets1-fleet-threads-');

describe('migration threads', () => {
  it('1 thread and 2 worker threads write the same outputs, byte for byte', async () => {
    const run = (threads: number) =>
      smets1(
        'simulate',
        '--days',
        '2',
        '--volume',
        '4',
        '--seed',
        '3',
        '--calibration',
        files.calibration,
        '--threads',
        String(threads),
        '--out',
        join(files.dir, `t${threads}`),
      );
    expect((await run(1)).code).toBe(0);
    expect((await run(2)).code).toBe(0);
    for (const file of ['fleet.json', 'fleet.csv', 'installations.jsonl']) {
      expect(readFileSync(join(files.dir, 't2', file), 'utf8'), file).toBe(
        readFileSync(join(files.dir, 't1', file), 'utf8'),
      );
    }
    // the eight installations two days of four reach, each once, in the order the days started them
    const indices = readFileSync(join(files.dir, 't2', 'installations.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { index: number }).index);
    expect(indices).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  }, 180_000);

  it('a migration that throws in a thread fails the run with a message naming the thread and installation, no hang', async () => {
    // rules no RULES entry has: the thread's migrateOne throws on installation 0 before any bench starts
    const pool = new MigrationPool(
      { seed: 3, rules: '1999' as RulesYear, config: testConfig(), deviceClock: 'virtual' },
      2,
    );
    try {
      await expect(
        pool.migrate(
          [0, 1, 2],
          () => false,
          () => undefined,
        ),
      ).rejects.toThrow(/^migration thread [12]: installation [012]: /);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('hands indices out and takes records back in batches: every index once, each record as the main thread makes it', async () => {
    const job = { seed: 3, rules: '2020' as RulesYear, config: testConfig(), deviceClock: 'virtual' as const };
    // more than the two threads are handed at first (4 benches and 8 queued each): later batches refill them
    const indices = Array.from({ length: 30 }, (_, i) => i);
    const inThreads = new MigrationPool(job, 2);
    const here = new MigrationPool(job, 1);
    try {
      const counts: number[] = [];
      const made = await inThreads.migrate(
        indices,
        () => false,
        (done) => counts.push(done),
      );
      expect([...made.keys()].sort((a, b) => a - b)).toEqual(indices);
      expect(counts).toEqual(indices.map((i) => i + 1));
      const expected = await here.migrate(
        indices,
        () => false,
        () => undefined,
      );
      for (const i of indices) expect(made.get(i), `installation ${i}`).toEqual(expected.get(i));

      // stopped once the first record is back: no index handed out after that, those the threads hold finish
      let done = 0;
      const stopped = await inThreads.migrate(
        Array.from({ length: 40 }, (_, i) => i),
        () => done >= 1,
        (n) => (done = n),
      );
      expect(stopped.size).toBeGreaterThanOrEqual(1);
      // at most what the two threads held: 4 benches and 8 queued each
      expect(stopped.size).toBeLessThanOrEqual(24);
      for (const [i, record] of stopped) expect(record.index).toBe(i);
    } finally {
      await inThreads.close();
      await here.close();
    }
  }, 180_000);

  it('refuses a thread count that is not a whole number from 1 (exit 2)', async () => {
    expect((await smets1('simulate', '--days', '1', '--threads', '0', '--out', join(files.dir, 'bad'))).code).toBe(2);
    expect((await smets1('simulate', '--days', '1', '--threads', 'two', '--out', join(files.dir, 'bad'))).code).toBe(2);
  });
});
