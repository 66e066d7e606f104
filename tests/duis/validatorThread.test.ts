/**
 * The validator's long-lived xmllint thread: a thread that dies fails only the runs it held and the next run starts
 * a new one; closing fails what is in flight and leaves the validator usable; documents of concurrent callers that
 * share a libxml2 run each get their own verdict; an idle thread does not keep the process alive.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DuisValidator } from '../../harness/duis/validator';
import { XmllintWorker } from '../../harness/duis/xmllintWorker';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ack = readFileSync(new URL('../fixtures/duis/01-ack-I99-8.11.xml', import.meta.url), 'utf8');
/** The acknowledgement with a ResponseCode outside the schema's enumeration (line 6 of the fixture). */
const badCode = ack.replace('>I99<', '>I7<');
const scratch = mkdtempSync(join(tmpdir(), 'xmllint-thread-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('XmllintWorker', () => {
  it('fails the run a dying thread held, naming the exit, and starts a new thread for the next run', async () => {
    const withMarker = new XmllintWorker({
      schemas: [{ fileName: join(scratch, 'died'), contents: '' }],
      maxMemoryMiB: 32,
      threadFile: new URL('./dyingXmllintThread.cjs', import.meta.url),
    });
    await expect(withMarker.run([{ fileName: 'a.xml', contents: '<a/>' }])).rejects.toThrow(
      'the schema validator thread exited (code 7)',
    );
    await expect(
      withMarker.run([
        { fileName: 'a.xml', contents: '<a/>' },
        { fileName: 'b.xml', contents: '<b/>' },
      ]),
    ).resolves.toEqual({
      exitCode: 0,
      stderr: '2 validated by a later thread\n',
    });
    await withMarker.close();
  });
});

describe('DuisValidator on its shared thread', () => {
  it('gives each concurrent caller its own verdicts, in its own order, when their documents share runs', async () => {
    const one = DuisValidator.load();
    const other = DuisValidator.load();
    const [a, b, c] = await Promise.all([
      one.validate([
        { name: 'a1', xml: ack },
        { name: 'a2', xml: badCode },
      ]),
      other.validate([
        { name: 'b1', xml: badCode },
        { name: 'b2', xml: ack },
        { name: 'b3', xml: ack },
      ]),
      one.validateOne(badCode, 'c1'),
    ]);
    expect(a.map((r) => [r.name, r.valid])).toEqual([
      ['a1', true],
      ['a2', false],
    ]);
    expect(b.map((r) => [r.name, r.valid])).toEqual([
      ['b1', false],
      ['b2', true],
      ['b3', true],
    ]);
    expect([c.name, c.valid, c.problems[0].line]).toEqual(['c1', false, 6]);
    expect(b[0].problems[0].line).toBe(6);
    expect(b[0].problems[0].message).toContain("'I7' is not an element of the set");
  });

  it('fails what is in flight when closed, with a message saying so, and validates again afterwards', async () => {
    const validator = DuisValidator.load();
    const inFlight = validator.validateOne(ack, 'in flight');
    // the run is posted after a microtask (so a caller's documents share it): close once it is on the thread
    await Promise.resolve();
    await Promise.resolve();
    const failed = expect(inFlight).rejects.toThrow('the schema validator was closed while validating');
    await validator.close();
    await failed;
    expect(
      await validator.validate([
        { name: 'after', xml: ack },
        { name: 'after bad', xml: badCode },
      ]),
    ).toMatchObject([
      { name: 'after', valid: true },
      { name: 'after bad', valid: false },
    ]);
  });

  it('lets a process end on its own once validation is done (the idle thread is unref-ed)', () => {
    const script = [
      "import { DuisValidator } from './harness/duis/validator.ts';",
      "import { readFileSync } from 'node:fs';",
      "const xml = readFileSync('tests/fixtures/duis/01-ack-I99-8.11.xml', 'utf8');",
      "const result = await DuisValidator.load().validateOne(xml, 'ack');",
      'console.log(`validated ${result.valid}`);',
    ].join('\n');
    // a hung process is killed at the timeout and the status is then null, not 0
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 45_000,
    });
    expect(child.stderr).toBe('');
    expect([child.status, child.stdout]).toEqual([0, 'validated true\n']);
  });
});
