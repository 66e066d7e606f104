/**
 * Issue 18: `smets1 run` against an emulator it did not start, as the README's "Running on a real port" has a user
 * start it by hand (here a child `smets1 emulate` the test starts), over TCP and over a socat pty. An emulator started
 * with the defaults (Itron, on its SMSO) is made the pack's Elster bench before each scenario (benchConfigure) and
 * passes the 91342-elster pack scenario after scenario; one that keeps its sets (`--state`, so it cannot be made the
 * pack's bench, as real hardware cannot) started as Itron, or as Elster with the 91342 quirk off, is refused at
 * pre-flight with exit 2 and the mismatch named at its place in the pack, over both links.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WallClock } from '../../emulator/clock/wallClock';
import { nativeBinding } from '../../emulator/links/nativeBinding';
import { SerialLink } from '../../emulator/links/serialLink';
import { startEmulator, startPtyEmulator, type Child } from '../emulator/childEmulator';
import { needsSocat } from '../support/socat';
import { smets1Printed } from '../support/cli';

const PACK = 'packs/defects/91342-elster.yaml';
const haveSocat = needsSocat(
  'tests/packs/farEnd.test.ts: "pre-flight and isolation over a pty" (every test of that block)',
);

/** `smets1 run` in this process (tests/support/cli.ts); the far end is the child `smets1 emulate`. */
const smets1Run = (...args: string[]) => smets1Printed('run', ...args);

// The place in packs/defects/91342-elster.yaml, counted by hand: `"91342": true` is line 15, its value at column 14.
const QUIRK_AT = `${PACK}:15:14`;

const ELSTER = ['--vendor', 'elster', '--migration-state', 'dcc', '--clock', 'harness'];

const links: {
  name: string;
  start: (args: string[]) => Promise<Child>;
  link: (child: Child) => string;
  skip: boolean;
}[] = [
  { name: 'TCP', start: startEmulator, link: (child) => `tcp:127.0.0.1:${child.port}`, skip: false },
  { name: 'a pty', start: startPtyEmulator, link: (child) => `serial:${child.ptyPath}`, skip: !haveSocat },
];

for (const { name, start, link, skip } of links) {
  describe.skipIf(skip)(`pre-flight and isolation over ${name}`, () => {
    const children: Child[] = [];
    afterEach(async () => {
      for (const child of children.splice(0)) {
        child.process.kill('SIGTERM');
        await child.exited;
      }
    });

    it('an emulator started with the defaults (Itron, on its SMSO) is made the Elster bench and passes all four scenarios, one after the other', async () => {
      const child = await start(['--clock', 'harness']);
      children.push(child);
      const run = await smets1Run(PACK, '--link', link(child), '--clock', 'harness', '--reporter', 'console');
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('PASSED: 4 scenarios, 4 passed, 0 failed, 0 errored, 0 skipped');
      expect(run.stdout).toContain(
        `far end: ${link(child)} is smets1 emulate, pre-flighted, made each scenario's bench before it`,
      );
      expect(run.status).toBe(0);
    }, 120_000);
  });
}

// A lock is a serial port's: the pre-flight's open meets the port held (as by a probe of the adapter, or a close still
// finishing in the kernel) and keeps trying until it is let go (duisBench.ts FAR_END_LOCK_WAIT_MS), rather than failing
describe.skipIf(!haveSocat)('a far end over a pty whose port another program holds for a moment', () => {
  let child: Child | undefined;
  afterEach(async () => {
    child?.process.kill('SIGTERM');
    await child?.exited;
    child = undefined;
  });

  it('the run waits for the port and passes', async () => {
    child = await startPtyEmulator(['--clock', 'harness']);
    const holder = new SerialLink({ path: child.ptyPath, clock: new WallClock(), reconnect: false });
    await holder.open();
    // the holder lets go once the run has met its lock (an open refused), not after a set time: that try is seen
    const binding = await nativeBinding();
    const open = binding.open.bind(binding);
    let letGo: Promise<void> | undefined;
    const opens = vi.spyOn(binding, 'open').mockImplementation(async (options) => {
      try {
        return await open(options);
      } catch (error) {
        letGo ??= holder.close();
        await letGo;
        throw error;
      }
    });
    let run: Awaited<ReturnType<typeof smets1Run>>;
    try {
      run = await smets1Run(PACK, '--link', `serial:${child.ptyPath}`, '--clock', 'harness', '--reporter', 'console');
    } finally {
      opens.mockRestore();
    }
    expect(letGo).toBeDefined(); // the run met the lock
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('PASSED: 4 scenarios, 4 passed, 0 failed, 0 errored, 0 skipped');
    expect(run.status).toBe(0);
  }, 120_000);
});

// `vendor: elster` is line 12 of the pack, its value at column 11 (counted by hand)
const VENDOR_AT = `${PACK}:12:11`;

for (const { name, start, link, skip } of links) {
  describe.skipIf(skip)(`an emulator that keeps its sets (--state), over ${name}: refused at pre-flight`, () => {
    const started: { child: Child; dir: string }[] = [];
    afterEach(async () => {
      for (const { child, dir } of started.splice(0)) {
        child.process.kill('SIGTERM');
        await child.exited;
        rmSync(dir, { recursive: true, force: true });
      }
    });
    // --state is on the wall clock, and its sets are the directory's: it answers benchConfigure `unsupported`, so the
    // pre-flight must refuse it before any scenario (and its waits) would run
    const keepingSets = async (args: string[]) => {
      const dir = mkdtempSync(join(tmpdir(), 'smets1-farend-'));
      const child = await start([...args, '--state', dir]);
      started.push({ child, dir });
      return child;
    };

    it('started as Itron (the default vendor): exit 2, the vendor and every device named at its place in the pack', async () => {
      const child = await keepingSets([]);
      const run = await smets1Run(PACK, '--link', link(child), '--reporter', 'console');
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        'smets1 run: the far end is not the bench the packs want (pre-flight; --no-preflight skips it):',
        `${VENDOR_AT}: pack 91342-elster wants Elster devices in set 0; the far end has Itron ones (start it with --vendor elster)`,
        `${VENDOR_AT}: pack 91342-elster wants an Elster ESME at 00-DB-12-34-56-78-90-A0; the far end has an Itron ESME (firmware ITRON-ESME-02.11.00)`,
        `${VENDOR_AT}: pack 91342-elster wants an Elster GSME at 00-DB-12-34-56-78-90-A1; the far end has an Itron GSME (firmware ITRON-GSME-01.09.04)`,
        `${VENDOR_AT}: pack 91342-elster wants an Elster CH at 00-DB-12-34-56-78-90-A2; the far end has an Itron CH (firmware ITRON-CH-01.06.02)`,
        `${VENDOR_AT}: pack 91342-elster wants an Elster PPMID at 00-DB-12-34-56-78-90-A3; the far end has an Itron PPMID (firmware ITRON-PPMID-01.02.00)`,
      ]);
      expect(run.stdout).toBe('');
    }, 120_000);

    it('Elster with the 91342 quirk off: exit 2, the quirk named with the option that fixes it', async () => {
      const child = await keepingSets(['--vendor', 'elster', '--migration-state', 'dcc', '--quirk', '91342=off']);
      const run = await smets1Run(PACK, '--link', link(child), '--reporter', 'console');
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        'smets1 run: the far end is not the bench the packs want (pre-flight; --no-preflight skips it):',
        `${QUIRK_AT}: pack 91342-elster wants quirk 91342 on in set 0; the far end has it off (start it with --quirk 91342=on)`,
      ]);
      expect(run.stdout).toBe('');
    }, 120_000);
  });
}

describe('--no-preflight', () => {
  it('runs against the wrong far end (here the 91342 quirk off: the refusals do not come) and the report says it was not pre-flighted', async () => {
    const child = await startEmulator([...ELSTER, '--quirk', '91342=off']);
    try {
      const run = await smets1Run(
        PACK,
        '--link',
        `tcp:127.0.0.1:${child.port}`,
        '--clock',
        'harness',
        '--no-preflight',
        '--reporter',
        'console',
      );
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('FAILED: 4 scenarios, 2 passed, 2 failed, 0 errored');
      expect(run.stdout).toContain(
        `far end: not pre-flighted (--no-preflight): nothing checked that tcp:127.0.0.1:${child.port} is the bench the packs want`,
      );
    } finally {
      child.process.kill('SIGTERM');
      await child.exited;
    }
  }, 120_000);
});
