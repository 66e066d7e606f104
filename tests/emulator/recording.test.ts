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
import { parseTrace, TRACE_MAGIC, type TraceLine } from '../../emulator/recording/traceFormat';
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
    await b.run(
      b.client.request(CH, { type: 'hanLogAdd', deviceId: PPMID, installCode: '0011223344556677', joinPeriod: 255 }),
      'hanLogAdd',
    );
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
    expect(frames.map((f) => (f.kind === 'frame' ? `${f.direction} ${f.bytes[2]}` : ''))).toEqual([
      'in 4',
      'in 1',
      'out 4',
      'out 2',
      'in 4',
      'out 3',
      'in 4',
    ]);
    expect(lines[6]).toBe(
      '2026-01-01T00:00:00.000Z in  A5010100000000000000000100DB1234567890A2010100010015000100DB1234567890A308001122334455667700FF3C56',
    );

    const decoded = decodeTrace(text);
    expect(decoded[0]).toBe(
      '2026-01-01T00:00:00.000Z  →  ack      seq   0  FF-FF-FF-FF-FF-FF-FF-FF → 00-00-00-00-00-00-00-02  ack 0x0',
    );
    expect(decoded[1]).toBe(
      '2026-01-01T00:00:00.000Z  →  command  seq   0  00-00-00-00-00-00-00-01 → CH 00-DB-12-34-56-78-90-A2  ' +
        '{"requestId":1,"deviceId":"00-DB-12-34-56-78-90-A3","installCode":"0011223344556677","joinPeriod":255,"type":"hanLogAdd"}',
    );
    expect(decoded[2]).toBe(
      '2026-01-01T00:00:00.000Z  ←  ack      seq   0  CH 00-DB-12-34-56-78-90-A2 → 00-00-00-00-00-00-00-01  ack hanLogAdd',
    );
    expect(decoded[5]).toBe(
      '2026-01-01T00:00:00.000Z  ←  alert    seq   2  CH 00-DB-12-34-56-78-90-A2 → 00-00-00-00-00-00-00-01  {"code":36626,"at":1767225600000,"payload":"","type":"alert"}',
    );
  });

  it('shows damaged lines and frames as such instead of failing', () => {
    const decoded = decodeTrace(
      `${TRACE_MAGIC}\nnot a line\n2026-01-01T00:00:00.000Z in A501FF\n2026-01-01T00:00:00.000Z in A5Z\n` +
        '2026-01-01T00:00:00.000Z repeated many drop x\n2026-01-01T00:00:00.000Z repeated 2 in A5Z\n2026-01-01T00:00:00.000Z repeated 2 repeated 2 drop x\n',
    );
    expect(decoded).toEqual([
      '!! line 2: not "<ISO time> in|out|drop|repeated|noise …": not a line',
      '2026-01-01T00:00:00.000Z  →  undecodable frame (line 3): frame of 3 bytes is shorter than a header and CRC',
      '!! line 4: frame is not whole hex bytes',
      '!! line 5: not "<ISO time> repeated COUNT in|out|drop …"',
      '!! line 6: frame is not whole hex bytes',
      '!! line 7: not "<ISO time> repeated COUNT in|out|drop …"',
    ]);
  });

  it('a device line naming an EUI again holds from there on: the change is shown and the frames after it use it', () => {
    // the ack of docs/protocol.md's hanLogAdd, from the CH: before and after the EUI is named again
    const ack = '2026-01-01T00:00:00.000Z out A501040100DB1234567890A200000000000000010101000100007B32\n';
    const decoded = decodeTrace(
      `${TRACE_MAGIC}\n# device 00-DB-12-34-56-78-90-A2 CH itron\n${ack}` +
        `# device 00-DB-12-34-56-78-90-A2 CH itron\n${ack}` +
        `# device 00-DB-12-34-56-78-90-A2 ESME elster\n${ack}`,
    );
    expect(decoded).toEqual([
      '2026-01-01T00:00:00.000Z  ←  ack      seq   1  CH 00-DB-12-34-56-78-90-A2 → 00-00-00-00-00-00-00-01  ack hanLogAdd',
      // the same line again changes nothing, and is not shown
      '2026-01-01T00:00:00.000Z  ←  ack      seq   1  CH 00-DB-12-34-56-78-90-A2 → 00-00-00-00-00-00-00-01  ack hanLogAdd',
      '── device 00-DB-12-34-56-78-90-A2 is ESME elster from here on (was CH itron)',
      '2026-01-01T00:00:00.000Z  ←  ack      seq   1  ESME 00-DB-12-34-56-78-90-A2 → 00-00-00-00-00-00-00-01  ack hanLogAdd',
    ]);
  });

  it('smets1 trace FILE prints the decoded recording; a missing file is a clear error and exit 1', async () => {
    const path = join(dir, 'one.trace');
    writeFileSync(
      path,
      `${TRACE_MAGIC}\n# device 00-DB-12-34-56-78-90-A2 CH itron\n2026-01-01T00:00:00.000Z out A501040100DB1234567890A200000000000000010101000100007B32\n`,
    );
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
      const stop = recordHost(host, clock, path, {
        ...(maxBytes ? { maxBytes } : {}),
        onStop: (reason) => stops.push(reason),
      });
      return { host, harness, stops, stop };
    }

    /** `count` bytes repeating `pattern(i)`, written from the harness end in 4 KiB chunks. */
    function flood(harness: LoopbackEnd, count: number, pattern: (i: number) => number) {
      const bytes = Buffer.alloc(count);
      for (let i = 0; i < bytes.length; i++) bytes[i] = pattern(i);
      for (let i = 0; i < bytes.length; i += 4096) harness.write(bytes.subarray(i, i + 4096));
    }
    const A5_01_01 = (i: number) => [0xa5, 0x01, 0x01][i % 3]!;
    /** Type code 05 is a NAK (docs/protocol.md, frame types); byte 2 of a frame is its type. */
    const isNak = (bytes: Uint8Array) => bytes[2] === 0x05;

    /** What the host reported, counted apart from the recording: every drop and every NAK it sent. */
    function countEvents(host: DeviceHost) {
      const counts = { drops: 0, naks: 0 };
      host.on('drop', () => counts.drops++);
      host.on('trace', (entry) => {
        if (entry.direction === 'out' && isNak(entry.bytes)) counts.naks++;
      });
      return counts;
    }

    /** The drops and NAKs a recording accounts for: written, repeated, and counted in `noise` lines. */
    function accounted(text: string) {
      const counts = { drops: 0, naks: 0 };
      const add = (entry: TraceLine, times: number) => {
        if (entry.kind === 'drop') counts.drops += times;
        if (entry.kind === 'frame' && entry.direction === 'out' && isNak(entry.bytes)) counts.naks += times;
      };
      for (const entry of parseTrace(text)) {
        if (entry.kind === 'repeated') add(entry.of, entry.count);
        else if (entry.kind === 'noise') {
          for (const [, count, kind] of entry.text.matchAll(/(\d+) (drop \w+|out NAK)/g)) {
            if (kind === 'out NAK') counts.naks += Number(count);
            else counts.drops += Number(count);
          }
        } else add(entry, 1);
      }
      return counts;
    }

    it('256 KiB of A5 01 01 noise is recorded as its first drop and NAK and how many more came, not 30 times its size', async () => {
      const path = join(dir, 'noise.trace');
      const { host, harness, stops, stop } = recordingHost(path);
      const events = countEvents(host);
      flood(harness, 256 * 1024, A5_01_01);
      await drainPendingJobs();
      stop();
      expect(stops).toEqual([]);
      const text = readFileSync(path, 'utf8');
      expect(statSync(path).size).toBeLessThan(4 * 1024);
      // Noise from an A5: bytes 3…25 of a would-be header read sequence A5, source 0101A50101A50101, message 01A5 and
      // payload length A501 (over 256)
      const first = 'drop oversize source=0101A50101A50101 sequence=165 messageId=421';
      const lines = text.split('\n');
      expect(lines[5]).toBe(`2026-01-01T00:00:00.000Z ${first}`);
      expect(lines.filter((line) => line.endsWith(first))).toEqual([
        `2026-01-01T00:00:00.000Z ${first}`,
        expect.stringMatching(new RegExp(`^2026-01-01T00:00:00.000Z repeated \\d+ ${first}$`)),
      ]);
      expect(events.drops).toBeGreaterThan(80_000);
      expect(accounted(text)).toEqual(events);
      expect(decodeTrace(text).filter((line) => line.includes('oversize'))).toEqual([
        `2026-01-01T00:00:00.000Z  ✗  dropped: ${first.slice('drop '.length)}`,
        expect.stringMatching(
          /^2026-01-01T00:00:00.000Z  ✗  dropped: oversize .* \(\d+ more like it, the last at this time\)$/,
        ),
      ]);
      host.close();
    });

    it('noise that differs each time is written for its first 16 different lines and counted by kind after them', async () => {
      const path = join(dir, 'varied.trace');
      const { host, harness, stop } = recordingHost(path);
      const events = countEvents(host);
      // A5 01 01 k with k counting up: every would-be frame has another source and sequence
      flood(harness, 256 * 1024, (i) => (i % 4 === 3 ? (i >> 2) & 0xff : [0xa5, 0x01, 0x01][i % 4]!));
      await drainPendingJobs();
      stop();
      const text = readFileSync(path, 'utf8');
      const entries = parseTrace(text);
      expect(entries.filter((e) => e.kind === 'drop' || e.kind === 'frame')).toHaveLength(16);
      expect(entries.filter((e) => e.kind === 'noise')).toHaveLength(1);
      expect(accounted(text)).toEqual(events);
      expect(statSync(path).size).toBeLessThan(8 * 1024);
      host.close();
    });

    it('a run of noise ends, summarised, at the next frame in and after 10 s of clock time', async () => {
      const path = join(dir, 'runs.trace');
      const [emulator, harness] = LoopbackEnd.pair();
      const clock = new VirtualClock();
      const host = new DeviceHost({ clock, sets: benchSets({ vendor: 'itron' }) });
      host.attach(emulator);
      const stop = recordHost(host, clock, path);
      const noise = () => flood(harness, 3000, A5_01_01);
      noise();
      await drainPendingJobs();
      // a frame in: the command of the first test, hanLogAdd to the CH
      harness.write(
        Buffer.from(
          'A5010100000000000000000100DB1234567890A2010100010015000100DB1234567890A308001122334455667700FF3C56',
          'hex',
        ),
      );
      await drainPendingJobs();
      noise();
      await drainPendingJobs();
      await clock.advanceBy(9_999);
      noise();
      await drainPendingJobs();
      await clock.advanceBy(1);
      noise();
      await drainPendingJobs();
      stop();
      const kinds = parseTrace(readFileSync(path, 'utf8'))
        .filter(
          (e) =>
            e.kind === 'repeated' ||
            (e.kind === 'frame' && e.direction === 'in') ||
            (e.kind === 'drop' && e.text.startsWith('oversize')),
        )
        .map((e) => {
          const seconds = (at: number) => new Date(at).toISOString().slice(17, 23);
          if (e.kind === 'repeated') return `${seconds(e.at)} repeated ${e.of.kind}`;
          return e.kind === 'drop' ? `${seconds(e.at)} drop` : 'in';
        });
      expect(kinds).toEqual([
        '00.000 drop',
        '00.000 repeated drop',
        '00.000 repeated frame',
        'in',
        '00.000 drop',
        '09.999 repeated drop',
        '09.999 repeated frame',
        '10.000 drop',
        '10.000 repeated drop',
        '10.000 repeated frame',
      ]);
      host.close();
    });

    it('hostile input of distinct frames stops at the size bound, with a last line saying so, and the host carries on', async () => {
      const path = join(dir, 'hostile.trace');
      const maxBytes = 64 * 1024;
      const { host, harness, stops } = recordingHost(path, maxBytes);
      // The frame in of the first test, again and again: each one a frame in, a duplicate drop and an ack out
      const frame = Buffer.from(
        'A5010100000000000000000100DB1234567890A2010100010015000100DB1234567890A308001122334455667700FF3C56',
        'hex',
      );
      for (let i = 0; i < 2000; i++) harness.write(frame);
      await drainPendingJobs();
      expect(stops).toEqual([
        `recording ${path} stopped at its size limit of ${maxBytes} bytes; the emulator carries on`,
      ]);
      const size = statSync(path).size;
      expect(size).toBeLessThanOrEqual(maxBytes + 100);
      expect(readFileSync(path, 'utf8').trimEnd().split('\n').pop()).toBe(
        `# recording stopped: size limit of ${maxBytes} bytes reached`,
      );
      // The host still answers.
      const answer = await host.command(benchSets({ vendor: 'itron' })[0].euis.CH, { type: 'readDeviceInfo' });
      expect(answer.status).toBe('ok');
      host.close();
    });

    it('a drop line shows at most 32 of the dropped bytes', () => {
      const bytes = new Uint8Array(5000).fill(0xab);
      expect(describeDrop({ reason: 'malformed', detail: 'x', bytes } as never)).toBe(
        `malformed detail=x bytes=${'AB'.repeat(32)}…(5000 bytes)`,
      );
      expect(describeDrop({ reason: 'malformed', detail: 'y', bytes: new Uint8Array([1, 2]) } as never)).toBe(
        'malformed detail=y bytes=0102',
      );
    });

    it('a full disk (/dev/full) stops the recording with a message, not the emulator', async () => {
      const { host, stops } = recordingHost('/dev/full');
      expect(stops).toEqual([
        'recording /dev/full stopped: ENOSPC: no space left on device, write; the emulator carries on',
      ]);
      expect((await host.command(benchSets({ vendor: 'itron' })[0].euis.CH, { type: 'readDeviceInfo' })).status).toBe(
        'ok',
      );
      host.close();
    });

    it('a file that cannot be created is an error naming it', () => {
      const clock = new VirtualClock();
      const host = new DeviceHost({ clock, sets: benchSets({ vendor: 'itron' }) });
      expect(() => recordHost(host, clock, dir)).toThrow(
        `cannot record to ${dir}: EISDIR: illegal operation on a directory, open '${dir}'`,
      );
      expect(() => recordHost(host, clock, join(dir, 'missing', 'x.trace'))).toThrow(
        /^cannot record to .*missing\/x\.trace: ENOENT: no such file or directory/,
      );
      host.close();
    });
  });
});
