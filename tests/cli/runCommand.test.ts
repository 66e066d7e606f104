// `smets1 run` as a test engineer drives it: exit codes for bad input checked before anything runs, the scenario
// filter, --seed, which reporters write which files, a junit.xml valid against the strict consumers' schemas, and
// Ctrl-C leaving reports of what finished.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { startEmulator } from '../emulator/childEmulator';
import { smets1Printed as inProcess } from '../support/cli';
import { SMETS1_BIN } from '../support/smets1Bin';

const PACK = 'packs/defects/91342-elster.yaml';
const run = (...args: string[]) =>
  spawnSync(process.execPath, [SMETS1_BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
const dir = mkdtempSync(join(tmpdir(), 'smets1-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schema = (name: string) => readFileSync(new URL(`../fixtures/junit/${name}`, import.meta.url), 'utf8');
async function schemaErrors(xml: string, xsd: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [{ fileName: xsd, contents: schema(xsd) }],
  });
  return result.errors.map((e) => e.rawMessage);
}

const testcases = (xml: string) =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['testcase', 'property'].includes(name),
  }).parse(xml).testsuite;

describe('smets1 run: bad input is exit 2 with the reason, before anything runs', () => {
  it.each([
    ['a pack file that does not exist', ['run', 'missing.yaml'], /^missing\.yaml: no such pack file or directory\n$/],
    [
      'a file that is not a pack',
      ['run', 'README.md'],
      /^README\.md:1:1: not a pack file: its name does not end in \.yaml or \.yml; expected a pack, a YAML file \(docs\/packs\.md\)\n$/,
    ],
    [
      '--clock harness with no --link, on a pack whose link is mock',
      ['run', PACK, '--clock', 'harness'],
      /^smets1 run: --clock harness is for a serial: or tcp: link to `smets1 emulate --clock harness`, and without --link each pack's own link is used: packs\/defects\/91342-elster\.yaml has link mock; give --link tcp:HOST:PORT\n$/,
    ],
    [
      'an --out under a file',
      ['run', PACK, '--out', '/dev/null/x'],
      /^smets1 run: --out: cannot write reports to \/dev\/null\/x: it \(or a folder above it\) is a file, not a directory\n$/,
    ],
    [
      '-t matching no scenario',
      ['run', PACK, '-t', 'no such scenario'],
      /^smets1 run: no scenario name matches -t \/no such scenario\/\n$/,
    ],
    [
      '-t that is not a regular expression',
      ['run', PACK, '-t', '('],
      /argument '\(' is invalid\. "\(" is not a regular expression/,
    ],
    [
      '--seed that is not a number',
      ['run', PACK, '--seed', 'x'],
      /option '--seed <n>' argument 'x' is invalid\. "x" is not a whole number from 0 to 4294967295/,
    ],
  ])('%s', async (_what, args, message) => {
    const result = await inProcess(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe(''); // nothing ran
  });

  // In a process of its own with a time limit: Node's recursive mkdir spins for ever under /proc, and a regression
  // must fail here, not hang the suite.
  it.runIf(existsSync('/proc/self'))(
    'an --out under /proc, which refuses new folders: exit 2 at once, naming it',
    () => {
      const result = run('run', PACK, '--out', '/proc/smets1-no-such/reports');
      expect(result.signal).toBeNull();
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        "smets1 run: --out: cannot write reports to /proc/smets1-no-such/reports: ENOENT: no such file or directory, mkdir '/proc/smets1-no-such'\n",
      );
      expect(result.stdout).toBe('');
    },
  );
});

describe('smets1 run: options', () => {
  it('--version prints the package version', () => {
    const result = run('--version');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('0.1.0\n');
  });

  it('--help shows what a default means, not [] or {}', async () => {
    expect((await inProcess('run', '--help')).stdout).toMatch(
      /--reporter <name> [^]*\(default:\s+console,\s+junit,\s+html\)/,
    );
    for (const command of ['run', 'emulate', 'send']) {
      const help = (await inProcess(command, '--help')).stdout;
      expect(help).not.toContain('(default: [])');
      expect(help).not.toContain('(default: {})');
    }
  });

  it('-t runs the matching scenarios, --seed reseeds them, --reporter junit writes junit.xml alone, valid against both strict schemas', async () => {
    const out = join(dir, 'junit-only');
    const result = run(
      'run',
      PACK,
      '-t',
      'refused by the CH',
      '--seed',
      '7',
      '--reporter',
      'console',
      '--reporter',
      'junit',
      '--out',
      out,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(out)).toEqual(['junit.xml']);
    // Off a terminal: the count first, then [k/N] on each scenario's line.
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('running 2 scenarios from 1 pack');
    expect(lines[1]).toMatch(
      /^\[1\/2\] ✓ 91342-elster › fix off, 256 s is refused by the CH and the PPMID never joins {2}\(virtual /,
    );
    expect(lines[2]).toMatch(
      /^\[2\/2\] ✓ 91342-elster › fix off, 300 s is refused by the CH and the PPMID never joins {2}\(virtual /,
    );
    expect(result.stdout).toContain('PASSED: 2 scenarios, 2 passed, 0 failed, 0 errored, 0 skipped (seed 7)\n');
    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    const suite = testcases(xml);
    expect(suite.testcase.map((c: { name: string }) => c.name)).toEqual([
      'fix off, 256 s is refused by the CH and the PPMID never joins',
      'fix off, 300 s is refused by the CH and the PPMID never joins',
    ]);
    expect(suite.properties.property[0]).toEqual({ name: 'seed', value: '7' });
    expect(await schemaErrors(xml, 'junit-10.xsd')).toEqual([]);
    expect(await schemaErrors(xml, 'surefire-test-report-3.0.xsd')).toEqual([]);
  }, 60_000);

  it('--reporter html writes report.html and duis/, no junit.xml', () => {
    const out = join(dir, 'html-only');
    const result = run('run', PACK, '-t', '^fix on', '--reporter', 'html', '--out', out);
    expect(result.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['duis', 'report.html']);
  }, 30_000);
});

describe('smets1 run: Ctrl-C', () => {
  it('after the first scenario: exit 130, and the reports hold the finished scenario and say the run was interrupted', async ({
    onTestFinished,
  }) => {
    // An emulator on the wall clock, so the second scenario's 10-minute wait is still running when SIGINT comes; its
    // sets start in DCC service, as the pack's do, or the pre-flight refuses the run.
    const emulator = await startEmulator(['--migration-state', 'dcc']);
    onTestFinished(() => {
      emulator.process.kill('SIGTERM');
    });
    const pack = join(dir, 'interrupt.yaml');
    writeFileSync(
      pack,
      `name: interrupt
bench: { vendor: itron, link: "tcp:127.0.0.1:${emulator.port}" }
scenarios:
  - name: quick
    steps: [ { wait: 10ms } ]
  - name: long
    steps: [ { wait: 10min } ]
  - name: never reached
    steps: [ { wait: 10ms } ]
`,
    );
    const out = join(dir, 'interrupted');
    const child = spawn(process.execPath, [SMETS1_BIN, 'run', pack, '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // A run that ignored SIGINT would wait out its 10 minutes: it goes with the test, passed, failed or timed out.
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('[1/3] ')) resolve();
      });
      void exited.then(() => reject(new Error(`run exited before the first scenario finished:\n${stdout}\n${stderr}`)));
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toMatch(/^\[1\/3\] ✓ interrupt › quick /m);
    expect(stdout).not.toContain('[2/3]');
    expect(stdout).toContain(
      'INTERRUPTED: 1 scenarios, 1 passed, 0 failed, 0 errored, 0 skipped (seed 1) — interrupted by SIGINT after 1 of 3 scenarios\n',
    );
    expect(stdout).toContain(
      `reports of the 1 scenario(s) that finished: ${join(out, 'junit.xml')}, ${join(out, 'report.html')}`,
    );
    expect(stderr).toContain('smets1 run: interrupted by SIGINT after 1 of 3 scenarios\n');
    const suite = testcases(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(suite.testcase.map((c: { name: string }) => c.name)).toEqual(['quick']);
    expect(suite.properties.property).toContainEqual({
      name: 'interrupted',
      value: 'interrupted by SIGINT after 1 of 3 scenarios',
    });
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  }, 30_000);
});
