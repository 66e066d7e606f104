// The smets1 command line: help from the option table, exit codes, clear errors for bad input. What a command decides
// before it starts anything runs in this process (smets1Printed: the same code and text, no child's start-up); an
// emulator that must fail promptly stays a child, which a timeout can end, as do the tests of the command as a user
// starts it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emulateOptions } from '../../harness/cli/emulate';
import { runOptions } from '../../harness/cli/run';
import { startEmulator, startPtyEmulator } from '../emulator/childEmulator';
import { smets1Printed as inProcess } from '../support/cli';
import { SMETS1_BIN, USER_BIN } from '../support/smets1Bin';

const run = (...args: string[]) =>
  spawnSync(process.execPath, [SMETS1_BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
// bin/smets1.mjs exactly as a user runs it (tsx, no bundle), for a success and a failure: the run's bundle is built from
// it (tests/support/cliBundle.globalSetup.ts), and this keeps the file a user starts under test as well.
const runAsUser = (...args: string[]) =>
  spawnSync(process.execPath, [USER_BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
const dir = mkdtempSync(join(tmpdir(), 'smets1-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('smets1 CLI', () => {
  it('emulate --help explains every option of the table, with examples, and exits 0', () => {
    const result = runAsUser('emulate', '--help');
    expect(result.status).toBe(0);
    for (const row of Object.values(emulateOptions)) {
      expect(result.stdout).toContain(row.flags);
      if (row.example) expect(result.stdout).toContain(`e.g. ${row.example}`);
    }
    expect(result.stdout).toContain('smets1 emulate --vendor elster --link pty');
  });

  it('run --help explains every option of the table, --clock harness for an emulator started by hand among them', async () => {
    const result = await inProcess('run', '--help');
    expect(result.status).toBe(0);
    for (const row of Object.values(runOptions)) {
      expect(result.stdout).toContain(row.flags);
      if (row.example) expect(result.stdout).toContain(`e.g. ${row.example}`);
    }
    expect(result.stdout).toContain(
      'smets1 run packs/defects/91342-elster.yaml --link tcp:127.0.0.1:7000 --clock harness',
    );
  });

  it.each([
    [
      ['emulate', '--sets', 'x'],
      /option '--sets <n>' argument 'x' is invalid\. "x" is not a whole number from 1 to 100000/,
    ],
    // Decimal digits only: JavaScript's Number() would read these as 16, 1000, 5 and 2.
    [
      ['emulate', '--sets', '0x10'],
      /option '--sets <n>' argument '0x10' is invalid\. "0x10" is not a whole number from 1 to 100000/,
    ],
    [
      ['emulate', '--seed', '1e3'],
      /option '--seed <n>' argument '1e3' is invalid\. "1e3" is not a whole number from 0 to 2147483647/,
    ],
    [['emulate', '--ack-timeout', ' 5'], /option '--ack-timeout <ms>' argument ' 5' is invalid/],
    [['emulate', '--sets', '+2'], /option '--sets <n>' argument '\+2' is invalid/],
    [['emulate', '--record-limit', '0b1'], /option '--record-limit <MiB>' argument '0b1' is invalid/],
    [['emulate', '--link', 'serial:'], /bad link "serial:": serial needs a path: serial:PATH\[@BAUD\]/],
    [['emulate', '--quirk', '99999=on'], /no quirk "99999"/],
    [['emulate', '--vendor', 'landis'], /argument 'landis' is invalid\. Allowed choices are itron, elster/],
    [['emulate', '--install-code', 'PPMID=0011'], /--install-code: PPMID install code "0011" is not 6–16 bytes of hex/],
    [
      ['emulate', '--install-code', 'CH=001122334455'],
      /--install-code: no install code for CH: only ESME, GSME, PPMID join a HAN/,
    ],
    [['emulate', '--install-code', '001122334455'], /"001122334455" is not DEVICE=HEX/],
    [['emulate', '--clock', 'sundial'], /argument 'sundial' is invalid\. Allowed choices are wall, harness/],
    // A restored device's timers belong to the run that saved them: refused before anything starts.
    [
      ['emulate', '--clock', 'harness', '--state', '/nonexistent/state'],
      /^smets1 emulate: --clock harness and --state do not go together: virtual time starts afresh with every harness run$/m,
    ],
    [
      ['run', 'packs/defects/91342-elster.yaml', '--link', 'mock', '--clock', 'harness'],
      /^smets1 run: --clock harness is for a serial: or tcp: link to `smets1 emulate --clock harness`; --link mock runs its devices in this process on virtual time$/m,
    ],
    [
      ['run', 'packs/defects/91342-elster.yaml', '--link', 'pty', '--clock', 'harness'],
      /--link pty already runs its child on the harness clock$/m,
    ],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j is a usage error: exit 2 with the reason', async (args, message) => {
    const result = await inProcess(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('a usage error is exit 2 from the command as a user starts it, the reason on stderr and nothing on stdout', () => {
    const result = run('frobnicate');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(result.stdout).toBe('');
  });

  it('refuses a corrupt state file with exit 1, naming the file, and does not touch it', () => {
    writeFileSync(join(dir, 'emulator-state.json'), '{ not json');
    const result = runAsUser('emulate', '--link', 'loopback', '--state', dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`smets1: ${join(dir, 'emulator-state.json')} is corrupt`);
    expect(result.stderr).toContain(`It was not changed: move ${dir} aside to start afresh.`);
  });

  // Each of these failed after start-up had begun, printed a message, and never exited.
  it.each([
    [
      'a file where the --state directory should be',
      () => ['--state', join(dir, 'a-file', 'state')],
      /^smets1: cannot use state directory .*a-file\/state: it \(or a folder above it\) is a file, not a directory$/m,
    ],
    [
      'a --record file in a missing directory',
      () => ['--record', join(dir, 'missing', 'run.trace')],
      /^smets1: cannot record to .*missing\/run\.trace: ENOENT/m,
    ],
    ['a directory as the --record file', () => ['--record', dir], /^smets1: cannot record to .*: EISDIR/m],
  ])('%s: exit 1 with the message, promptly', (_what, args, message) => {
    writeFileSync(join(dir, 'a-file'), 'not a directory');
    const result = run('emulate', '--link', 'tcp-listen:127.0.0.1:0', ...args());
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a second emulator on the same --state directory is refused, naming the holder; temporaries are swept on start', async () => {
    const stateDir = join(dir, 'locked');
    const first = await startEmulator(['--state', stateDir]);
    try {
      const second = run('emulate', '--link', 'tcp-listen:127.0.0.1:0', '--state', stateDir);
      expect(second.status).toBe(1);
      expect(second.stderr).toBe(
        `smets1: state directory ${stateDir} is in use by another emulator (pid ${first.process.pid}, lock ${join(stateDir, 'emulator.lock')}); stop it or use another --state directory\n`,
      );
    } finally {
      first.process.kill('SIGKILL');
      await first.exited;
    }
    // kill -9 left the lock (its pid is dead now) and, say, two temporaries: the next start takes over and sweeps.
    writeFileSync(join(stateDir, 'emulator-state.json.99999.tmp'), '{"form');
    writeFileSync(join(stateDir, 'emulator-state.0.slots.99999.tmp'), '{');
    const third = await startEmulator(['--state', stateDir]);
    third.process.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(third.output).toContainEqual(
      expect.stringMatching(
        /^removed 2 temporary file\(s\) left by an interrupted write: emulator-state\.(json|0\.slots)\.99999\.tmp, emulator-state\.(json|0\.slots)\.99999\.tmp$/,
      ),
    );
    expect(readdirSync(stateDir).sort()).toEqual(['emulator-state.1.slots', 'emulator-state.json']);
  }, 60_000);

  it('trace refuses a file that is not a recording with exit 1, naming it, instead of a complaint per line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smets1-trace-'));
    const file = join(dir, 'response.xml');
    writeFileSync(file, '<sr:Response/>\n<sr:Body/>\n');
    const result = await inProcess('trace', file);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `smets1: ${file} is not a recording: its first line is not "# smets1-trace 1" (make one with smets1 emulate --record FILE)\n`,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('--state naming a file, not a directory, is refused with exit 1 saying so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smets1-statefile-'));
    const file = join(dir, 'state');
    writeFileSync(file, 'not a directory');
    const result = run('emulate', '--state', file, '--link', 'loopback');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `smets1: cannot use state directory ${file}: it (or a folder above it) is a file, not a directory\n`,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('a serial port that does not exist is a clear error with exit 1', () => {
    const result = run('emulate', '--link', 'serial:/dev/ttyDOESNOTEXIST@9600');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^smets1: serial:\/dev\/ttyDOESNOTEXIST@9600: .*\(ENOENT\)/m);
  });

  it('the serial settings of a link spec reach the port it opens (named with them), and wrong ones are bad usage', () => {
    const opened = run('emulate', '--link', 'serial:/dev/ttyDOESNOTEXIST@9600,7E2,rtscts');
    expect(opened.status).toBe(1);
    expect(opened.stderr).toMatch(/^smets1: serial:\/dev\/ttyDOESNOTEXIST@9600,7E2,rtscts: .*\(ENOENT\)/m);
    const refused = run('emulate', '--link', 'serial:/dev/ttyDOESNOTEXIST@9600,7E4');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(
      'bad link "serial:/dev/ttyDOESNOTEXIST@9600,7E4": stop bits 4 in "7E4": serialport takes 1, 1.5 or 2',
    );
  });

  it("emulate prints each joining device's install code: the RTDS one by default, or the one set", async () => {
    const child = await startEmulator(['--install-code', 'PPMID=A1B2C3D4E5F6']);
    child.process.kill('SIGTERM');
    await child.exited;
    expect(child.output.filter((line) => line.startsWith('device '))).toEqual([
      'device 00-DB-12-34-56-78-90-A0 ESME  itron set 0 install code 30313233343536373839414243444546',
      'device 00-DB-12-34-56-78-90-A1 GSME  itron set 0 install code 30313233343536373839414243444546',
      'device 00-DB-12-34-56-78-90-A2 CH    itron set 0',
      'device 00-DB-12-34-56-78-90-A3 PPMID itron set 0 install code a1b2c3d4e5f6',
    ]);
  });

  it('emulate on SIGTERM says its link closed, not that it waits for the link to come back', async () => {
    const child = await startPtyEmulator(['--sets', '1']);
    child.process.kill('SIGTERM');
    await child.exited;
    const after = child.output.slice(child.output.indexOf('SIGTERM: shutting down'));
    expect(after[0]).toBe('SIGTERM: shutting down');
    expect(after).toContain('link closed (local: closed)');
    expect(after.filter((line) => line.includes('waiting for it to come back'))).toEqual([]);
  });

  it('quirks lists every device quirk with its vendor and default', async () => {
    const result = await inProcess('quirks');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^91342 +elster CH: .*\(default: elster on, itron off\)$/m);
    expect(result.stdout).toMatch(/^91333 +itron GSME: /m);
    expect(result.stdout).toMatch(/^risk11 +itron ESME: /m);
    expect(result.stdout).toMatch(/^ +assumed: The day is the UTC calendar day of device time/m);
  });
});
