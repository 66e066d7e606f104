/**
 * Audit of harness/fleet/pretenuring.ts (round ten): the flag the pool sets must be one this Node's V8 knows. V8
 * refuses an unknown flag only with a line on stderr ("Error: unrecognized flag") and goes on: a misspelt flag, or a
 * Node release that dropped it, would lose the fleet's GC gain silently and add that line to every run's stderr.
 * tests/fleet/pretenuring.test.ts checks the pool calls it (with V8's call stubbed); this runs it for real.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');

describe('the pretenuring flag is one V8 knows', () => {
  it('V8 lists --allocation-site-pretenuring, on by default (what the pool turns off)', () => {
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8', timeout: 20_000 });
    expect(options.status).toBe(0);
    expect(options.stdout).toMatch(/^\s*--allocation-site-pretenuring \(/m);
    expect(options.stdout).toMatch(/default: --allocation-site-pretenuring\b/);
  });

  it('withoutPretenuring() in a process of its own: V8 takes the flag without a word on stderr', () => {
    const script = "import(process.argv[1]).then((m) => { m.withoutPretenuring(); process.stdout.write('set'); })";
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', script, join(ROOT, 'harness/fleet/pretenuring.ts')],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('set');
    expect(result.status).toBe(0);
  });
});
