/**
 * A migration worker thread (migrationPool.ts): migrates the installation indices the main thread sends, up to
 * BENCHES_AT_ONCE at a time on its own event loop, and posts the records back RECORDS_A_MESSAGE at a time, or at once
 * when it has nothing left to start (so the main thread can hand out more, or finish the day). It draws nothing of its
 * own: a record depends on (seed, installation index) alone, so which thread made it changes nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BENCHES_AT_ONCE, migrateOne, RECORDS_A_MESSAGE, type MigrationJob } from './migrationPool';
import type { InstallationRecord } from './installationRun';

/** Installation indices to migrate. */
export interface ThreadRequest {
  readonly indices: readonly number[];
}
export type ThreadReply = { readonly records: readonly InstallationRecord[] } | { readonly failed: string };

const job = workerData as MigrationJob;
const port = parentPort!;
const queue: number[] = [];
let running = 0;
let made: InstallationRecord[] = [];

function flush(): void {
  port.postMessage({ records: made } satisfies ThreadReply);
  made = [];
}

function pump(): void {
  while (running < BENCHES_AT_ONCE && queue.length > 0) {
    const index = queue.shift()!;
    running++;
    migrateOne(job, index).then(
      (record) => {
        running--;
        made.push(record);
        pump();
        if (made.length >= RECORDS_A_MESSAGE || queue.length === 0) flush();
      },
      (error: unknown) =>
        port.postMessage({
          failed: `installation ${index}: ${error instanceof Error ? error.message : String(error)}`,
        } satisfies ThreadReply),
    );
  }
}

port.on('message', (message: ThreadRequest) => {
  queue.push(...message.indices);
  pump();
});
