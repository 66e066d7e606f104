// The operator hook (harness/run/operatorHook.ts) with real scripts: what it gets on stdin, how its exit and
// stderr become the scenario's verdict, and that nothing it does can make the run hang or hold unbounded output.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOperatorHook } from '../../harness/run/operatorHook';
import type { OperatorStep } from '../../harness/run/operatorSteps';
import { alive } from '../../scripts/processTree';

const dir = mkdtempSync(join(tmpdir(), 'smets1-hook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const step: OperatorStep = {
  file: 'packs/bench/night.yaml',
  scenario: 'PPMID joins after power-on',
  step: 2,
  line: 9,
  column: 9,
  prompt: 'Plug the PPMID into the mains',
  stimulus: { type: 'ppmidPowerOn' },
  device: { text: 'PPMID', role: 'PPMID', set: 0, eui: '00-DB-12-34-56-78-90-A3' },
};

async function failure(promise: Promise<void>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the hook did not fail');
}

describe('operator hook', () => {
  it('gets the stimulus as one JSON document on stdin; exit 0 is done', async () => {
    const got = join(dir, 'stdin.json');
    await runOperatorHook(`${script('record.sh', `cat > "${got}"`)}`, step);
    expect(JSON.parse(readFileSync(got, 'utf8'))).toEqual({
      file: 'packs/bench/night.yaml',
      scenario: 'PPMID joins after power-on',
      step: 2,
      line: 9,
      column: 9,
      prompt: 'Plug the PPMID into the mains',
      stimulus: { type: 'ppmidPowerOn' },
      device: { text: 'PPMID', role: 'PPMID', set: 0, eui: '00-DB-12-34-56-78-90-A3' },
    });
  });

  it('runs through the shell, so a command line with arguments works', async () => {
    const got = join(dir, 'args.txt');
    const relay = script('relay.sh', `echo "$1 $2" > "${got}"`);
    await runOperatorHook(`${relay} --relay 4`, step);
    expect(readFileSync(got, 'utf8')).toBe('--relay 4\n');
  });

  it('a hook that never reads its stdin and exits 0 is done', async () => {
    await expect(runOperatorHook('true', step)).resolves.toBeUndefined();
  });

  it('a non-zero exit fails, with the command, the prompt, its line and the stderr', async () => {
    const hook = script('fail.sh', 'echo "relay board not found on /dev/ttyACM0" >&2; exit 3');
    const error = await failure(runOperatorHook(hook, step));
    expect(error.message).toBe(
      `operator hook \`${hook}\` for "Plug the PPMID into the mains" (line 9) exited 3: relay board not found on /dev/ttyACM0`,
    );
  });

  it('a silent failure says there was nothing on stderr', async () => {
    const error = await failure(runOperatorHook('exit 1', step));
    expect(error.message).toBe(
      'operator hook `exit 1` for "Plug the PPMID into the mains" (line 9) exited 1 (nothing on stderr)',
    );
  });

  it("a command that does not exist fails with the shell's message", async () => {
    const error = await failure(runOperatorHook('/no/such/relay-script', step));
    expect(error.message).toMatch(
      /^operator hook `\/no\/such\/relay-script` for "Plug the PPMID into the mains" \(line 9\) exited 127: .*no\/such\/relay-script.*not found/,
    );
  });

  it('keeps at most 16 KiB of stderr, saying it cut the rest', async () => {
    const hook = script('noisy.sh', 'head -c 1000000 /dev/zero | tr "\\0" x >&2; exit 1');
    const error = await failure(runOperatorHook(hook, step));
    expect(error.message.length).toBeLessThan(16 * 1024 + 200);
    expect(error.message).toMatch(/exited 1: x{16384} \[…stderr cut\]$/);
  });

  it('a hook that runs past its time is killed, with its children, and fails saying so', async () => {
    const pidFile = join(dir, 'child.pid');
    const hook = script('stuck.sh', `sleep 30 & echo $! > "${pidFile}"; wait`);
    const error = await failure(runOperatorHook(hook, step, undefined, 300));
    expect(error.message).toBe(
      `operator hook \`${hook}\` for "Plug the PPMID into the mains" (line 9) was still running after 0.3 s and was killed (nothing on stderr)`,
    );
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(sleeper)).toBe(false);
  });

  it('a hook of a scenario that is stopped is killed at once', async () => {
    const stop = new AbortController();
    const running = failure(runOperatorHook('sleep 30', step, stop.signal));
    setTimeout(() => stop.abort(), 50);
    expect((await running).message).toBe(
      'operator hook `sleep 30` for "Plug the PPMID into the mains" (line 9) was killed: the scenario was stopped (nothing on stderr)',
    );
  });
});
