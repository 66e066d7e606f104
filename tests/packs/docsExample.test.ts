/** The complete pack shown in docs/packs.md loads, so the page stays true to the format. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPack, parsePack } from '../../harness/packs';
import { runScenario } from '../../harness/run/executor';

describe('docs/packs.md', () => {
  it('its complete example pack loads: one scenario of five steps', () => {
    const blocks = [...readFileSync('docs/packs.md', 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const full = blocks.filter((block) => block.startsWith('# yaml-language-server') && block.includes('scenarios:'));
    expect(full).toHaveLength(1);
    const pack = parsePack(full[0]!, 'docs/packs.md');
    expect(pack.scenarios.map((s) => [s.name, s.steps.map((step) => step.kind)])).toEqual([
      ['fix off, 300 s is refused', ['stimulus', 'wait', 'sr', 'expect', 'expect']],
    ]);
  });
});

describe("the README's example pack", () => {
  it('names a $schema that resolves from where the pack sits (the repository root) and loads', () => {
    const block = [...readFileSync('README.md', 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .find((b) => b.includes('scenarios:'))!;
    const schema = /^# yaml-language-server: \$schema=(\S+)$/m.exec(block)?.[1];
    expect(schema).toBe('packs/pack.schema.json');
    expect(existsSync(schema!)).toBe(true);
    expect(parsePack(block, 'my-91342.yaml').scenarios).toHaveLength(1);
  });
});

describe('packs/examples/report-example.yaml (the README screenshot)', () => {
  it('fails in its first scenario at exactly the two expectations 91342 breaks, and passes in its second', async () => {
    const pack = loadPack('packs/examples/report-example.yaml');
    const [fixOff, fixOn] = await Promise.all(pack.scenarios.map((scenario) => runScenario(pack, scenario)));
    expect(fixOff!.verdict).toBe('failed');
    expect(fixOff!.failures.map((f) => [f.step, f.line, f.column, f.message])).toEqual([
      [
        'expect #4 messageSuccess',
        20,
        33,
        'expected MessageSuccess true; got MessageSuccess false (the device refused: hanLogAdd answered invalidParameter (step 1, response code 1))',
      ],
      [
        'expect #5 alert',
        21,
        19,
        // the S1SP's N24 for the 8.11, then the CH's join failures as the PPMID asks again every 60 s
        'expected alert 0x8F49 "Device joining succeeded" from CHF within 300 s; got no such alert; in the window came N24 "Update HAN Device Log Result" from 90-B3-D5-1F-30-00-00-02 at +0 s; ' +
          '0x8F48 "Device joining failed" from 00-DB-12-34-56-78-90-A2 6 times, +0.007 s to +269.987 s',
      ],
    ]);
    expect(fixOn!.verdict).toBe('passed');
  }, 60_000);
});

describe('the device frames of an sr step on the report timeline', () => {
  it('the 8.11 of 91342 shows the one hanLogAdd the S1SP sent to the CH (…-A2) and the CH refusing it', async () => {
    const pack = loadPack('packs/examples/report-example.yaml');
    const result = await runScenario(pack, pack.scenarios[0]!);
    const frames = result.timeline.filter((event) => event.lane === 'frames');
    // the 8.11 goes out 90 s after the start (after the PPMID's power-on and the wait); virtual time is 2026-01-01
    expect(
      frames.map((f) => [
        f.label,
        f.detail,
        f.at >= Date.UTC(2026, 0, 1, 0, 1, 30) && f.at < Date.UTC(2026, 0, 1, 0, 1, 31),
      ]),
    ).toEqual([['hanLogAdd → A2', 'invalidParameter', true]]);
  }, 60_000);
});
