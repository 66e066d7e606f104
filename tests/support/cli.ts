/** `smets1 …` from a test: in this process through the CLI's entry point, or as a user types it, in a child. */
import { spawn } from 'node:child_process';
import { vi } from 'vitest';
import { main } from '../../harness/cli/main';
import { SMETS1_BIN } from './smets1Bin';

const ROOT = new URL('../../', import.meta.url).pathname;

/** What `smets1 …` run in this process gave. */
export interface InProcessRun {
  code: number;
  /** The lines the command printed (its `out`: what `console.log` writes to stdout in the real command). */
  lines: string[];
  /** What it wrote to stderr (commander's usage errors, main's `smets1: …` messages). */
  stderr: string;
  /** What it wrote straight to stdout, not through `out`: commander's --help and --version. */
  stdout: string;
}

/**
 * In this process (harness/cli/main.ts), both streams captured, so kept out of the test log. Much cheaper than a child
 * (no start-up, the modules this worker has loaded already): for what the command prints and its code; what only a
 * process shows (bin/smets1.mjs's exit, signals, a piped stdout) is for `smets1Child`.
 */
export async function smets1(...args: string[]): Promise<InProcessRun> {
  const lines: string[] = [];
  let stderr = '';
  let stdout = '';
  const errors = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const output = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  try {
    const code = await main(args, (line) => lines.push(line));
    return { code, lines, stderr, stdout };
  } finally {
    errors.mockRestore();
    output.mockRestore();
  }
}

/**
 * `smets1 …` in this process, its result in the shape a child's has: stdout the text a child's would hold (what
 * commander wrote, then each `out` line and a newline, as console.log writes it).
 */
export async function smets1Printed(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const result = await smets1(...args);
  return {
    status: result.code,
    stdout: result.stdout + result.lines.map((line) => `${line}\n`).join(''),
    stderr: result.stderr,
  };
}

/** As a user types it (`node bin/smets1.mjs …`, the checkout as working directory; SMETS1_BIN), to its exit. */
export function smets1Child(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SMETS1_BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
