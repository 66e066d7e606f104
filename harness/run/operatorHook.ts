/**
 * Unattended operator steps (`smets1 run --operator-hook CMD`): a stimulus the executor cannot send as a bench
 * control message (`devices: real`, a prompt alone, a cable pull on a real line) is handed to CMD (a relay or GPIO
 * script) instead of a person at the terminal. CMD runs through the shell, once per stimulus, with the stimulus as
 * one JSON document on stdin; exit 0 is done, anything else fails the scenario with the hook's stderr in the report.
 *
 * Bounded whatever the hook does: its stdout is not read, its stderr is kept up to STDERR_LIMIT bytes (the end is
 * cut, saying so), and a hook still running after HOOK_TIMEOUT_MS, or when the scenario is abandoned (its `timeout:`
 * or Ctrl-C), is killed with its process group.
 */
import { spawn } from 'node:child_process';
import type { OperatorStep } from './operatorSteps';

/** A hook that has not finished in 10 minutes is taken as stuck (a relay script takes seconds). */
const HOOK_TIMEOUT_MS = 10 * 60_000;
/** Enough for any script's error message; the rest would only fill the report. */
const STDERR_LIMIT = 16 * 1024;

/** The failure text of a hook: what it was asked, how it ended, its stderr. */
function failed(command: string, step: OperatorStep, how: string, stderr: string): Error {
  const told = stderr.trim();
  return new Error(
    `operator hook \`${command}\` for "${step.prompt}" (line ${step.line}) ${how}${told === '' ? ' (nothing on stderr)' : `: ${told}`}`,
  );
}

/** Runs `command` for one operator step: resolves when it exits 0, rejects saying how it ended otherwise. */
export function runOperatorHook(
  command: string,
  step: OperatorStep,
  signal?: AbortSignal,
  timeoutMs = HOOK_TIMEOUT_MS,
): Promise<void> {
  return new Promise((resolve, reject) => {
    // its own process group, so a kill reaches whatever the shell started (the script, its children)
    const child = spawn(command, { shell: true, stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let cut = false;
    let ended = false;
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length >= STDERR_LIMIT) {
        cut = true;
        return;
      }
      stderr += chunk.toString('utf8').slice(0, STDERR_LIMIT - stderr.length);
    });
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const kill = (why: string) => {
      if (ended) return;
      killGroup();
      finish(failed(command, step, why, stderr));
    };
    // its own process group is out of reach of the terminal's Ctrl-C: a run that exits takes it along
    process.on('exit', killGroup);
    const timer = setTimeout(() => kill(`was still running after ${timeoutMs / 1000} s and was killed`), timeoutMs);
    const onAbort = () => kill('was killed: the scenario was stopped');
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (error?: Error) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      process.off('exit', killGroup);
      if (error === undefined) resolve();
      else reject(error);
    };
    child.on('error', (error) => finish(failed(command, step, `could not be started (${error.message})`, stderr)));
    // the stderr pipe may still hold the last words of a hook that has exited: 'close' waits for it
    child.on('close', (code, killedBy) => {
      if (code === 0) finish();
      else
        finish(
          failed(
            command,
            step,
            code !== null ? `exited ${code}` : `was killed by ${killedBy}`,
            stderr + (cut ? ' […stderr cut]' : ''),
          ),
        );
    });
    // a hook that does not read its stdin (it only needs to close a relay) closes the pipe: not an error
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${JSON.stringify(step)}\n`);
    if (signal?.aborted) onAbort();
  });
}
