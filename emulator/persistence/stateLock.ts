/**
 * One emulator per state directory: `DIR/emulator.lock` holds the pid of the process that owns DIR. A second
 * emulator refuses with the holder's pid; a lock left by a process that no longer exists (a `kill -9`) is stale
 * and taken over. Created with O_EXCL, so two emulators starting at once cannot both win.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'emulator.lock';

class StateLockError extends Error {
  override name = 'StateLockError';
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still a holder.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock on `directory` (which must exist); returns the release function. Throws StateLockError if held. */
export function lockStateDirectory(directory: string): () => void {
  const path = join(directory, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateLockError(`cannot lock ${directory}: ${(error as Error).message}`);
      let text = '';
      try {
        text = readFileSync(path, 'utf8').trim();
      } catch {
        // removed between our open and read: try again
      }
      const holder = /^\d+$/.test(text) ? Number(text) : undefined;
      if (holder !== undefined && isRunning(holder)) {
        throw new StateLockError(`state directory ${directory} is in use by another emulator (pid ${holder}, lock ${path}); stop it or use another --state directory`);
      }
      rmSync(path, { force: true }); // stale: its process is gone
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      try {
        if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
      } catch {
        // already gone
      }
    };
    process.on('exit', release);
    return release;
  }
  throw new StateLockError(`cannot lock ${directory}: ${path} keeps reappearing`);
}
