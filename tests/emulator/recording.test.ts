// --record writes every frame with time, direction and hex; `smets1 trace` prints it decoded.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LoopbackEnd } from '../../emulator/links/loopback';
import { recordHost } from '../../emulator/recording/recorder';
import { decodeTrace } from '../../emulator/recording/traceDecoder';
import { parseTrace, TRACE_MAGIC } from '../../emulator/recording/traceFormat';
import { main } from '../../harness/cli/main';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { BENCH_EUIS, makeBench } from './bench';

const dir = mkdtempSync(join(tmpdir(), 'smets1-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recording and trace', () => {
  it('records each frame once with its clock time and direction, and decodes it in the device’s dialect', async () => {
    const [emulator, harness] = LoopbackEnd.pair();
    const clock = new VirtualClock();
    const b = await makeBench({ emulator, harness, real: false, dispose: async () => {} }, { vendor: 'elster', clock });
    const path = join(dir, 'session.trace');
    recordHost(b.host, clock, path);
    const { CH, PPMID } = BENCH_EUIS;
    await b.run(b.client.request(CH, { type: 'hanLogAdd', deviceId: PPMID, installCode: '0011223344556677', joinPeriod: 255 }), 'hanLogAdd');
    await b.until(() => b.alerts.length === 1, 'alert');
    await b.dispose();

    const text = readFileSync(path, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(TRACE_MAGIC);
    expect(lines.slice(1, 5)).toEqual([
      '# device 00-DB-12-34-56-78-90-A0 ESME elster',
      '# device 00-DB-12-34-56-78-90-A1 GSME elster',
      '# device 00-DB-12-34-56-78-90-A2 CH elster',
      '# device 00-DB-12-34-56-78-90-A3 PPMID elster',
    ]);
    const frames = parseTrace(text).filter((l) => l.kind === 'frame');
    // Stop and wait: command in, its ack out, response out, its ack in, and only then the alert out and its ack in.
    expect(frames.map((f) => (f.kind === 'frame' ? `${f.direction} ${f.bytes[2]}` : ''))).toEqual(['in 1', 'out 4', 'out 2', 'in 4', 'out 3', 'in 4']);
    expect(lines[5]).toBe('2026-01-01T00:00:00.000Z in  A5010100000000000000000100DB1234567890A2010100010014000100DB1234567890A3080011223344556677FFAB48');

    const decoded = decodeTrace(text);
    expect(decoded[0]).toBe(
      '2026-01-01T00:00:00.000Z  →  command  seq   0  00-00-00-00-00-00-00-01 → CH 00-DB-12-34-56-78-90-A2  ' +
        '{"requestId":1,"deviceId":"00-DB-12-34-56-78-90-A3","installCode":"0011223344556677","joinPeriod":255,"type":"hanLogAdd"}',
    );
    expect(decoded[1]).toBe('2026-01-01T00:00:00.000Z  ←  ack      seq   0  CH 00-DB-12-34-56-78-90-A2 → 00-00-00-00-00-00-00-01  ack hanLogAdd');
    expect(decoded[4]).toBe(
      '2026-01-01T00:00:00.000Z  ←  alert    seq   1  CH 00-DB-12-34-56-78-90-A2 → 00-00-00-00-00-00-00-01  {"code":36626,"at":1767225600000,"payload":"","type":"alert"}',
    );
  });

  it('shows damaged lines and frames as such instead of failing', () => {
    const decoded = decodeTrace(`${TRACE_MAGIC}\nnot a line\n2026-01-01T00:00:00.000Z in A501FF\n2026-01-01T00:00:00.000Z in A5Z\n`);
    expect(decoded).toEqual([
      '!! line 2: not "<ISO time> in|out|drop …": not a line',
      '2026-01-01T00:00:00.000Z  →  undecodable frame (line 3): frame of 3 bytes is shorter than a header and CRC',
      '!! line 4: frame is not whole hex bytes',
    ]);
  });

  it('smets1 trace FILE prints the decoded recording; a missing file is a clear error and exit 1', async () => {
    const path = join(dir, 'one.trace');
    writeFileSync(path, `${TRACE_MAGIC}\n# device 00-DB-12-34-56-78-90-A2 CH itron\n2026-01-01T00:00:00.000Z out A501040100DB1234567890A200000000000000010101000100007B32\n`);
    const out: string[] = [];
    expect(await main(['trace', path, '--hex'], (line) => out.push(line))).toBe(0);
    expect(out).toEqual([
      '2026-01-01T00:00:00.000Z  ←  ack      seq   1  CH 00-DB-12-34-56-78-90-A2 → 00-00-00-00-00-00-00-01  ack hanLogAdd',
      '      A5 01 04 01 00 DB 12 34 56 78 90 A2 00 00 00 00 00 00 00 01 01 01 00 01 00 00 7B 32',
    ]);
    expect(await main(['trace', join(dir, 'missing.trace')], () => {})).toBe(1);
  });
});
