// A scenario's `timeout:` (docs/packs.md): an overlong scenario becomes an error naming the timeout, on the virtual
// clock where the bench runs on it and on the wall clock on a real bench; a scenario within it is untouched; a
// timeout that cannot mean anything is refused at load with its place.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPack, PackError, parsePack } from '../../harness/packs';
import { runScenario } from '../../harness/run/executor';
import { runOperatorHook } from '../../harness/run/operatorHook';
import { alive } from '../../scripts/processTree';
import { startEmulator } from '../emulator/childEmulator';

const dir = mkdtempSync(join(tmpdir(), 'smets1-timeout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pack(name: string, text: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  return loadPack(file);
}

describe('scenario timeout on the virtual clock', () => {
  // line 5 is the overlong scenario's `timeout: 1min` (value at column 14); its second step, on line 8, runs past it
  const virtual = pack(
    'virtual.yaml',
    `name: timeouts
bench: { vendor: itron }
scenarios:
  - name: overlong
    timeout: 1min
    steps:
      - wait: 30s
      - wait: 2h
      - wait: 1s
  - name: in time
    timeout: 3h
    steps:
      - wait: 2h
`,
  );

  it('a scenario that runs past its timeout is an error naming the timeout, its place and the step it was in', async () => {
    const result = await runScenario(virtual, virtual.scenarios[0]!);
    expect(result.verdict).toBe('error');
    expect(result.failures).toEqual([
      {
        step: 'timeout',
        line: 5,
        column: 14,
        expected: 'the scenario to end within its timeout of 1min',
        actual: 'still running after 1min on the virtual clock, in step 2 (wait, line 8)',
        message: 'timeout: still running after 1min on the virtual clock, in step 2 (wait, line 8)',
      },
    ]);
    // the first wait finished and is on the timeline; the one the timeout cut is not
    expect(result.timeline.map((event) => event.label)).toEqual(['wait 30 s']);
  });

  it('a scenario within its timeout passes as it would without one', async () => {
    const result = await runScenario(virtual, virtual.scenarios[1]!);
    expect(result.verdict).toBe('passed');
    expect(result.virtualEndMs - result.virtualStartMs).toBe(2 * 3_600_000);
  });
});

describe('scenario timeout on the wall clock (a real bench)', () => {
  it('a 10-minute wait under a 500 ms timeout ends as an error on the wall clock, without waiting the 10 minutes', async ({
    onTestFinished,
  }) => {
    const emulator = await startEmulator([]);
    onTestFinished(() => void emulator.process.kill('SIGTERM'));
    const wall = pack(
      'wall.yaml',
      `name: wall
bench: { vendor: itron, link: "tcp:127.0.0.1:${emulator.port}" }
scenarios:
  - name: overlong on the bench
    timeout: 500ms
    steps:
      - wait: 10min
`,
    );
    const result = await runScenario(wall, wall.scenarios[0]!);
    expect(result.verdict).toBe('error');
    expect(result.failures).toEqual([
      {
        step: 'timeout',
        line: 5,
        column: 14,
        expected: 'the scenario to end within its timeout of 500ms',
        actual: 'still running after 500ms on the wall clock, in step 1 (wait, line 7)',
        message: 'timeout: still running after 500ms on the wall clock, in step 1 (wait, line 7)',
      },
    ]);
  }, 30_000);
});

describe('scenario timeout during an operator hook', () => {
  it('the hook still running when the timeout strikes is killed with what it started', async ({ onTestFinished }) => {
    const emulator = await startEmulator([]);
    onTestFinished(() => void emulator.process.kill('SIGTERM'));
    const real = pack(
      'hooked.yaml',
      `name: hooked
bench: { vendor: itron, devices: real, link: "tcp:127.0.0.1:${emulator.port}" }
scenarios:
  - name: a relay that never finishes
    timeout: 1s
    steps:
      - stimulus: { prompt: "Close relay 4" }
`,
    );
    const pidFile = join(dir, 'relay.pid');
    const hook = `sleep 60 & echo $! > "${pidFile}"; wait`;
    const result = await runScenario(real, real.scenarios[0]!, {
      prompt: (_text, step, stopped) => runOperatorHook(hook, step, stopped),
    });
    expect(result.verdict).toBe('error');
    expect(result.failures.map((f) => f.message)).toEqual([
      'timeout: still running after 1s on the wall clock, in step 1 (stimulus, line 7)',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  }, 30_000);
});

describe('scenario timeout in the pack', () => {
  const refused = (timeout: string): string[] => {
    try {
      parsePack(
        `name: p\nbench: { vendor: itron }\nscenarios:\n  - name: s\n    timeout: ${timeout}\n    steps: [ { wait: 1s } ]\n`,
        'bad.yaml',
      );
    } catch (error) {
      expect(error).toBeInstanceOf(PackError);
      return (error as Error).message.split('\n');
    }
    throw new Error('the pack was accepted');
  };

  it('a timeout of 0 is refused', () => {
    expect(refused('0s')).toEqual([
      'bad.yaml:5:14: scenarios[0].timeout: a timeout of 0 would stop the scenario before its first step; expected a duration longer than 0, like 30min',
    ]);
  });

  it('a timeout that is not a duration is refused', () => {
    expect(refused('soon')).toEqual([
      'bad.yaml:5:14: scenarios[0].timeout: got the string "soon"; expected a duration like 300s, 90min, 2h or 1h30m (units d, h, min or m, s, ms; largest first)',
    ]);
  });
});
