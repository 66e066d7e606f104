import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every script and benchmark run with tsx answers --help and refuses an unknown option before its work (minutes of
 * it, for most): a bench that ignored `--bogus` would start its whole run. The first words each prints when it does
 * start work are not on stdout, so an empty stdout says none began.
 */
const SCRIPTS: readonly [file: string, script: string][] = [
  ['bench/fleet.ts', 'bench:fleet'],
  ['bench/state.ts', 'bench:state'],
  ['bench/migration.ts', 'bench:migration'],
  ['bench/device-sets.ts', 'bench:devices'],
  ['bench/clock-vs-simulated.ts', 'bench:clock'],
  ['bench/codec-throughput.ts', 'codec-throughput'],
  ['scripts/fleet-calibration.ts', 'calibrate:fleet'],
  ['scripts/soak.ts', 'soak:floods'],
  ['scripts/kill-loop.ts', 'soak:kill'],
  ['scripts/golden-update.ts', 'golden:update'],
];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = (file: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });

describe.each(SCRIPTS)('%s', (file, script) => {
  it('prints its usage on --help and exits 0', () => {
    const result = run(file, '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: /);
    expect(result.stderr).toBe('');
  }, 20_000);

  it('refuses --bogus with exit 2, naming itself and the option, before any work', () => {
    const result = run(file, '--bogus');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(`${script}: unknown option '--bogus'`);
  }, 20_000);
});

describe('bench/device-sets.ts --case', () => {
  it('refuses to run without --expose-gc with exit 2 and one line saying so, before any set is made', () => {
    const result = run('bench/device-sets.ts', '--case', 'idle', '10');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(
      'bench:devices: --case needs node --expose-gc: node --expose-gc --import tsx bench/device-sets.ts --case …',
    );
  }, 20_000);
});
