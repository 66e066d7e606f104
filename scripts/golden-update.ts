/**
 * Makes tests/golden/builtin-run.json again from a run of `npm start`'s packs (`npm run golden:update`): the command
 * of package.json's "start", with `--reporter json` added, so the summary is of what `npm start` runs, read from
 * the run as data (run.json) that run writes.
 *
 * Only for a deliberate change of behaviour, explained in the commit that changes the golden file (README "Tests"):
 * a change meant to be faster only must leave it as it is. Refused (exit 1) when a scenario does not pass, since
 * the golden summary pins a run where every built-in scenario passes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseRunJson } from '../harness/reports/jsonReport';
import { BUILTIN_PACK_DIRS } from '../harness/run/packFiles';
import { GOLDEN_FILE, goldenRun, goldenText } from '../tests/golden/runSummary';
import { scriptArgs } from './scriptArgs';

// No options: it runs what npm start runs. A word given (`--help` included) must not rewrite the golden file.
scriptArgs<Record<never, never>>({
  script: 'golden:update',
  summary: "makes tests/golden/builtin-run.json again from a run of npm start's packs (a deliberate change only)",
  options: {},
});

const root = join(import.meta.dirname, '..');

/** The `smets1 run` arguments of package.json's "start". */
function startArgs(): string[] {
  const start =
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: { start?: string } }).scripts?.start ??
    '';
  const prefix = 'node bin/smets1.mjs run ';
  if (!start.startsWith(prefix))
    throw new Error(
      `package.json's "start" is "${start}", not "${prefix}…": this script runs what npm start runs and reads no other form`,
    );
  const args = start.slice(prefix.length).split(/\s+/);
  const firstOption = args.findIndex((arg) => arg.startsWith('--'));
  const packs = firstOption === -1 ? args : args.slice(0, firstOption);
  if (packs.join(' ') !== BUILTIN_PACK_DIRS.join(' ')) {
    throw new Error(
      `npm start runs ${packs.join(' ')}, the built-in pack tests ${BUILTIN_PACK_DIRS.join(' ')} (harness/run/packFiles.ts): make them the same first`,
    );
  }
  return args;
}

function update(out: string): string {
  const args = startArgs();
  const run = spawnSync(
    process.execPath,
    [join(root, 'bin/smets1.mjs'), 'run', ...args, '--reporter', 'console', '--reporter', 'json', '--out', out],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  // 1 is a run with a failed scenario: its run.json says which
  if (run.status !== 0 && run.status !== 1)
    throw new Error(
      `smets1 run ${args.join(' ')} ended ${run.status === null ? `by ${run.signal}` : `with exit ${run.status}`}`,
    );
  const file = join(out, 'run.json');
  const result = parseRunJson(readFileSync(file, 'utf8'), file);
  const notPassed = result.scenarios.filter((s) => s.verdict !== 'passed');
  if (notPassed.length > 0)
    throw new Error(
      `${notPassed.length} scenario(s) did not pass, golden file left as it was: ${notPassed.map((s) => `${s.id} (${s.verdict})`).join(', ')}`,
    );
  writeFileSync(GOLDEN_FILE, goldenText(goldenRun(result.scenarios, `smets1 run ${args.join(' ')} --reporter json`)));
  const documents = result.scenarios.reduce((n, s) => n + s.duis.length, 0);
  return `${relative(root, GOLDEN_FILE)}: ${result.scenarios.length} scenarios, ${documents} DUIS documents`;
}

const out = mkdtempSync(join(tmpdir(), 'smets1-golden-'));
try {
  process.stdout.write(`golden-update: ${update(out)}\n`);
} catch (error) {
  process.stderr.write(`golden-update: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
