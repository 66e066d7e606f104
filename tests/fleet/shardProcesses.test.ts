/**
 * The sharded path as a cluster runs it, on this machine: n `smets1 simulate` processes at once, each told its shard
 * only by a Kubernetes Indexed Job's environment (JOB_COMPLETION_INDEX 0..n-1, JOB_COMPLETIONS n), then `smets1 merge`
 * as a process: fleet.json and fleet.csv equal the unsharded run's byte for byte. (shardMerge.test.ts runs shards one
 * after another in this process, with --shard.)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smets1, smets1Child } from '../support/cli';
import { SMETS1_BIN } from '../support/smets1Bin';
import { calibrationDirectory } from './support';

const SHARDS = 3;
const files = calibrationDirectory('smets1-fleet-processes-');

/** `smets1 simulate` as pod `index` of an Indexed Job of SHARDS completions: its exit code and stderr. */
function pod(index: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const args = [
      SMETS1_BIN,
      'simulate',
      '--days',
      '2',
      '--volume',
      '4',
      '--seed',
      '5',
      '--calibration',
      files.calibration,
      '--threads',
      '1',
      '--out',
      join(files.dir, `shard-${index}`),
    ];
    const child = spawn(process.execPath, args, {
      env: { ...process.env, JOB_COMPLETION_INDEX: String(index), JOB_COMPLETIONS: String(SHARDS) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('shards in separate processes', () => {
  it('3 processes at once from the Job environment, merged by a 4th, equal the whole run', async () => {
    const pods = await Promise.all(Array.from({ length: SHARDS }, (_, i) => pod(i)));
    expect(pods).toEqual(Array.from({ length: SHARDS }, () => ({ code: 0, stderr: '' })));
    // each pod took shard index+1 of 3: installation k is in shard (k mod 3) + 1, of the 8 two days of 4 reach
    const indicesOf = (i: number) =>
      readFileSync(join(files.dir, `shard-${i}`, 'installations.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { index: number }).index);
    expect([indicesOf(0), indicesOf(1), indicesOf(2)]).toEqual([
      [0, 3, 6],
      [1, 4, 7],
      [2, 5],
    ]);
    const merged = await smets1Child(
      'merge',
      join(files.dir, 'shard-0'),
      join(files.dir, 'shard-1'),
      join(files.dir, 'shard-2'),
      '--out',
      join(files.dir, 'merged'),
    );
    expect([merged.code, merged.stderr]).toEqual([0, '']);
    expect(
      (
        await smets1(
          'simulate',
          '--days',
          '2',
          '--volume',
          '4',
          '--seed',
          '5',
          '--calibration',
          files.calibration,
          '--threads',
          '1',
          '--out',
          join(files.dir, 'whole'),
        )
      ).code,
    ).toBe(0);
    for (const file of ['fleet.json', 'fleet.csv'])
      expect(readFileSync(join(files.dir, 'merged', file), 'utf8'), file).toBe(
        readFileSync(join(files.dir, 'whole', file), 'utf8'),
      );
  }, 240_000);
});
