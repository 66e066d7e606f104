/** The processes a process started, for the checks that nothing outlives the emulator (kill -9 loop, pty tests). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Whether `pid` is a live process: gone, or a zombie nobody has reaped yet (a container's init may not), is not. */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pids of `pid`'s children, grandchildren… */
export function descendantsOf(pid: number): number[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    // ps exits 1 when there are none
  }
  const children = out === '' ? [] : out.split(/\s+/).map(Number);
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}
