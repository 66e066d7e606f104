/**
 * `mkdir -p` for a path a user names (`--out`, `--state`, a report directory). Not Node's `mkdirSync(path,
 * { recursive: true })`: under a pseudo-filesystem that refuses new names (`--out /proc/x`), that loops at full CPU
 * for ever (mkdir says ENOENT, Node makes the parent, which exists, and tries again), and a command must fail with a
 * message rather than hang. So: walk up to the nearest directory that exists, then make each missing one once, so
 * such a path fails with one ENOENT naming it.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirectory(path: string): void {
  const target = resolve(path);
  const missing: string[] = [];
  for (let at = target; ;) {
    // nothing there: undefined; ENOTDIR (a file among the parents), EACCES…: thrown, naming the path
    const found = statSync(at, { throwIfNoEntry: false });
    if (found !== undefined) {
      // an existing file where the directory should be: mkdir says so (EEXIST), as the recursive form did
      if (at === target && !found.isDirectory()) mkdirSync(target);
      break;
    }
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]!);
    } catch (error) {
      // made meanwhile by another process: what was wanted
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(missing[i]!).isDirectory()) continue;
      throw error;
    }
  }
}
