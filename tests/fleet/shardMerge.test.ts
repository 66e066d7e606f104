/**
 * `smets1 simulate --shard i/n` then `smets1 merge` gives the unsharded run's fleet.json byte for byte (4 shards,
 * a small volume), and the shard comes from a Kubernetes indexed Job's environment too. Bad merges are refused.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../harness/cli/main';
import { shardFrom } from '../../harness/cli/simulate';
import { calibrationDirectory } from './support';

const files = calibrationDirectory('smets1-fleet-');
const lines: string[] = [];
const out = (line: string) => lines.push(line);
const simulateArgs = (outDir: string, ...more: string[]) => [
  'simulate',
  '--days',
  '2',
  '--volume',
  '4',
  '--seed',
  '3',
  '--calibration',
  files.calibration,
  // migrations in this thread: each worker thread would load the migration code through tsx afresh, six runs over,
  // and the outputs are the same whatever the number of threads (tests/fleet/threads.test.ts)
  '--threads',
  '1',
  '--out',
  outDir,
  ...more,
];

describe('sharded simulation', () => {
  it('4 shards merged equal the whole run, byte for byte in fleet.json and fleet.csv', async () => {
    expect(await main(simulateArgs(join(files.dir, 'whole')), out)).toBe(0);
    for (let i = 1; i <= 4; i++)
      expect(await main(simulateArgs(join(files.dir, `shard-${i}`), '--shard', `${i}/4`), out)).toBe(0);
    expect(
      await main(
        ['merge', ...[1, 2, 3, 4].map((i) => join(files.dir, `shard-${i}`)), '--out', join(files.dir, 'merged')],
        out,
      ),
    ).toBe(0);
    const whole = readFileSync(join(files.dir, 'whole', 'fleet.json'), 'utf8');
    expect(readFileSync(join(files.dir, 'merged', 'fleet.json'), 'utf8')).toBe(whole);
    expect(readFileSync(join(files.dir, 'merged', 'fleet.csv'), 'utf8')).toBe(
      readFileSync(join(files.dir, 'whole', 'fleet.csv'), 'utf8'),
    );
    // something was simulated: 2 days of 4 started
    const summary = JSON.parse(whole) as { totals: { started: number }; days: unknown[] };
    expect([summary.days.length, summary.totals.started]).toEqual([2, 8]);
    // each shard migrated its quarter of the 8 installations the two days can reach, and left no temporary file
    for (let i = 1; i <= 4; i++) {
      expect(
        readFileSync(join(files.dir, `shard-${i}`, 'installations.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as { index: number }).index),
      ).toEqual([i - 1, i + 3]);
      expect(readdirSync(join(files.dir, `shard-${i}`)).sort()).toEqual(['installations.jsonl', 'run.json']);
    }
    expect(readdirSync(join(files.dir, 'whole')).sort()).toEqual([
      'fleet.csv',
      'fleet.html',
      'fleet.json',
      'installations.jsonl',
      'run.json',
    ]);
  }, 120_000);

  it('merge refuses a missing shard and a shard of another run, naming them (exit 2)', async () => {
    const errors = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(
        await main(
          ['merge', ...[1, 2, 3].map((i) => join(files.dir, `shard-${i}`)), '--out', join(files.dir, 'bad')],
          out,
        ),
      ).toBe(2);
      expect(String(errors.mock.calls.at(-1)?.[0])).toBe('smets1 merge: shard(s) 4/4 missing\n');
      expect(await main(simulateArgs(join(files.dir, 'other'), '--shard', '4/4', '--seed', '4'), out)).toBe(0);
      expect(
        await main(
          [
            'merge',
            ...[1, 2, 3].map((i) => join(files.dir, `shard-${i}`)),
            join(files.dir, 'other'),
            '--out',
            join(files.dir, 'bad'),
          ],
          out,
        ),
      ).toBe(2);
      expect(String(errors.mock.calls.at(-1)?.[0])).toBe(
        `smets1 merge: ${join(files.dir, 'other')} is a shard of another run than ${join(files.dir, 'shard-1')} (seed, rules, days, volume or calibration differ)\n`,
      );
      expect(await main(['merge', join(files.dir, 'whole'), '--out', join(files.dir, 'bad')], out)).toBe(2);
      expect(String(errors.mock.calls.at(-1)?.[0])).toBe(
        `smets1 merge: ${join(files.dir, 'whole')} is a whole run, not a shard\n`,
      );
    } finally {
      errors.mockRestore();
    }
  }, 60_000);

  it('takes the shard from JOB_COMPLETION_INDEX (0-based) and JOB_COMPLETIONS; --shard wins', () => {
    expect(shardFrom(undefined, { JOB_COMPLETION_INDEX: '2', JOB_COMPLETIONS: '4' })).toEqual({ index: 3, count: 4 });
    expect(shardFrom({ index: 1, count: 2 }, { JOB_COMPLETION_INDEX: '2', JOB_COMPLETIONS: '4' })).toEqual({
      index: 1,
      count: 2,
    });
    expect(shardFrom(undefined, {})).toBeUndefined();
    expect(() => shardFrom(undefined, { JOB_COMPLETION_INDEX: '4', JOB_COMPLETIONS: '4' })).toThrow(
      'smets1 simulate: JOB_COMPLETION_INDEX "4" of JOB_COMPLETIONS "4" is not an index from 0 to n-1',
    );
    expect(() => shardFrom(undefined, { JOB_COMPLETIONS: '4' })).toThrow(
      'JOB_COMPLETION_INDEX and JOB_COMPLETIONS go together',
    );
  });
});
