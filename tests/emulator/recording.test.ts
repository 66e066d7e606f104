// --record writes every frame with time, direction and hex; `smets1 trace` prints it decoded.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LoopbackEnd } from '../../emulator/links/loopback';
import { describeDrop, recordHost } from '../../emulator/recording/recorder';
import { benchSets } from '../../emulator/host/benchConfig';
import { DeviceHost } from '../../emulator/host/deviceHost';
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
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
    // The ack of the emulator's session announcement (sent on attach, before the recording began); then stop and wait:
    // command in, its ack out, response out, its ack in, and only then the alert out and its ack in.
    expect(frames.map((f) => (f.kind === 'frame' ? `${f.direction} ${f.bytes[2]}` : ''))).toEqual(['in 4', 'in 1', 'out 4', 'out 2', 'in 4', 'out 3', 'in 4']);
    expect(lines[6]).toBe('2026-01-01T00:00:00.000Z in  A5010100000000000000000100DB1234567890A2010100010015000100DB1234567890A308001122334455667700FF3C56');

    const decoded = decodeTrace(text);
    expect(decoded[0]).toBe('2026-01-01T00:00:00.000Z  →  ack      seq   0  FF-FF-FF-FF-FF-FF-FF-FF → 00-00-00-00-00-00-00-02  ack 0x0');
    expect(decoded[1]).toBe(
      '2026-01-01T00:00:00.000Z  →  command  seq   0  00-00-00-00-00-00-00-01 → CH 00-DB-12-34-56-78-90-A2  ' +
        '{"requestId":1,"deviceId":"00-DB-12-34-56-78-90-A3","installCode":"0011223344556677","joinPeriod":255,"type":"hanLogAdd"}',
    );
    expect(decoded[2]).toBe('2026-01-01T00:00:00.000Z  ←  ack      seq   0  CH 00-DB-12-34-56-78-90-A2 → 00-00-00-00-00-00-00-01  ack hanLogAdd');
    expect(decoded[5]).toBe(
      '2026-01-01T00:00:00.000Z  ←  alert    seq   2  CH 00-DB-12-34-56-78-90-A2 → 00-00-00-00-00-00-00-01  {"code":36626,"at":1767225600000,"payload":"","type":"alert"}',
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

  it('smets1 trace shows a frame line longer than the largest frame as a bad line, whatever its size', async () => {
    // 284 bytes is the largest frame: a 26-byte header, 256 bytes of payload and a 2-byte CRC
    const lines = [
      `2026-01-01T00:00:00.000Z in ${'A5'.repeat(284)}`,
      `2026-01-01T00:00:00.000Z in ${'A5'.repeat(285)}`,
      `2026-01-01T00:00:00.000Z in ${'A5'.repeat(512 * 1024)}`,
      // Odd, and long enough that a backtracking check of "whole hex bytes" overflowed the stack
      `2026-01-01T00:00:00.000Z out ${'A5'.repeat(4 * 1024 * 1024)}A`,
    ];
    const path = join(dir, 'long.trace');
    writeFileSync(path, `${TRACE_MAGIC}\n${lines.join('\n')}\n`);
    const out: string[] = [];
    expect(await main(['trace', path], (line) => out.push(line))).toBe(0);
    expect(out).toEqual([
      '2026-01-01T00:00:00.000Z  →  undecodable frame (line 2): protocol version 165 is not supported (this end speaks 1)',
      '!! line 3: a frame of 570 hex digits is longer than the largest frame (284 bytes)',
      '!! line 4: a frame of 1048576 hex digits is longer than the largest frame (284 bytes)',
      '!! line 5: a frame of 8388609 hex digits is longer than the largest frame (284 bytes)',
    ]);
  });

  describe('a bounded recording', () => {
    /** A host on a loopback link, recording to `path`; `feed` writes raw bytes from the harness end. */
    function recordingHost(path: string, maxBytes?: number) {
      const [emulator, harness] = LoopbackEnd.pair();
      const clock = new VirtualClock();
      const host = new DeviceHost({ clock, sets: benchSets({ vendor: 'itron' }) });
      host.attach(emulator);
      const stops: string[] = [];
      const stop = recordHost(host, clock, path, { ...(maxBytes ? { maxBytes } : {}), onStop: (reason) => stops.push(reason) });
      return { host, harness, stops, stop };
    }

    it('1 MB of hostile input stops at the size bound, with a last line saying so, and the host carries on', async () => {
      const path = join(dir, 'hostile.trace');
      const maxBytes = 2 * 1024 * 1024;
      const { host, harness, stops } = recordingHost(path, maxBytes);
      // Start bytes and lengths that never make a frame: every one is a drop and a NAK out.
      const flood = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < flood.length; i++) flood[i] = [0xa5, 0x01, 0x01][i % 3];
      for (let i = 0; i < flood.length; i += 4096) harness.write(flood.subarray(i, i + 4096));
      await drainPendingJobs();
      expect(stops).toEqual([`recording ${path} stopped at its size limit of ${maxBytes} bytes; the emulator carries on`]);
      const size = statSync(path).size;
      expect(size).toBeLessThanOrEqual(maxBytes + 100);
      expect(readFileSync(path, 'utf8').trimEnd().split('\n').pop()).toBe(`# recording stopped: size limit of ${maxBytes} bytes reached`);
      // The host still answers.
      const answer = await host.command(benchSets({ vendor: 'itron' })[0].euis.CH, { type: 'readDeviceInfo' });
      expect(answer.status).toBe('ok');
      host.close();
    });

    it('a drop line shows at most 32 of the dropped bytes', () => {
      const bytes = new Uint8Array(5000).fill(0xab);
      expect(describeDrop({ reason: 'malformed', detail: 'x', bytes } as never)).toBe(`malformed detail=x bytes=${'AB'.repeat(32)}…(5000 bytes)`);
      expect(describeDrop({ reason: 'malformed', detail: 'y', bytes: new Uint8Array([1, 2]) } as never)).toBe('malformed detail=y bytes=0102');
    });

    it('a full disk (/dev/full) stops the recording with a message, not the emulator', async () => {
      const { host, stops } = recordingHost('/dev/full');
      expect(stops).toEqual(['recording /dev/full stopped: ENOSPC: no space left on device, write; the emulator carries on']);
      expect((await host.command(benchSets({ vendor: 'itron' })[0].euis.CH, { type: 'readDeviceInfo' })).status).toBe('ok');
      host.close();
    });

    it('a file that cannot be created is an error naming it', () => {
      const clock = new VirtualClock();
      const host = new DeviceHost({ clock, sets: benchSets({ vendor: 'itron' }) });
      expect(() => recordHost(host, clock, dir)).toThrow(`cannot record to ${dir}: EISDIR: illegal operation on a directory, open '${dir}'`);
      expect(() => recordHost(host, clock, join(dir, 'missing', 'x.trace'))).toThrow(/^cannot record to .*missing\/x\.trace: ENOENT: no such file or directory/);
      host.close();
    });
  });
});
