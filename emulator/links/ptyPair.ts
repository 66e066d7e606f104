/**
 * A pair of connected kernel pseudo-terminals from socat, so that the emulator and a harness (or any serial tool:
 * minicom, a vendor's bench software) can talk through real tty devices and real serial port code on one machine.
 *
 * `socat -d -d pty,raw,echo=0 pty,raw,echo=0` prints "N PTY is /dev/pts/N" for each end, then "starting data
 * transfer loop" once it relays; `spawnPtyPair()` resolves after that last line, so both paths are usable.
 * socat is killed by `close()`, and when this process exits — even by `kill -9`, which runs no exit handler:
 * socat is started through a tiny shell (WATCHDOG below) that leaves a watcher reading the pipe from this process
 * and then execs socat in its own place (so socat keeps the pid we spawned). When this process dies, however it
 * dies, the kernel closes the pipe, the watcher reads end-of-file and kills socat.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ByteLinkError } from './byteLink';

export interface PtyPairOptions {
  /** Default `socat` (found on PATH). */
  socatPath?: string;
}

export interface PtyPair {
  /** The two ends; bytes written to one are read from the other. */
  readonly paths: readonly [string, string];
  readonly pid: number;
  /** Whether socat is still running (it exits if killed from outside). */
  readonly running: boolean;
  /** Kills socat; resolves once it has exited. */
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killOnExit(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGTERM');
  });
}

/**
 * `sh -c WATCHDOG socat ARGS…`: fd 3 keeps our pipe for the watcher, which waits for its end-of-file and then
 * kills `$$` — the shell's pid, which is socat's once the shell has exec'd it — if that pid is still socat's (a
 * pid freed by an exited socat can be reused by any process, a test runner's worker included). socat gets /dev/null.
 * Exit 127: socat is not there.
 */
const WATCHDOG = [
  'command -v "$0" >/dev/null 2>&1 || exit 127',
  'exec 3<&0',
  // Kill only if $$ is still socat: if socat has already exited, its pid may belong to another process by now.
  '( read -r _ <&3; [ "$(cat /proc/$$/comm 2>/dev/null)" = socat ] && kill -TERM $$ 2>/dev/null ) </dev/null >/dev/null 2>&1 &',
  'exec "$0" "$@" </dev/null 3<&-',
].join('\n');

export function spawnPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const socat = options.socatPath ?? 'socat';
  const where = 'pty';
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', WATCHDOG, socat, '-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    // The pipe's only job is to close when we go; a write error on it (we never write) must not throw.
    child.stdin!.on('error', () => {});
    const paths: string[] = [];
    const log: string[] = []; // socat's last lines, for the error when it fails
    let ready = false;
    let exited = false;
    let pending = '';

    child.once('error', (error: NodeJS.ErrnoException) => {
      const message =
        error.code === 'ENOENT'
          ? `${socat} not found: install socat: apt-get install socat`
          : `cannot start ${socat}: ${error.message}`;
      reject(new ByteLinkError(where, error.code ?? 'EIO', message, { cause: error }));
    });
    const exitedPromise = new Promise<void>((resolveExit) =>
      child.once('exit', (code, signal) => {
        exited = true;
        resolveExit();
        if (!ready) {
          if (code === 127)
            reject(new ByteLinkError(where, 'ENOENT', `${socat} not found: install socat: apt-get install socat`));
          const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          reject(new ByteLinkError(where, 'ECHILD', `${socat} ${how} before the ptys were ready: ${log.join(' | ')}`));
        }
        child.stdin!.end(); // lets the watcher go
      }),
    );
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      // Keep reading after ready, or socat would block once the pipe fills.
      if (ready) return;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        log.push(line.trim());
        if (log.length > 5) log.shift();
        const pty = /PTY is (\S+)/.exec(line);
        if (pty) paths.push(pty[1]!);
        if (/starting data transfer loop/.test(line) && paths.length === 2) {
          ready = true;
          killOnExit(child);
          resolve({
            paths: [paths[0]!, paths[1]!],
            pid: child.pid!,
            get running() {
              return !exited;
            },
            close: async () => {
              child.stdin!.end();
              if (!exited) child.kill('SIGTERM');
              await exitedPromise;
            },
          });
        }
      }
    });
  });
}
