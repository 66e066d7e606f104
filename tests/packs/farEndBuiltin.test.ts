/**
 * Issue 18's "done means": every built-in pack against ONE `smets1 emulate --clock harness` started by hand (here by
 * the test, with no option but the link and the clock: Itron, on its SMSO), over TCP, scenario after scenario:
 * `smets1 run` pre-flights it and makes it each scenario's bench before the scenario (benchConfigure: vendor,
 * quirks, start, seed, slots), so every scenario passes as on the mock link, the link-fault pack's too: its cuts and
 * losses are made by the emulator on its side of the device line (the linkFault control), the harness's port closed
 * meanwhile as over a cut serial line (docs/bench.md "Link faults at a far end"). Against a far end not known to be
 * smets1 emulate (real hardware has no such control) that pack is refused before anything runs, each step named. The
 * packs and their scenario counts are written out here from the pack files, not asked of the code under test.
 */
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PACK_DIRS, packFiles } from '../../harness/run/packFiles';
import { startEmulator, type Child } from '../emulator/childEmulator';
import { smets1Printed } from '../support/cli';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Pack file → its name and how many scenarios it has. */
const PASSING: Record<string, [name: string, scenarios: number]> = {
  'packs/defects/61224.yaml': ['61224', 3],
  'packs/defects/91333.yaml': ['91333', 4],
  'packs/defects/91339-91340.yaml': ['91339-91340', 2],
  'packs/defects/91342-elster.yaml': ['91342-elster', 4],
  'packs/defects/91342-elster-window.yaml': ['91342-elster-window', 2],
  'packs/defects/91342-itron.yaml': ['91342-itron', 1],
  'packs/defects/alerts-81b8-8f3e.yaml': ['alerts-81b8-8f3e', 2],
  'packs/defects/migration-dumb.yaml': ['migration-dumb', 2],
  'packs/defects/prepayment-dumb.yaml': ['prepayment-dumb', 2],
  'packs/defects/risk11.yaml': ['risk11', 6],
  'packs/defects/risk9.yaml': ['risk9', 5],
  'packs/defects/split-supplier.yaml': ['split-supplier', 3],
  'packs/defects/srv4.10.yaml': ['srv4.10', 3],
  'packs/links/link-faults.yaml': ['link-faults', 3],
  'packs/migration/migration-elster-active.yaml': ['migration-elster-active', 8],
  'packs/migration/migration-elster-dormant.yaml': ['migration-elster-dormant', 8],
  'packs/migration/migration-itron-active.yaml': ['migration-itron-active', 8],
  'packs/migration/migration-itron-dormant.yaml': ['migration-itron-dormant', 8],
  'packs/rtds/rtds-elster.yaml': ['rtds-elster', 23],
  'packs/rtds/rtds-itron.yaml': ['rtds-itron', 23],
};
const LINK_FAULTS = 'packs/links/link-faults.yaml';

/** `smets1 run` in this process (tests/support/cli.ts); the emulator is the child process started by hand. */
const smets1Run = (...args: string[]) => smets1Printed('run', ...args);

describe('every built-in pack against one emulator started by hand, over TCP', () => {
  let child: Child;
  beforeAll(async () => {
    child = await startEmulator(['--clock', 'harness']);
  }, 60_000);
  afterAll(async () => {
    child.process.kill('SIGTERM');
    await child.exited;
  });
  const link = () => `tcp:127.0.0.1:${child.port}`;

  it('every built-in pack is listed here', () => {
    const files = packFiles([...BUILTIN_PACK_DIRS].map((dir) => `${ROOT}${dir}`)).map((file) => relative(ROOT, file));
    expect(Object.keys(PASSING).sort()).toEqual([...files].sort());
  });

  it('every scenario of every pack passes, one after the other, the link faults included (120 scenarios)', async () => {
    const run = await smets1Run(
      ...Object.keys(PASSING),
      '--link',
      link(),
      '--clock',
      'harness',
      '--reporter',
      'console',
    );
    expect(run.stderr).toBe('');
    for (const [name, scenarios] of Object.values(PASSING)) {
      // its row of the table: scenarios, passed, failed, errors, skipped
      expect(run.stdout).toMatch(
        new RegExp(`│ ${name.replace('.', '\\.')} +│ +${scenarios} │ +${scenarios} │ +0 │ +0 │ +0 │`),
      );
    }
    expect(run.stdout).toContain('PASSED: 120 scenarios, 120 passed, 0 failed, 0 errored, 0 skipped');
    expect(run.stdout).toContain(
      `far end: ${link()} is smets1 emulate, pre-flighted, made each scenario's bench before it`,
    );
    expect(run.status).toBe(0);
  }, 600_000);

  it("a pack of real devices' EUIs and install codes (packs/examples/real-devices.yaml) passes against the same emulator, made so", async () => {
    const run = await smets1Run(
      'packs/examples/real-devices.yaml',
      '--link',
      link(),
      '--clock',
      'harness',
      '--reporter',
      'console',
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('PASSED: 2 scenarios, 2 passed, 0 failed, 0 errored, 0 skipped');
    expect(run.status).toBe(0);
  }, 120_000);

  it('the link-fault pack is refused before anything runs (exit 2) when nothing says the far end is smets1 emulate (as real hardware, which has no linkFault control), each step named', async () => {
    // --no-preflight on the wall clock: the far end is not asked what it is, so it may be real hardware
    const run = await smets1Run(LINK_FAULTS, '--link', link(), '--no-preflight', '--reporter', 'console');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      /^smets1 run: a linkFault cuts or damages the device line, and nothing on this link can: .*real hardware has no such control/,
    );
    // the three linkFault steps: lines 30, 40 and 51, each at column 9
    expect(lines.slice(1)).toEqual([
      `${LINK_FAULTS}:30:9: link-faults › an SR sent during a 30 s cut is answered once the harness's port is back, not refused: linkFault on ${link()}`,
      `${LINK_FAULTS}:40:9: link-faults › an alert raised during a 90 s cut reaches the DCC user after the reconnection: linkFault on ${link()}`,
      `${LINK_FAULTS}:51:9: link-faults › SRs over a lossy line (20 % of writes lost, 10 % damaged) are answered through retransmissions: linkFault on ${link()}`,
    ]);
  });
});
