/**
 * Done means of issue 18 item 7: `smets1 diff` of a run against itself is empty (exit 0); against the same pack run
 * with the 91342 quirk flipped (`smets1 run --quirk 91342=off`, over mock) it names exactly the 91342 scenarios that
 * differ, and how. Worked out from the defect, not from the code: with the quirk off the Elster CH accepts a join
 * period over 255 s, so the two "fix off, 256/300 s is refused" scenarios fail (the 8.11 succeeds, the PPMID
 * joins: 0x8F49 instead of 0x8F48) and the 255 s and clamped scenarios, where the CH never sees more than 255 s, do not
 * change.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smets1 } from '../support/cli';

const PACK = 'packs/defects/91342-elster.yaml';
const dir = mkdtempSync(join(tmpdir(), 'smets1-flip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const defaultRun = join(dir, 'default', 'run.json');
const flippedRun = join(dir, 'flipped', 'run.json');

beforeAll(async () => {
  expect((await smets1('run', PACK, '--reporter', 'json', '--out', join(dir, 'default'))).code).toBe(0);
  // the pack's refusal scenarios fail with the defect gone: exit 1
  expect((await smets1('run', PACK, '--reporter', 'json', '--quirk', '91342=off', '--out', join(dir, 'flipped'))).code).toBe(1);
}, 120_000);

describe('smets1 diff of the 91342 pack with its quirk flipped', () => {
  it('a run against itself: empty, exit 0', async () => {
    expect(await smets1('diff', defaultRun, defaultRun)).toEqual({ code: 0, lines: [], stderr: '', stdout: '' });
  });

  it('names exactly the two refusal scenarios, and how each differs', async () => {
    const { code, lines } = await smets1('diff', defaultRun, flippedRun);
    expect(code).toBe(1);
    const scenarios = lines.filter((line) => !line.startsWith(' '));
    expect(scenarios).toEqual([
      '91342-elster#fix off, 256 s is refused by the CH and the PPMID never joins',
      '91342-elster#fix off, 300 s is refused by the CH and the PPMID never joins',
    ]);
    for (const scenario of scenarios) {
      const block = lines.slice(lines.indexOf(scenario) + 1).join('\n').split('\n91342-elster#')[0]!;
      expect(block).toContain('  verdict:\n    A passed\n    B failed');
      // the CH refused the join period with the quirk, took it without
      expect(block).toContain('  device statuses:\n    A hanLogAdd → A2 invalidParameter\n    B hanLogAdd → A2 ok');
      expect(block).toContain('  expectation expect #4 messageSuccess (MessageSuccess false):\n    A passed: MessageSuccess false (the device refused: hanLogAdd answered invalidParameter (step 1, response code 1))\n    B failed: MessageSuccess true');
      const [a, b] = /  alerts:\n    A (.*)\n    B (.*)/.exec(block)!.slice(1);
      // the refusal alert after the 8.11 with the quirk; the PPMID's join alert without it
      expect(a).toContain('0x8F48 from 00-DB-12-34-56-78-90-A2');
      expect(a).not.toContain('0x8F49');
      expect(b).toContain('0x8F49 from 00-DB-12-34-56-78-90-A2');
    }
  });
});
