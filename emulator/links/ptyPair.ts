/**
 * A pair of connected kernel pseudo-terminals from socat, so that the emulator and a harness (or any serial tool:
 * minicom, a vendor's bench software) can talk through real tty devices and real serial port code on one machine.
 *
 * `socat -d -d pty,raw,echo=0 pty,raw,echo=0` prints "N PTY is /dev/pts/N" for each end, then "starting data
 * transfer loop" once it relays; `spawnPtyPair()` resolves after that last line, so both paths are usable.
 * socat is killed by `close()`, and when this process exits, so no pair outlives its user.
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

export function spawnPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const socat = options.socatPath ?? 'socat';
  const where = 'pty';
  return new Promise((resolve, reject) => {
    const child = spawn(socat, ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
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
          const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          reject(new ByteLinkError(where, 'ECHILD', `${socat} ${how} before the ptys were ready: ${log.join(' | ')}`));
        }
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
              if (!exited) child.kill('SIGTERM');
              await exitedPromise;
            },
          });
        }
      }
    });
  });
}
