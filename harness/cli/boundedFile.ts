/**
 * A file a command reads whole (a run.json for `smets1 diff`, a recording for `smets1 emulate --replay`), read at
 * most `max` + 1 bytes, so a huge or endless file (a FIFO, /dev/zero) is refused without being held in memory.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The file's text; throws an Error naming `what` and `file` when it cannot be read or is larger than `max` bytes. */
export function readTextBounded(file: string, max: number, what: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new Error(
      `cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new Error(`${file} is a directory, not a ${what}`);
    // The size is a hint (a FIFO has none, a file may grow): the read itself stops one byte past the bound.
    const buffer = Buffer.alloc(Math.min(max + 1, Math.max(stat.size + 1, 64 * 1024)));
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > max) throw new Error(`${what} ${file} is larger than ${max} bytes: not read`);
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    throw new Error(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code}`);
  } finally {
    closeSync(fd);
  }
}
