/**
 * bench:migration's `--threads` row deals the row's jobs out so each thread gets every kind: dealt job i to thread
 * i mod 2, one thread had the three even kinds and the other the three odd ones (the rollback, two attempts a
 * migration, among them), and the row waited on the thread with more work.
 */
import { describe, expect, it } from 'vitest';
import { shareOfJobs } from '../../bench/migrationWorkload';

const count = (jobs: ReturnType<typeof shareOfJobs>) => {
  const byKind: Record<string, number> = {};
  for (const job of jobs) byKind[job.kind.name] = (byKind[job.kind.name] ?? 0) + 1;
  return byKind;
};

describe('bench:migration thread shares', () => {
  it('two threads: 40 rounds of the six kinds give each thread 20 of every kind, the 240 jobs each once', () => {
    const [a, b] = [0, 1].map((index) => shareOfJobs(40, { index, count: 2 }));
    const twenty = {
      'itron dormant': 20,
      'itron active': 20,
      'elster dormant': 20,
      'elster active': 20,
      'itron active GT01': 20,
      'itron dormant rollback': 20,
    };
    expect(count(a)).toEqual(twenty);
    expect(count(b)).toEqual(twenty);
    const all = [...a, ...b].map((job) => `${job.kind.name} ${job.seed}`);
    expect(new Set(all).size).toBe(240);
  });

  it('one runner takes the whole row in order: round by round, the six kinds in turn', () => {
    const jobs = shareOfJobs(2, { index: 0, count: 1 });
    expect(jobs.map((job) => `${job.kind.name} ${job.seed}`)).toEqual([
      'itron dormant 1',
      'itron active 1',
      'elster dormant 1',
      'elster active 1',
      'itron active GT01 1',
      'itron dormant rollback 1',
      'itron dormant 2',
      'itron active 2',
      'elster dormant 2',
      'elster active 2',
      'itron active GT01 2',
      'itron dormant rollback 2',
    ]);
  });
});
