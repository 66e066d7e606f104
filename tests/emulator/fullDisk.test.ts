// A real full disk under `smets1 emulate --state`: a 200 KB tmpfs, filled up while the emulator runs. A change whose
// slot already has its disk space is still made durable and answered; the change that cannot be made durable is
// never answered, the emulator stops with exit 1 and a message, and the directory still holds the last good state,
// which the next start restores. Needs root (mount); skipped with the reason if
// the mount is not possible.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setEuis } from '../../emulator/host/benchConfig';
import { ACK_WRITE_DELAY_MS } from '../../emulator/persistence/hostPersistence';
import { connectHarness, startEmulator, waitFor, type Child } from './childEmulator';
import type { CommandInput } from '../../protocols/benchClient';

const { CH, PPMID: ppmid } = setEuis(0, true);
const PPMID = ppmid!;
const CH1 = setEuis(1, true).CH;
const mountPoint = mkdtempSync(join(tmpdir(), 'smets1-fulldisk-'));
let unavailable: string | undefined;
const children: Child[] = [];

beforeAll(() => {
  if (process.getuid?.() !== 0) {
    unavailable = 'not root: cannot mount a tmpfs';
    return;
  }
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch (error) {
    unavailable = `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
});
afterAll(() => {
  for (const child of children) child.process.kill('SIGKILL');
  if (!unavailable) execFileSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/** Fills the file system holding `dir` up to the last byte; returns the filler's path. */
function fillDisk(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(1024, 0x55);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  // Then byte by byte, so not even a small write fits.
  try {
    for (;;) writeSync(fd, block, 0, 1);
  } catch {
    // full
  }
  closeSync(fd);
  return path;
}

const add = (deviceId: string): CommandInput<'hanLogAdd'> => ({
  type: 'hanLogAdd',
  deviceId,
  installCode: '00112233445566778899aabbccddeeff',
  joinPeriod: 200,
});

describe('emulate --state on a full disk', () => {
  it('stops with exit 1 instead of acknowledging a change it could not keep, and the last good state restores', async (ctx) => {
    if (unavailable) {
      console.log(`full-disk test skipped: ${unavailable}`);
      ctx.skip();
    }
    const state = join(mountPoint, 'state');
    const args = ['--vendor', 'itron', '--sets', '2', '--state', state];
    const first = await startEmulator(args);
    children.push(first);
    const harness = await connectHarness(first.port);
    expect((await harness.client.request(CH, add(PPMID))).status).toBe('ok');
    // The add raises an alert; once the harness has acknowledged it, its removal from the queue is written too
    // (late: within ACK_WRITE_DELAY_MS).
    await waitFor(() => harness.alerts.length === 1, 'the alert of the first add');
    await new Promise((resolve) => setTimeout(resolve, ACK_WRITE_DELAY_MS + 500));

    const filler = fillDisk(mountPoint);
    // Set 0's slots have their disk space already: its next change is still made durable and answered.
    expect((await harness.client.request(CH, add('00-DB-12-34-56-78-90-B1'))).status).toBe('ok');
    // Set 1 has never changed: its slot needs new space, and there is none.
    const answer = harness.client.request(CH1, add('00-DB-12-34-56-78-90-B3')).then(
      (response) => `answered ${response.status}`,
      (error: Error) => `not answered: ${error.message}`,
    );
    expect(await first.exited).toBe(1);
    const noAnswer = new Promise<string>((resolve) => setTimeout(() => resolve('not answered: no response'), 1000));
    expect(await Promise.race([answer, noAnswer])).toMatch(/^not answered: /);
    const stderr = first.output.filter((line) => line.startsWith('stderr: ')).join('\n');
    expect(stderr).toMatch(
      /^stderr: smets1: cannot write .*\/state\/emulator-state\.0\.slots \(set 1\): (ENOSPC: no space left on device, write|short write: .*)\. Stopped: no change after the last durable one was acknowledged, and .*\/state holds that state\.$/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    await harness.close();

    unlinkSync(filler);
    const second = await startEmulator(args);
    children.push(second);
    // (The second add's alert may have been acknowledged too late to be written: then it is queued again.)
    expect(second.output).toContainEqual(
      expect.stringMatching(
        new RegExp(`^restored 2 device set\\(s\\) and [01] unacknowledged alert\\(s\\) from ${state}$`),
      ),
    );
    const again = await connectHarness(second.port);
    const log = (await again.client.request(CH, { type: 'readDeviceLog' })).body as { entries: { deviceId: string }[] };
    expect(log.entries.map((entry) => entry.deviceId)).toEqual(
      expect.arrayContaining([PPMID, '00-DB-12-34-56-78-90-B1']),
    );
    const log1 = (await again.client.request(CH1, { type: 'readDeviceLog' })).body as {
      entries: { deviceId: string }[];
    };
    expect(log1.entries.map((entry) => entry.deviceId)).not.toContain('00-DB-12-34-56-78-90-B3');
    await again.close();
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);
});
