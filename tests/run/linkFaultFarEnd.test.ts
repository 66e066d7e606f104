/**
 * Issue 18, lab bench: a `linkFault` step without a prompt, in a pack whose own `bench.link` is not the mock line,
 * loads, and `smets1 run` decides after its pre-flight, as it does for a pack sent elsewhere by `--link`: against
 * smets1 emulate (which makes the fault on its side, the linkFault control) it runs; against a far end not known to
 * be one (--no-preflight on the wall clock: it may be real hardware) it is refused before anything runs, exit 2,
 * the step named at its place. The pack is packs/links/link-faults.yaml's first scenario, whose step is at line 30,
 * column 9 there; the copies below keep its lines, only the bench's link changed. The emulator is a child process,
 * started once; `smets1 run` runs in this process (tests/support/cli.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Child } from '../emulator/childEmulator';
import { smets1Printed } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'smets1-lf-far-'));
const FIRST = '30 s cut';
const SCENARIO = "link-faults › an SR sent during a 30 s cut is answered once the harness's port is back, not refused";

/** packs/links/link-faults.yaml with its bench on `link`. */
function linkFaultsOn(link: string, name: string): string {
  const text = readFileSync('packs/links/link-faults.yaml', 'utf8');
  if (!text.includes('  link: mock\n')) throw new Error('packs/links/link-faults.yaml no longer has "link: mock"');
  const file = join(dir, name);
  writeFileSync(file, text.replace('  link: mock\n', `  link: "${link}"\n`));
  return file;
}

describe('a linkFault without a prompt on a pack whose own link is not the mock line', () => {
  let child: Child;
  beforeAll(async () => {
    child = await startEmulator(['--clock', 'harness']);
  }, 60_000);
  afterAll(async () => {
    child.process.kill('SIGTERM');
    await child.exited;
    rmSync(dir, { recursive: true, force: true });
  });
  const link = () => `tcp:127.0.0.1:${child.port}`;

  it('bench.link tcp: to smets1 emulate: loads, is pre-flighted, and the emulator makes the cut (the scenario passes)', async () => {
    const pack = linkFaultsOn(link(), 'tcp.yaml');
    const run = await smets1Printed('run', pack, '-t', FIRST, '--clock', 'harness', '--reporter', 'console');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('PASSED: 1 scenarios, 1 passed, 0 failed, 0 errored, 0 skipped');
    expect(run.status).toBe(0);
  }, 120_000);

  it('bench.link serial: redirected by --link tcp: to smets1 emulate: loads and passes the same', async () => {
    const pack = linkFaultsOn('serial:/dev/smets1-no-such-port', 'serial.yaml');
    const run = await smets1Printed(
      'run',
      pack,
      '-t',
      FIRST,
      '--link',
      link(),
      '--clock',
      'harness',
      '--reporter',
      'console',
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('PASSED: 1 scenarios, 1 passed, 0 failed, 0 errored, 0 skipped');
    expect(run.status).toBe(0);
  }, 120_000);

  it('bench.link tcp: with nothing saying its far end is smets1 emulate: refused after loading, before anything runs (exit 2), the step named', async () => {
    const pack = linkFaultsOn(link(), 'unknown.yaml');
    const run = await smets1Printed('run', pack, '-t', FIRST, '--no-preflight', '--reporter', 'console');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      /^smets1 run: a linkFault cuts or damages the device line, and nothing on this link can: .*real hardware has no such control/,
    );
    // the pack as the run shows it: relative to its working directory (the repository's root)
    expect(lines.slice(1)).toEqual([`${relative(process.cwd(), pack)}:30:9: ${SCENARIO}: linkFault on ${link()}`]);
  });
});
