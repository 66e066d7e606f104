/**
 * `smets1 diff` (issue 18 item 7): the committed fixtures (tests/fixtures/runs/, a bench run and an emulator run
 * written by hand) give exactly the differences worked out by hand below; bad files are refused with exit 2 naming
 * the file and the field; the page escapes what the runs carry.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../harness/cli/main';

const BENCH = 'tests/fixtures/runs/bench.json';
const EMULATOR = 'tests/fixtures/runs/emulator.json';
const CH = '00-DB-12-34-56-78-90-A2';
const dir = mkdtempSync(join(tmpdir(), 'smets1-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function diff(...args: string[]): Promise<{ code: number; lines: string[]; stderr: string }> {
  const lines: string[] = [];
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    stderr += String(text);
    return true;
  });
  try {
    const code = await main(['diff', ...args], (line) => lines.push(line));
    return { code, lines, stderr };
  } finally {
    spy.mockRestore();
  }
}

describe('smets1 diff of the committed fixtures', () => {
  it('a run against itself: nothing printed, exit 0', async () => {
    expect(await diff(BENCH, BENCH)).toEqual({ code: 0, lines: [], stderr: '' });
  });

  it('bench against emulator: each difference, worked out by hand, and exit 1', async () => {
    const result = await diff(BENCH, EMULATOR);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      '91342-elster#300 s refused',
      '  verdict:',
      '    A passed',
      '    B failed',
      '  expectation expect #4 alert (alert 0x8F48 from CHF within 1 s):',
      '    A passed: 1 such alert(s), the first 0.4 s after the step',
      '    B failed: no such alert',
      '  alerts:',
      `    A 0x8F48 from ${CH}`,
      `    B 0x8F49 from ${CH}`,
      '  device statuses:',
      '    A hanLogAdd → A2 invalidParameter',
      '    B hanLogAdd → A2 ok',
      // 120 s after its scenario's start on the bench, 123.5 s on the emulator: more than the 1 s tolerance
      '91342-elster#255 s joins',
      `  alert time of 0x8F49 from ${CH}:`,
      '    A +2m 00s',
      '    B +2m 03.5s',
      '91342-elster#<new> & "quoted"',
      '  scenario:',
      '    A not in this run',
      '    B ran: passed',
    ]);
    expect(result.stderr).toBe('3 scenario(s) differ (2 in both runs)\n');
  });

  it('--tolerance 4000 lets the alert 3.5 s late be the same', async () => {
    const result = await diff(BENCH, EMULATOR, '--tolerance', '4000');
    expect(result.lines.filter((line) => !line.startsWith(' '))).toEqual(['91342-elster#300 s refused', '91342-elster#<new> & "quoted"']);
  });

  it('--html writes the differences as a page, every text from the runs escaped', async () => {
    const page = join(dir, 'diff.html');
    expect((await diff(BENCH, EMULATOR, '--html', page)).code).toBe(1);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('<h2>91342-elster#&lt;new&gt; &amp; &quot;quoted&quot;</h2>');
    expect(html).not.toContain('<new>');
    expect(html).toContain(`<tr><td>device statuses</td><td class="a">hanLogAdd → A2 invalidParameter</td><td class="b">hanLogAdd → A2 ok</td></tr>`);
    expect(html).toContain('<p>3 scenario(s) differ; 2 in both runs.</p>');
    expect(html).not.toMatch(/<script/i);
  });

  it('a page of a run against itself says there is no difference', async () => {
    const page = join(dir, 'same.html');
    expect((await diff(EMULATOR, EMULATOR, '--html', page)).code).toBe(0);
    expect(readFileSync(page, 'utf8')).toContain('No differences: 3 scenario(s) the same.');
  });
});

describe('smets1 diff refuses what is not a run, exit 2', () => {
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const fixture = JSON.parse(readFileSync(BENCH, 'utf8'));

  it.each([
    ['missing', () => join(dir, 'nope.json'), /^smets1 diff: cannot read .*nope\.json: ENOENT$/m],
    ['a directory', () => dir, /is a directory, not a run\.json$/m],
    ['not JSON', () => file('text.json', 'hello'), /^smets1 diff: .*text\.json is not JSON: /m],
    ['another JSON document', () => file('other.json', '{"scenarios": []}'), /other\.json is not a run \(no "format": "smets1-run"; make one with smets1 run --reporter json\)$/m],
    ['another version', () => file('v2.json', JSON.stringify({ ...fixture, version: 2 })), /v2\.json is a run of version 2; this smets1 reads version 1$/m],
    [
      'a scenario without a verdict',
      () => file('noverdict.json', JSON.stringify({ ...fixture, scenarios: [{ ...fixture.scenarios[0], verdict: undefined }] })),
      /noverdict\.json: \/scenarios\/0 must have required property 'verdict'$/m,
    ],
    [
      'an alert whose time is text',
      () => file('badtime.json', JSON.stringify({ ...fixture, scenarios: [{ ...fixture.scenarios[0], timeline: [{ at: 'soon', lane: 'alerts', label: 'x' }] }] })),
      /badtime\.json: \/scenarios\/0\/timeline\/0\/at must be number$/m,
    ],
  ])('%s', async (_what, path, message) => {
    const result = await diff(path(), BENCH);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.lines).toEqual([]);
  });
});
