/**
 * `smets1 alerts [filter]` (issue 17 item 11): every alert code the device machines raise (their own constants,
 * not the vocabulary's) and the S1SP's N24 are listed with a description and when they fire; a filter narrows it;
 * a filter matching nothing exits 1 with a message, no stack trace.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Alert } from '../../devices/common/alertCodes';
import { CREDENTIAL_ALERTS } from '../../devices/credentials/alerts';
import { EsmeAlert } from '../../devices/esme/esmeProfile';
import { main } from '../../harness/cli/main';
import { SMETS1_BIN } from '../support/smets1Bin';

async function alerts(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(['alerts', ...args], (line) => lines.push(line));
  return { code, lines };
}

describe('smets1 alerts', () => {
  it('lists every code the devices raise and the S1SP N24, each with a description, who raises it and when', async () => {
    const { code, lines } = await alerts();
    expect(code).toBe(0);
    const listed = lines.filter((line) => !line.startsWith(' ')).map((line) => line.split(' ')[0]);
    const raised = [...Object.values(Alert), ...Object.values(EsmeAlert), ...Object.values(CREDENTIAL_ALERTS)].map(
      (c) => `0x${c.toString(16).toUpperCase()}`,
    );
    for (const c of [...raised, 'N24']) expect(listed).toContain(c);
    expect(new Set(listed).size).toBe(listed.length);
    // three lines an entry: the code and its description, who raises it, when
    expect(lines).toHaveLength(listed.length * 3);
    for (let i = 0; i < lines.length; i += 3) {
      expect(lines[i]).toMatch(/^(0x[0-9A-F]{4}|N\d+) +\S/);
      expect(lines[i + 1]).toMatch(/^ {8}raised by: \S/);
      expect(lines[i + 2]).toMatch(/^ {8}when: \S/);
    }
  });

  it('narrows to the codes a filter finds, in the code or the text', async () => {
    const joined = await alerts('0x8f49');
    expect(joined.lines.slice(0, 2)).toEqual(['0x8F49  Device joining succeeded', '        raised by: CH; ESME, GSME']);
    // and 0x8183, whose "when" names 0x8F49
    expect(joined.lines.filter((line) => !line.startsWith(' '))).toEqual([
      '0x8F49  Device joining succeeded',
      '0x8183  Device joined SMHAN',
    ]);
    const n24 = await alerts('N24');
    expect(n24.lines.slice(0, 2)).toEqual(['N24     Update HAN Device Log Result', '        raised by: S1SP']);
    const polarity = await alerts('polarity');
    expect(polarity.lines[0]).toBe('0x81B8  Incorrect Polarity');
  });

  it('exits 1 with a message and no stack trace when nothing matches', () => {
    const result = spawnSync(process.execPath, [SMETS1_BIN, 'alerts', 'no-such-alert'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('smets1 alerts: no alert code matches "no-such-alert"\n');
  });

  it('is the table of docs/packs.md, code for code and description for description', async () => {
    const { lines } = await alerts();
    const listed = lines
      .filter((line) => !line.startsWith(' '))
      .map((line) => [line.slice(0, 8).trim(), line.slice(8)]);
    const doc = readFileSync('docs/packs.md', 'utf8');
    const section = doc.slice(doc.indexOf('### Alerts: the codes a pack can expect'), doc.indexOf('## Errors'));
    const rows = [...section.matchAll(/^\| `([^`]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2]!.trim()]);
    expect(rows).toEqual(listed);
  });
});
