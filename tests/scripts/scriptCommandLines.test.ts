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

  it('lists --sessions-at-once in its usage, for the host case', () => {
    const result = run('bench/device-sets.ts', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ {2}--sessions-at-once <k> +with --case host: sessions run at once/m);
  }, 20_000);

  it('takes --sessions-at-once with --case host (on to the --expose-gc check)', () => {
    const result = run('bench/device-sets.ts', '--case', 'host', '10', '--sessions-at-once', '12');
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^bench:devices: --case needs node --expose-gc/);
  }, 20_000);

  it.each([
    ['0', `option '--sessions-at-once <k>' argument '0' is invalid. "0" is not a whole number from 1 to 1000`],
    ['1001', `option '--sessions-at-once <k>' argument '1001' is invalid. "1001" is not a whole number from 1 to 1000`],
    [
      'twelve',
      `option '--sessions-at-once <k>' argument 'twelve' is invalid. "twelve" is not a whole number from 1 to 1000`,
    ],
  ])(
    'refuses --sessions-at-once %s with exit 2 and one line naming the option and the value',
    (value, message) => {
      const result = run('bench/device-sets.ts', '--case', 'host', '10', '--sessions-at-once', value);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')[0]).toBe(`bench:devices: ${message}`);
    },
    20_000,
  );

  it('refuses --sessions-at-once without --case host with exit 2, before any work', () => {
    for (const args of [
      ['--sessions-at-once', '12'],
      ['--case', 'commands', '10', '--sessions-at-once', '12'],
    ]) {
      const result = run('bench/device-sets.ts', ...args);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')[0]).toBe(
        'bench:devices: --sessions-at-once goes with --case host only (a run without --case sweeps the levels itself)',
      );
    }
  }, 20_000);
});
