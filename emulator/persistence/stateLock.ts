/**
 * One owner per state directory: `DIR/<lock>` names the process that owns DIR by its pid AND its start time (field
 * 22 of /proc/<pid>/stat), so a pid the kernel has since given to an unrelated process is recognised as stale, not
 * as a holder (a pid alone blocked the directory for ever once reused). A second owner is refused, naming the holder.
 *
 * Atomicity without an OS lock (Node exposes neither flock nor open-file-description locks):
 * - a lock is written in full to a private candidate file and then link()ed to its name, so it appears whole or not
 *   at all (an open-then-write lock could be read empty and taken for stale, and two processes both held it);
 * - a stale lock is removed only by the process that first claims `<lock>.takeover-<its tag>` (the same way, by
 *   link), after it has checked that the lock is still that stale one; everyone else retries. A claimant that dies
 *   half way leaves a stale claim, taken over by the same rule one level down.
 * Without /proc (not Linux) liveness falls back to "the pid exists".
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { threadId } from 'node:worker_threads';

class StateLockError extends Error {
  override name = 'StateLockError';
}

/** Who a lock is for, and what a refused user is told. */
export interface LockPurpose {
  readonly file: string;
  /** e.g. "another emulator": the holder in the refusal. */
  readonly holder: string;
  /** What to do about it. */
  readonly remedy: string;
}

const EMULATOR_LOCK: LockPurpose = {
  file: 'emulator.lock',
  holder: 'another emulator',
  remedy: 'stop it or use another --state directory',
};

/** A claim's name grows by one takeover suffix per crash during a take-over; past this the directory needs a person. */
const MAX_NAME_LENGTH = 200;
/** How long to keep retrying while other processes take over a stale lock. */
const GIVE_UP_MS = 10_000;

interface Owner {
  readonly pid: number;
  /** Start time in clock ticks since boot, or "-" where there is no /proc. */
  readonly start: string;
  /** Unique per claim: names the take-over of this lock once it is stale. */
  readonly tag: string;
}

const LOCK_LINE = /^(\d+) (\d+|-) (\d+-\d+-\d+)\n$/;

/**
 * Start time of `pid`, `dead` when there is no such process (or only its zombie), `unknown` without /proc.
 * The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
 */
function startTimeOf(pid: number): string | 'dead' | 'unknown' {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    try {
      readFileSync('/proc/self/stat');
    } catch {
      return 'unknown';
    }
    return 'dead';
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  if (fields[0] === 'Z' || fields[0] === 'X') return 'dead';
  return fields[19] ?? 'dead';
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, someone else's
  }
}

function isAlive(owner: Owner): boolean {
  const start = startTimeOf(owner.pid);
  if (start === 'unknown') return pidExists(owner.pid);
  return start === owner.start;
}

const myStart = (() => {
  const start = startTimeOf(process.pid);
  return start === 'dead' || start === 'unknown' ? '-' : start;
})();
let claims = 0;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateLockError(`cannot read lock ${path}: ${(error as Error).message}`);
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Creates `path` holding `text`, whole, unless it exists (false). */
function createWhole(path: string, text: string, tag: string): boolean {
  const candidate = `${path}.${tag}.candidate`;
  try {
    writeFileSync(candidate, text, { flag: 'wx' });
    linkSync(candidate, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StateLockError(`cannot create lock ${path}: ${(error as Error).message}`);
  } finally {
    try {
      unlinkSync(candidate);
    } catch {
      // never written
    }
  }
}

type Claim = { readonly mine: string } | { readonly holder: Owner };

/** Takes `path` (taking over a stale one), or returns its live holder. */
function claim(path: string, deadline: number): Claim {
  if (basename(path).length > MAX_NAME_LENGTH) {
    throw new StateLockError(
      `cannot lock: ${path}: take-overs of a stale lock keep failing; remove ${basename(path).split('.takeover-')[0]}.takeover-* by hand`,
    );
  }
  for (;;) {
    if (Date.now() > deadline)
      throw new StateLockError(
        `cannot lock ${path}: other processes kept taking over its stale lock for ${GIVE_UP_MS / 1000} s`,
      );
    const tag = `${process.pid}-${threadId}-${++claims}`;
    const mine = `${process.pid} ${myStart} ${tag}\n`;
    if (createWhole(path, mine, tag)) return { mine };
    const found = readText(path);
    if (found === undefined) continue; // released meanwhile
    const parsed = LOCK_LINE.exec(found);
    const owner = parsed ? { pid: Number(parsed[1]), start: parsed[2], tag: parsed[3] } : undefined;
    if (owner !== undefined && isAlive(owner)) return { holder: owner };
    // Stale: its process is gone or its pid is someone else's now, or it is not a lock this version writes.
    const staleTag = owner?.tag ?? createHash('sha256').update(found).digest('hex').slice(0, 16);
    const takeover = `${path}.takeover-${staleTag}`;
    const taken = claim(takeover, deadline);
    if ('holder' in taken) {
      pause(2); // a live process is taking it over: let it finish
      continue;
    }
    try {
      // Nobody else can change a stale lock while we hold its takeover claim, so this check still holds at unlink.
      if (readText(path) === found) unlinkSync(path);
    } finally {
      releaseClaim(takeover, taken.mine);
    }
  }
}

function releaseClaim(path: string, mine: string): void {
  try {
    if (readFileSync(path, 'utf8') === mine) unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * Takes the lock on `directory` (which must exist) for `purpose`; returns the release function (also run at exit).
 * Throws StateLockError naming the holder's pid if a live process holds it.
 */
export function lockStateDirectory(directory: string, purpose: LockPurpose = EMULATOR_LOCK): () => void {
  const path = join(directory, purpose.file);
  const taken = claim(path, Date.now() + GIVE_UP_MS);
  if ('holder' in taken) {
    throw new StateLockError(
      `state directory ${directory} is in use by ${purpose.holder} (pid ${taken.holder.pid}, lock ${path}); ${purpose.remedy}`,
    );
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    releaseClaim(path, taken.mine);
  };
  process.on('exit', release);
  return release;
}
