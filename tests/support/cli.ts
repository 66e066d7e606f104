/** `smets1 …` from a test: in this process through the CLI's entry point, or as a user types it, in a child. */
import { spawn } from 'node:child_process';
import { vi } from 'vitest';
import { main } from '../../harness/cli/main';
import { SMETS1_BIN } from './smets1Bin';

const ROOT = new URL('../../', import.meta.url).pathname;

/** In this process (harness/cli/main.ts): its exit code and the lines it printed, stderr kept out of the test log. */
export async function smets1(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await main(args, (line) => lines.push(line)), lines };
  } finally {
    spy.mockRestore();
  }
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
