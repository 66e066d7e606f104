/**
 * Issue 18's "done means": the built-in packs against one `smets1 emulate --clock harness` started by hand (here by
 * the test), over TCP, scenario after scenario: `smets1 run` pre-flights it and resets it before each scenario, so
 * every scenario passes as on the mock link. Each pack gets the emulator its bench wants, written out here from the
 * pack files (not derived by the code under test). A pack whose scenarios want different benches cannot be one
 * emulator: those are listed with the reason, and the pre-flight refuses them (tests/packs/farEnd.test.ts).
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PACK_DIRS, packFiles } from '../../harness/run/packFiles';
import { startEmulator } from '../emulator/childEmulator';
import { smets1Child } from '../support/cli';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Pack → the `smets1 emulate` options of its bench, and how many scenarios it has. */
const ONE_BENCH: Record<string, { args: string[]; scenarios: number }> = {
  'packs/defects/61224.yaml': { args: ['--vendor', 'elster', '--migration-state', 'dcc'], scenarios: 3 },
  'packs/defects/91339-91340.yaml': { args: ['--vendor', 'elster', '--migration-state', 'dcc'], scenarios: 2 },
  'packs/defects/91342-elster.yaml': { args: ['--vendor', 'elster', '--migration-state', 'dcc'], scenarios: 4 },
  'packs/defects/91342-elster-window.yaml': { args: ['--vendor', 'elster', '--migration-state', 'dcc'], scenarios: 2 },
  'packs/defects/91342-itron.yaml': { args: ['--vendor', 'itron', '--migration-state', 'dcc'], scenarios: 1 },
  'packs/defects/alerts-81b8-8f3e.yaml': { args: ['--vendor', 'itron', '--migration-state', 'dcc'], scenarios: 2 },
  // each scenario migrates: the devices start on their SMSO
  'packs/defects/migration-dumb.yaml': { args: ['--vendor', 'itron', '--migration-state', 'smso'], scenarios: 2 },
  // seed 3: its test PKI is smso-3; the devices start on their SMSO (each scenario migrates)
  'packs/defects/split-supplier.yaml': { args: ['--vendor', 'elster', '--seed', '3', '--migration-state', 'smso'], scenarios: 3 },
  'packs/defects/srv4.10.yaml': { args: ['--vendor', 'itron', '--migration-state', 'dcc'], scenarios: 3 },
  'packs/rtds/rtds-elster.yaml': { args: ['--vendor', 'elster', '--migration-state', 'dcc'], scenarios: 23 },
  'packs/rtds/rtds-itron.yaml': { args: ['--vendor', 'itron', '--migration-state', 'dcc'], scenarios: 23 },
};

/** Packs no one emulator can serve, and why (docs/bench.md "What one emulator cannot be"). */
const NOT_ONE_BENCH: Record<string, string> = {
  'packs/defects/91333.yaml': 'Itron and Elster scenarios, and the 91333 quirk on and off',
  'packs/defects/prepayment-dumb.yaml': 'a scenario in DCC service and one that migrates: two starting migration states',
  'packs/defects/risk11.yaml': 'Itron and Elster scenarios, and the risk11 quirk on and off',
  'packs/defects/risk9.yaml': 'starting slots (bench.slots), which only in-process devices take',
  'packs/links/link-faults.yaml': 'linkFault stimuli, which only the mock line can make',
  'packs/migration/migration-elster-active.yaml': 'two scenarios with starting slots',
  'packs/migration/migration-elster-dormant.yaml': 'two scenarios with starting slots',
  'packs/migration/migration-itron-active.yaml': 'two scenarios with starting slots',
  'packs/migration/migration-itron-dormant.yaml': 'two scenarios with starting slots',
};

const smets1Run = (...args: string[]) => smets1Child('run', ...args);

describe('built-in packs against one emulator started by hand, over TCP', () => {
  it('every built-in pack is listed here, as one bench or not', () => {
    const files = packFiles([...BUILTIN_PACK_DIRS].map((dir) => `${ROOT}${dir}`)).map((file) => relative(ROOT, file));
    expect([...Object.keys(ONE_BENCH), ...Object.keys(NOT_ONE_BENCH)].sort()).toEqual([...files].sort());
  });

  it.each(Object.entries(ONE_BENCH))('%s: every scenario passes, one after the other', async (pack, { args, scenarios }) => {
    const child = await startEmulator([...args, '--clock', 'harness']);
    try {
      const run = await smets1Run(pack, '--link', `tcp:127.0.0.1:${child.port}`, '--clock', 'harness', '--reporter', 'console');
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(`PASSED: ${scenarios} scenarios, ${scenarios} passed, 0 failed, 0 errored, 0 skipped`);
      expect(run.code).toBe(0);
    } finally {
      child.process.kill('SIGTERM');
      await child.exited;
    }
  }, 300_000);
});
