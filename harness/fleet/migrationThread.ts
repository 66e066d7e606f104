/**
 * A migration worker thread (migrationPool.ts): migrates the installation indices the main thread sends, up to
 * BENCHES_AT_ONCE at a time on its own event loop, and posts each record back as it is made. It draws nothing of its
 * own: a record depends on (seed, installation index) alone, so which thread made it changes nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BENCHES_AT_ONCE, migrateOne, type MigrationJob } from './migrationPool';
import type { InstallationRecord } from './installationRun';

/** An installation index to migrate. */
export interface ThreadRequest {
  readonly index: number;
}
export type ThreadReply = { readonly record: InstallationRecord } | { readonly failed: string };

const job = workerData as MigrationJob;
const port = parentPort!;
const queue: number[] = [];
let running = 0;

function pump(): void {
  while (running < BENCHES_AT_ONCE && queue.length > 0) {
    const index = queue.shift()!;
    running++;
    migrateOne(job, index).then(
      (record) => {
        running--;
        port.postMessage({ record } satisfies ThreadReply);
        pump();
      },
      (error: unknown) =>
        port.postMessage({
          failed: `installation ${index}: ${error instanceof Error ? error.message : String(error)}`,
        } satisfies ThreadReply),
    );
  }
}

port.on('message', (message: ThreadRequest) => {
  queue.push(message.index);
  pump();
});
