/**
 * The fleet's migrating process runs without V8's allocation-site pretenuring (harness/fleet/pretenuring.ts): a pool
 * switches it off when it is made, whatever its thread count (V8's flags are the process's: its threads have it too).
 */
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MigrationPool } from '../../harness/fleet/migrationPool';
import { testConfig } from './support';

const job = { seed: 3, rules: '2020' as const, config: testConfig(), deviceClock: 'virtual' as const };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('pretenuring off in a migrating process', () => {
  for (const threads of [1, 2]) {
    it(`a pool of ${threads} thread(s) sets --no-allocation-site-pretenuring when made`, async () => {
      const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
      const pool = new MigrationPool(job, threads);
      try {
        expect(set.mock.calls).toEqual([['--no-allocation-site-pretenuring']]);
      } finally {
        await pool.close();
      }
    });
  }
});
