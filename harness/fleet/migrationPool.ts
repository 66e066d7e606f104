/**
 * Where a simulation's migrations run: in this thread (one worker), or spread over worker threads so every core
 * migrates (migrationThread.ts). Each thread keeps BENCHES_AT_ONCE benches interleaved on its own event loop and
 * RECORDS_A_MESSAGE more indices queued; it sends records back that many at a time and the main thread hands out as
 * many indices as it got records, so a thread never holds more than BENCHES_AT_ONCE benches (memory follows the
 * migrations in flight, not the day's volume) and never waits for the main thread while its queue refills. A record
 * depends on (seed, installation index) alone, so the records, and every output made of them, are the same whatever
 * the number of threads.
 */
import { Worker } from 'node:worker_threads';
import type { FleetConfig } from './config';
import { runInstallation, type InstallationRecord } from './installationRun';
import { fleetInstallation } from './population';
import { withoutPretenuring } from './pretenuring';
import { RULES, type RulesYear } from './rules';
import type { ThreadReply, ThreadRequest } from './migrationThread';

/** Benches migrating at once in one thread: enough to keep its event loop busy while one waits on another. */
export const BENCHES_AT_ONCE = 4;

/**
 * Records a thread sends in one message. One message a record woke the main thread twice a migration (the record in,
 * the next index out), and on 2 cores each wake-up takes a core from a migrating thread: a postMessage measured 0.05
 * ms median and 1.2 ms mean (wall: the thread pre-empted) on a 2,000-migration day. Eight make it two a batch.
 */
export const RECORDS_A_MESSAGE = 8;

/** The devices' clock: ours (VirtualClock), or XState's SimulatedClock for bench:fleet's comparison. */
export type DeviceClock = 'virtual' | 'xstate-simulated';

/** What every thread needs to migrate any installation: plain data, copied to each thread. */
export interface MigrationJob {
  readonly seed: number;
  readonly rules: RulesYear;
  readonly config: FleetConfig;
  readonly deviceClock: DeviceClock;
}

export function migrateOne(job: MigrationJob, index: number): Promise<InstallationRecord> {
  return runInstallation(fleetInstallation(job.config, job.seed, index), job.config, RULES[job.rules], job.deviceClock);
}

const THREAD_FILE = new URL('./migrationThread.mjs', import.meta.url);

export class MigrationPool {
  private readonly threads: Worker[];

  /** `threads` 1: migrations run in this thread; more: that many worker threads, started now. */
  constructor(
    private readonly job: MigrationJob,
    threads: number,
  ) {
    // before the threads start, so they have it too
    withoutPretenuring();
    this.threads =
      threads <= 1 ? [] : Array.from({ length: threads }, () => new Worker(THREAD_FILE, { workerData: job }));
  }

  /**
   * Migrates `indices`, stopping to hand out new ones when `stopped()` says so (those under way finish). Returns the
   * records made; `onDone` is told the count after each.
   */
  migrate(
    indices: readonly number[],
    stopped: () => boolean,
    onDone: (done: number) => void,
  ): Promise<Map<number, InstallationRecord>> {
    return this.threads.length === 0
      ? this.migrateHere(indices, stopped, onDone)
      : this.migrateInThreads(indices, stopped, onDone);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }

  private async migrateHere(
    indices: readonly number[],
    stopped: () => boolean,
    onDone: (done: number) => void,
  ): Promise<Map<number, InstallationRecord>> {
    const made = new Map<number, InstallationRecord>();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(BENCHES_AT_ONCE, indices.length) }, async () => {
        while (next < indices.length && !stopped()) {
          const index = indices[next++];
          made.set(index, await migrateOne(this.job, index));
          onDone(made.size);
        }
      }),
    );
    return made;
  }

  private migrateInThreads(
    indices: readonly number[],
    stopped: () => boolean,
    onDone: (done: number) => void,
  ): Promise<Map<number, InstallationRecord>> {
    const made = new Map<number, InstallationRecord>();
    return new Promise((resolve, reject) => {
      let next = 0;
      let owed = 0;
      const cleanups: (() => void)[] = [];
      const finish = (error?: Error) => {
        for (const cleanup of cleanups) cleanup();
        if (error === undefined) resolve(made);
        else reject(error);
      };
      // near the day's end a thread gets no more than its share of what is left (but a bench's worth), so neither is
      // left with a queue while the other has nothing
      const handOut = (thread: Worker, count: number): void => {
        const share = Math.ceil((indices.length - next) / (2 * this.threads.length));
        const handed = indices.slice(next, next + Math.min(count, Math.max(share, BENCHES_AT_ONCE)));
        if (handed.length === 0 || stopped()) return;
        next += handed.length;
        owed += handed.length;
        thread.postMessage({ indices: handed } satisfies ThreadRequest);
      };
      for (const [n, thread] of this.threads.entries()) {
        const onMessage = (reply: ThreadReply) => {
          if ('failed' in reply) {
            finish(new Error(`migration thread ${n + 1}: ${reply.failed}`));
            return;
          }
          owed -= reply.records.length;
          for (const record of reply.records) {
            made.set(record.index, record);
            onDone(made.size);
          }
          handOut(thread, reply.records.length);
          if (owed === 0) finish();
        };
        const onError = (error: Error) => finish(new Error(`migration thread ${n + 1} failed: ${error.message}`));
        const onExit = (code: number) =>
          finish(new Error(`migration thread ${n + 1} exited (code ${code}) with migrations under way`));
        thread.on('message', onMessage);
        thread.on('error', onError);
        thread.on('exit', onExit);
        cleanups.push(() => {
          thread.off('message', onMessage);
          thread.off('error', onError);
          thread.off('exit', onExit);
        });
      }
      for (const thread of this.threads) handOut(thread, BENCHES_AT_ONCE + RECORDS_A_MESSAGE);
      if (owed === 0) finish();
    });
  }
}
