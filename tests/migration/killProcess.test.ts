/**
 * kill -9 for real: the devices run in `smets1 emulate --state DIR` (one process), the DCC side with the orchestrator
 * in another (dccSideChild.ts), over TCP on the wall clock. The DCC side is killed with SIGKILL half-way through the
 * credential swap, and so is the emulator; both restart (the emulator from its state directory, the DCC side from its
 * journal file), and the migration is rolled back and retried to the end. The devices are checked exactly after the
 * kill (half-migrated as the journal says) and at the end (migrated), SMI statuses from the restarted DSP.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectHarness, startEmulator, type Child } from '../emulator/childEmulator';
import { FULLY_MIGRATED, readDeviceStates } from './support';

const CHILD = new URL('./dccSideChild.ts', import.meta.url).pathname;

function startDccSide(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr.on('data', (chunk: Buffer) => lines.push(`stderr: ${chunk.toString().trimEnd()}`));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, lines, exited };
}

async function until(what: string, done: () => boolean, lines: string[], timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('kill -9 of the DCC side and of the emulator mid-migration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'migration-kill-'));
  const emulators: Child[] = [];
  afterAll(() => {
    for (const e of emulators) e.process.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the devices as the journal says, and the restart rolls back and migrates', async () => {
    const emulatorArgs = ['--vendor', 'elster', '--seed', '1', '--state', join(dir, 'devices')];
    const journal = join(dir, 'journal.json');
    const first = await startEmulator(emulatorArgs);
    emulators.push(first);

    const dcc = startDccSide([String(first.port), journal, 'elster', 'active', 'credentialSwap A1 3']);
    await until('the stall before the GSME slot 3', () => dcc.lines.includes('stalled'), dcc.lines);
    dcc.child.kill('SIGKILL');
    expect(await dcc.exited).toBe('SIGKILL');
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const onDisk = JSON.parse(readFileSync(journal, 'utf8'));
    expect([onDisk.phase, onDisk.attempt, onDisk.swapComplete, onDisk.step]).toEqual([
      'attempting',
      1,
      false,
      'credentialSwap 00-DB-12-34-56-78-90-A1 slot 3',
    ]);
    expect(
      onDisk.slotChanges.map(
        (c: { device: string; role: number; state: string }) => `${c.device.slice(-2)} ${c.role} ${c.state}`,
      ),
    ).toEqual(['A0 2 done', 'A0 3 done', 'A1 2 done']);

    // the emulator comes back from its state directory: the devices are half-migrated, exactly as the journal says
    const second = await startEmulator(emulatorArgs);
    emulators.push(second);
    const look = await connectHarness(second.port, 'elster');
    expect(
      await readDeviceStates(
        (eui, command) => look.client.request(eui, command),
        () => undefined,
      ),
    ).toEqual({
      ESME: { slots: 'smso smso dcc dcc smso smso smso', migrationState: 'smso', smi: undefined },
      GSME: { slots: 'smso smso dcc smso smso smso smso', migrationState: 'smso', smi: undefined },
      CHF: { slots: 'smso smso smso smso smso smso smso', migrationState: 'smso', smi: undefined },
      PPMID: { slots: 'smso smso smso smso smso smso smso', migrationState: 'smso', smi: undefined },
    });
    await look.close();

    // the DCC side restarts from its journal: rolls back, retries, migrates
    const again = startDccSide([String(second.port), journal, 'elster', 'active']);
    expect(await again.exited).toBe(0);
    const steps = again.lines.filter((l) => l.startsWith('step '));
    expect(steps.slice(0, 5)).toEqual([
      'step 1 rollback A1 2',
      'step 1 rollback A0 3',
      'step 1 rollback A0 2',
      'step 1 retryWait - -',
      'step 2 wanPreCheck A0 -',
    ]);
    const result = JSON.parse(again.lines.find((l) => l.startsWith('result '))!.slice('result '.length));
    expect(result).toEqual({
      outcome: 'migrated',
      attempts: 2,
      failedAttempts: 1,
      recovered: 'rolled-back',
      smi: {
        '00-DB-12-34-56-78-90-A0': 'Commissioned',
        '00-DB-12-34-56-78-90-A1': 'Commissioned',
        '00-DB-12-34-56-78-90-A2': 'Commissioned',
        '00-DB-12-34-56-78-90-A3': 'Commissioned',
      },
    });
    const final = await connectHarness(second.port, 'elster');
    const smi = (eui: string) => result.smi[eui] as string;
    expect(await readDeviceStates((eui, command) => final.client.request(eui, command), smi)).toEqual(FULLY_MIGRATED);
    await final.close();
  }, 120_000);
});
