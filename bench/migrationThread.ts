/**
 * A worker thread of bench/migration.ts's `--threads` row: warms up (module loading, JIT, its own validator thread,
 * caches) and says so, waits for the go, runs its share of the row's migrations K in flight on its own event loop, and posts
 * its tally. Outcomes are checked as in the main thread: a wrong one is a failure, never a figure.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { duisValidator } from '../harness/bench/duisBench';
import { workload, type RowMode, type RowTally, type Share } from './migrationWorkload';

export interface ThreadJob {
  readonly n: number;
  readonly inFlight: number;
  readonly mode: RowMode;
  readonly share: Share;
}

export type ThreadReport = { readonly ready: true } | { readonly tally: RowTally } | { readonly failed: string };

const job = workerData as ThreadJob;
const port = parentPort!;

async function run(): Promise<void> {
  // warm-up, not counted: the thread's own share once, so its caches (the seeds' PKIs, parsed certificates and
  // templates) are as warm as the main thread's are for its K-in-flight row, which follows the 1-in-flight row
  await workload(job.n, job.inFlight, job.mode, job.share);
  port.postMessage({ ready: true } satisfies ThreadReport);
  await new Promise((resolve) => port.once('message', resolve));
  const tally = await workload(job.n, job.inFlight, job.mode, job.share);
  // the validator's thread belongs to this thread's module instance: closed so the thread can end
  await duisValidator().close();
  port.postMessage({ tally } satisfies ThreadReport);
}

run().catch((error: unknown) =>
  port.postMessage({ failed: error instanceof Error ? error.message : String(error) } satisfies ThreadReport),
);
