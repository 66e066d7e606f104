/**
 * Issue 18 item 6: `smets1 run --record FILE` writes every frame the harness sent and received in the recording
 * format `smets1 trace` reads, and the report carries each device command's bytes.
 *
 * Expected values come from the pack and the protocol, not from the code: the 8.11 JoinTimePeriods of
 * packs/defects/91342-elster.yaml, the Elster CH's refusal of more than 255 s with the 91342 quirk (status
 * invalidParameter) and the PPMID's join (alert 0x8F49 = 36681), the frame layout of docs/protocol.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../harness/cli/main';
import type { RunDocument } from '../../harness/reports/jsonReport';

const PACK = 'packs/defects/91342-elster.yaml';
const CH = '00-DB-12-34-56-78-90-A2';
const dir = mkdtempSync(join(tmpdir(), 'smets1-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function smets1(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await main(args, (line) => lines.push(line)), lines };
  } finally {
    spy.mockRestore();
  }
}

const runOf = (out: string): RunDocument => JSON.parse(readFileSync(join(dir, out, 'run.json'), 'utf8'));
const recording = join(dir, 'bench.trace');

beforeAll(async () => {
  expect((await smets1('run', PACK, '--record', recording, '--reporter', 'json', '--reporter', 'html', '--out', join(dir, 'recorded'))).code).toBe(0);
}, 120_000);

describe('smets1 run --record', () => {
  it('writes a recording smets1 trace reads: each scenario after its # scenario line, every frame the harness sent (→) and received (←)', async () => {
    const text = readFileSync(recording, 'utf8');
    expect(text.startsWith('# smets1-trace 1\n')).toBe(true);
    expect(text.split('\n').filter((line) => line.startsWith('# scenario '))).toEqual([
      '# scenario 91342-elster#fix off, 255 s is accepted and the PPMID joins',
      '# scenario 91342-elster#fix off, 256 s is refused by the CH and the PPMID never joins',
      '# scenario 91342-elster#fix off, 300 s is refused by the CH and the PPMID never joins',
      '# scenario 91342-elster#fix on, 300 s is clamped to 255 s and the PPMID joins inside 255 s',
    ]);
    expect(text).toContain(`# device ${CH} CH elster`);
    const { code, lines } = await smets1('trace', recording);
    expect(code).toBe(0);
    expect(lines.filter((line) => line.startsWith('!!'))).toEqual([]);
    const parts = lines.join('\n').split(/\n(?=.*session  seq)/);
    const [first, , third] = parts.filter((part) => part.includes('hanLogAdd'));
    // 255 s: sent to the CH, answered ok, and the PPMID's join alert comes back
    expect(first).toMatch(new RegExp(`→  command  seq +\\d+  00-00-00-00-00-00-00-01 → CH ${CH}  .*"joinPeriod":255,"type":"hanLogAdd"`));
    expect(first).toMatch(new RegExp(`←  response seq +\\d+  CH ${CH} → 00-00-00-00-00-00-00-01  .*"message":"hanLogAdd".*"status":"ok"`));
    expect(first).toMatch(new RegExp(`←  alert    seq +\\d+  CH ${CH} → 00-00-00-00-00-00-00-01  \\{"code":36681,`));
    // 300 s: refused by the CH with the quirk
    expect(third).toMatch(/"joinPeriod":300,"type":"hanLogAdd"/);
    expect(third).toMatch(/"message":"hanLogAdd".*"status":"invalidParameter"/);
    expect(third).not.toMatch(/\{"code":36681,/);
  });

  it("the report carries a device command's frames: the command as sent and the response as received", () => {
    const scenario = runOf('recorded').scenarios[0]!;
    const event = scenario.timeline.find((e) => e.lane === 'frames' && e.label.startsWith('hanLogAdd'))!;
    const sent = event.frames!.sent;
    const received = event.frames!.received;
    expect(sent).toHaveLength(1);
    expect(received).toHaveLength(1);
    // docs/protocol.md: A5, version 01, type (01 command, 02 response), sequence, source, destination …, CRC last
    expect(sent[0]!.slice(0, 6)).toBe('A50101');
    expect(sent[0]!.slice(8, 24)).toBe('0000000000000001');
    expect(sent[0]!.slice(24, 40)).toBe('00DB1234567890A2');
    expect(sent[0]!.slice(-8, -4)).toBe('00FF'); // the join period, 255 s, last before the CRC
    expect(received[0]!.slice(0, 6)).toBe('A50102');
    expect(received[0]!.slice(8, 24)).toBe('00DB1234567890A2');
    expect(received[0]!.slice(56, 58)).toBe('00'); // status ok, after the request id
    const html = readFileSync(join(dir, 'recorded', 'report.html'), 'utf8');
    expect(html).toContain(`<details class="frame-bytes"><summary>bytes</summary><pre>→ A5 01 01`);
  });
});
