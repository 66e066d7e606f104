/**
 * Durable whole-file replacement: write a temporary file in full, fsync it, rename it over the target, fsync the
 * directory. A `kill -9` at any instant leaves the old file or the new one, never a torn one. A short write or an
 * error (ENOSPC, EIO, EDQUOT…) throws, removes the temporary and leaves the old file as it was.
 * The file system calls are injectable so that tests can make a disk fill up or a write come up short.
 */
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type FileSystem = Pick<
  typeof fs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'fdatasyncSync' | 'closeSync' | 'renameSync' | 'unlinkSync'
>;

export const realFileSystem: FileSystem = fs;

/** Temporaries are `<name>.<pid>.tmp` next to their target: a start-up sweep knows them by that suffix. */
const TEMPORARY_SUFFIX = /\.\d+\.tmp$/;

function temporaryPathFor(path: string): string {
  return `${path}.${process.pid}.tmp`;
}

/** Writes every byte of `chunks` to `fd`, or throws: a write that comes up short and then makes no progress is a full disk. */
function writeFully(files: FileSystem, fd: number, chunks: Iterable<string | Buffer>, position?: number): void {
  let at = position;
  for (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let offset = 0;
    while (offset < bytes.length) {
      const written =
        at === undefined
          ? files.writeSync(fd, bytes, offset, bytes.length - offset)
          : files.writeSync(fd, bytes, offset, bytes.length - offset, at + offset);
      if (!(written > 0)) {
        throw Object.assign(new Error(`short write: ${offset} of ${bytes.length} bytes, then none (disk full?)`), {
          code: 'ENOSPC',
        });
      }
      offset += written;
    }
    if (at !== undefined) at += bytes.length;
  }
}

/** Writes all of `bytes` at `position` of `fd` (a short write that then makes no progress throws ENOSPC). */
export function writeAt(files: FileSystem, fd: number, bytes: Buffer, position: number): void {
  writeFully(files, fd, [bytes], position);
}

/**
 * Replaces `path` with the concatenation of `chunks`, durably. Chunks keep a huge file out of one string;
 * `prepare` may shape the temporary before it is synced (e.g. set a sparse size).
 */
export function replaceFile(
  path: string,
  chunks: Iterable<string | Buffer>,
  files: FileSystem = realFileSystem,
  prepare?: (fd: number) => void,
): void {
  const temporary = temporaryPathFor(path);
  let fd: number | undefined;
  try {
    fd = files.openSync(temporary, 'w');
    writeFully(files, fd, chunks);
    prepare?.(fd);
    files.fsyncSync(fd);
    files.closeSync(fd);
    fd = undefined;
    files.renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) {
      try {
        files.closeSync(fd);
      } catch {
        // the write error is the one to report
      }
    }
    try {
      files.unlinkSync(temporary);
    } catch {
      // never created, or already renamed
    }
    throw new Error(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
  syncDirectory(dirname(path), files);
}

/** A rename is durable only once its directory entry is: fsync the directory. */
function syncDirectory(directory: string, files: FileSystem = realFileSystem): void {
  const fd = files.openSync(directory, 'r');
  try {
    files.fsyncSync(fd);
  } finally {
    files.closeSync(fd);
  }
}

/** Removes `<name>.<pid>.tmp` files left in `directory` by a process killed mid-write; returns their names. */
export function removeTemporaries(directory: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!TEMPORARY_SUFFIX.test(name)) continue;
    fs.rmSync(join(directory, name), { force: true });
    removed.push(basename(name));
  }
  return removed;
}
