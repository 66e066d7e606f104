/**
 * The exit codes of `smets1 run`: 0 all passed, 1 a scenario failed, 2 bad input; and `smets1 packs`. (Where a run's
 * DUIS documents go, duis/ valid and the responses the 91339/91340 defect leaves schema-invalid in duis-invalid/, is
 * checked on the built-in packs' own runs: tests/packs/builtinSuite.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { smets1Printed } from '../support/cli';
import { SMETS1_BIN } from '../support/smets1Bin';

const dir = mkdtempSync(join(tmpdir(), 'smets1-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('smets1 run exit codes', () => {
  // a failing run as a user starts it, a process; the others in this process (tests/support/cli.ts)
  const runAsProcess = (...args: string[]) =>
    spawnSync(process.execPath, [SMETS1_BIN, 'run', ...args], { encoding: 'utf8', timeout: 60_000 });
  const run = (...args: string[]) => smets1Printed('run', ...args);

  it("2 and the pack's file:line:column problem for a broken pack, no stack", async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: p\nbench: { vendor: itron }\nscenarios:\n  - name: s\n    steps:\n      - sleep: 1s\n');
    const result = await run(bad, '--reporter', 'console');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `${bad}:6:9: scenarios[0].steps[0].sleep: unknown step kind "sleep"; expected one of sr, stimulus, wait, migrate, expect\n`,
    );
  });

  it('1 when a scenario fails, 0 when all pass', async () => {
    const failing = join(dir, 'failing.yaml');
    writeFileSync(
      failing,
      'name: p\nbench: { vendor: elster, fixes: { response-code-always: true } }\nscenarios:\n  - name: s\n    steps:\n      - sr: { template: ECS45_7.4_SUCCESS }\n      - expect: { response: E19 }\n',
    );
    const failed = runAsProcess(failing, '--reporter', 'console');
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain('failing.yaml:7:19');
    writeFileSync(failing, readFileSync(failing, 'utf8').replace('E19', 'I0'));
    expect((await run(failing, '--reporter', 'console')).status).toBe(0);
  });
});

describe('smets1 packs', () => {
  it('lists each built-in pack with its scenario count and description', async () => {
    const result = await smets1Printed('packs');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'packs/defects/91333.yaml  (4 scenarios)\n  91333: Itron GSME applies one 6.7 a day (quirk on, off, a day later; Elster unaffected).\n',
    );
    // 21 RTDS SR scenarios, and one each for SRV 1.6 (payment mode) and 2.2 (top up) since they reach the ESME
    expect(result.stdout).toContain('packs/rtds/rtds-elster.yaml  (23 scenarios)\n');
    expect(result.stdout).toContain('packs/links/link-faults.yaml  (3 scenarios)\n');
  });
});
