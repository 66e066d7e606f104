// FrameCutter: which frames come out, in what order, and the exact counters, for chunking, noise, truncation,
// bad CRCs and impossible lengths (docs/protocol.md "Receiving: framing and resynchronisation").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIALECTS, MAX_PAYLOAD } from '../../protocols/constants';
import { crc16 } from '../../protocols/crc16';
import { FrameCutter, emptyStats, type CutterStats, type DropReport } from '../../protocols/frameCutter';
import { anyMessageArbitrary, frameHeaderArb } from './arbitraries';
import { HARNESS, hex, testFrame, withLength, withValidCrc } from './frames';
import { messageFrames } from './wire';

function harness() {
  const frames: string[] = [];
  const drops: DropReport[] = [];
  const cutter = new FrameCutter(
    (frame) => frames.push(hex(frame)),
    (report) => drops.push(report),
  );
  return { cutter, frames, drops };
}

function cut(...chunks: Uint8Array[]) {
  const h = harness();
  for (const chunk of chunks) h.cutter.push(chunk);
  return h;
}

const stats = (fields: Partial<CutterStats>): CutterStats => ({ ...emptyStats(), ...fields });

// F: 30-byte payload, 58 bytes. G: 10-byte payload, 38 bytes. Neither contains 0xA5 after its start byte.
const F = testFrame(30);
const G = testFrame(10, { sequence: 2 });

describe('FrameCutter: valid input', () => {
  it('one frame: delivered as is, nothing discarded', () => {
    const { cutter, frames, drops } = cut(F);
    expect(frames).toEqual([hex(F)]);
    expect(drops).toEqual([]);
    expect(cutter.stats).toEqual(stats({ bytesIn: 58, frames: 1 }));
    expect(cutter.pendingBytes).toBe(0);
  });

  it('two frames in one chunk: both, in order', () => {
    const { cutter, frames } = cut(Buffer.concat([F, G]));
    expect(frames).toEqual([hex(F), hex(G)]);
    expect(cutter.stats).toEqual(stats({ bytesIn: 96, frames: 2 }));
  });

  it('a frame split at every possible byte boundary: held until complete, then delivered once', () => {
    for (let k = 0; k <= F.length; k++) {
      const { cutter, frames } = harness();
      cutter.push(F.subarray(0, k));
      expect(frames.length).toBe(k === F.length ? 1 : 0);
      expect(cutter.pendingBytes).toBe(k === F.length ? 0 : k);
      cutter.push(F.subarray(k));
      expect(frames).toEqual([hex(F)]);
      expect(cutter.stats).toEqual(stats({ bytesIn: 58, frames: 1 }));
      expect(cutter.pendingBytes).toBe(0);
    }
  });

  it('two frames cut into three chunks at every pair of boundaries', () => {
    const stream = Buffer.concat([F, G]);
    for (let i = 0; i <= stream.length; i++) {
      for (let j = i; j <= stream.length; j++) {
        const { cutter, frames } = cut(stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j));
        expect(frames).toEqual([hex(F), hex(G)]);
        expect(cutter.stats).toEqual(stats({ bytesIn: 96, frames: 2 }));
      }
    }
  });

  it('one byte at a time, as plain Uint8Arrays', () => {
    const { cutter, frames } = cut(...Array.from(Buffer.concat([F, G, F]), (b) => Uint8Array.of(b)));
    expect(frames).toEqual([hex(F), hex(G), hex(F)]);
    expect(cutter.stats).toEqual(stats({ bytesIn: 154, frames: 3 }));
  });

  it('the largest payload (256 bytes, a 284-byte frame) is a frame', () => {
    const largest = testFrame(MAX_PAYLOAD);
    expect(largest.length).toBe(284);
    expect(cut(largest).frames).toEqual([hex(largest)]);
  });

  it('random messages of both dialects, random noise-free chunking: every frame, in order', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...DIALECTS)
          .chain((dialect) =>
            fc
              .array(fc.tuple(anyMessageArbitrary(dialect), frameHeaderArb), { minLength: 1, maxLength: 6 })
              .map((ms) => ({ dialect, ms })),
          ),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 30 }),
        ({ dialect, ms }, cuts) => {
          const sent = ms.flatMap(([message, header]) => messageFrames(dialect, message, header));
          const stream = Buffer.concat(sent);
          const chunks: Uint8Array[] = [];
          for (let at = 0, i = 0; at < stream.length; i++) {
            const size = cuts[i % cuts.length];
            chunks.push(Uint8Array.from(stream.subarray(at, at + size)));
            at += size;
          }
          const { cutter, frames } = cut(...chunks);
          expect(frames).toEqual(sent.map(hex));
          expect(cutter.stats).toEqual(stats({ bytesIn: stream.length, frames: sent.length }));
        },
      ),
      { seed: 4242, numRuns: 300 },
    );
  });
});

describe('FrameCutter: noise', () => {
  it('noise without 0xA5 between frames is discarded and counted, nothing else', () => {
    const noise = Buffer.from('00ff1234a4a6', 'hex');
    const { cutter, frames, drops } = cut(Buffer.concat([noise, F, noise, noise, G, noise]));
    expect(frames).toEqual([hex(F), hex(G)]);
    expect(drops).toEqual([]);
    expect(cutter.stats).toEqual(stats({ bytesIn: 96 + 24, frames: 2, discardedBytes: 24 }));
  });

  it('a false start with an impossible length, then one with a bad CRC, then a frame: oversize 1, bad CRC 1', () => {
    const oversize = Buffer.concat([Buffer.of(0xa5), Buffer.alloc(23), Buffer.of(0xff, 0xff)]); // length 65535
    const badCrc = Buffer.concat([Buffer.of(0xa5), Buffer.alloc(25), Buffer.of(0xbe, 0xef)]); // length 0, CRC wrong
    expect(crc16(badCrc, 1, 26)).not.toBe(0xbeef);
    const { cutter, frames, drops } = cut(Buffer.concat([oversize, badCrc, G]));
    expect(frames).toEqual([hex(G)]);
    expect(drops.map((d) => d.reason)).toEqual(['oversize', 'badCrc']);
    // Version 00, type 00: noise, not a frame, so no header details (a link layer does not NAK noise).
    expect(drops).toEqual([{ reason: 'oversize' }, { reason: 'badCrc' }]);
    expect(cutter.stats).toEqual(
      stats({ bytesIn: 26 + 28 + 38, frames: 1, discardedBytes: 26 + 28, oversize: 1, badCrc: 1 }),
    );
  });

  it('short noise containing 0xA5 bytes just before a frame: the frame is delivered, each false start counted by the rule', () => {
    // A5 at 1: its length field is bytes 19–20 of G (A0 01 = 40961): oversize. A5 at 4: its length field is G's
    // segment bytes (00 01 = 1), so it is a complete 29-byte candidate with a bad CRC; G starts inside it, so that
    // candidate was "cut short": truncated, not bad CRC.
    const noise = Buffer.from('00a51122a533', 'hex');
    const { cutter, frames } = cut(Buffer.concat([noise, G]));
    expect(frames).toEqual([hex(G)]);
    expect(cutter.stats).toEqual(stats({ bytesIn: 44, frames: 1, discardedBytes: 6, oversize: 1, truncated: 1 }));
  });

  it('a false start at the end of a chunk waits for more bytes, then lets the next frame through', () => {
    const { cutter, frames } = harness();
    cutter.push(Buffer.from('33a5', 'hex'));
    expect(cutter.pendingBytes).toBe(1);
    cutter.push(Buffer.concat([Buffer.from('0000', 'hex'), F]));
    expect(frames).toEqual([hex(F)]);
    expect(cutter.pendingBytes).toBe(0);
    // A5 00 00 + F: its length field is F's bytes 21–22 (02 00 = 512): oversize.
    expect(cutter.stats).toEqual(stats({ bytesIn: 62, frames: 1, discardedBytes: 4, oversize: 1 }));
  });

  it('random noise (0xA5 included) between random frames, random chunking: every frame, in order, all noise discarded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(anyMessageArbitrary('itron'), frameHeaderArb, fc.uint8Array({ maxLength: 120 })), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.uint8Array({ maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 20 }),
        (items, trailer, cuts) => {
          const sent: Buffer[] = [];
          const parts: Buffer[] = [];
          let noise = trailer.length;
          for (const [message, header, before] of items) {
            const frames = messageFrames('itron', message, header);
            sent.push(...frames);
            parts.push(Buffer.from(before), ...frames);
            noise += before.length;
          }
          parts.push(Buffer.from(trailer));
          const stream = Buffer.concat(parts);
          const { cutter, frames } = harness();
          for (let at = 0, i = 0; at < stream.length; i++) {
            cutter.push(stream.subarray(at, at + cuts[i % cuts.length]));
            at += cuts[i % cuts.length];
          }
          cutter.flush();
          expect(frames).toEqual(sent.map(hex));
          expect(cutter.stats.frames).toBe(sent.length);
          expect(cutter.stats.discardedBytes).toBe(noise);
          expect(cutter.stats.bytesIn).toBe(stream.length);
          expect(cutter.pendingBytes).toBe(0);
        },
      ),
      { seed: 777, numRuns: 400 },
    );
  });
});

describe('FrameCutter: damaged frames', () => {
  it('a truncated frame followed by a valid one in the same chunk: the valid one at once, truncated counted once', () => {
    const { cutter, frames, drops } = cut(Buffer.concat([F.subarray(0, 40), G]));
    expect(frames).toEqual([hex(G)]);
    // Reported when seen as a bad CRC (F's 58 bytes span into G); counted as truncated once G is found inside it.
    expect(drops.map((d) => d.reason)).toEqual(['badCrc']);
    expect(cutter.stats).toEqual(stats({ bytesIn: 78, frames: 1, discardedBytes: 40, truncated: 1 }));
    expect(cutter.pendingBytes).toBe(0);
  });

  it('a truncated frame, then (in a later chunk) a valid one: delivered by the push that completes it', () => {
    const { cutter, frames } = harness();
    cutter.push(F.subarray(0, 40));
    expect(cutter.pendingBytes).toBe(40);
    cutter.push(G);
    expect(frames).toEqual([hex(G)]);
    expect(cutter.stats).toEqual(stats({ bytesIn: 78, frames: 1, discardedBytes: 40, truncated: 1 }));
    expect(cutter.pendingBytes).toBe(0);
  });

  it('a truncated frame followed by a short valid one that does not complete it: truncated, the valid one at once', () => {
    const { cutter, frames, drops } = cut(Buffer.concat([testFrame(200).subarray(0, 100), G]));
    expect(frames).toEqual([hex(G)]);
    expect(drops.map((d) => d.reason)).toEqual(['truncated']);
    expect(cutter.stats).toEqual(stats({ bytesIn: 138, frames: 1, discardedBytes: 100, truncated: 1 }));
  });

  it('a truncated frame full of 0xA5 bytes: its false starts are not counted again', () => {
    const H = testFrame(40, { payload: new Uint8Array(40).fill(0xa5) });
    const { cutter, frames, drops } = cut(Buffer.concat([H.subarray(0, 50), G]));
    expect(frames).toEqual([hex(G)]);
    expect(drops.length).toBe(1);
    expect(cutter.stats).toEqual(stats({ bytesIn: 88, frames: 1, discardedBytes: 50, truncated: 1 }));
  });

  it('a frame cut inside its header, then a frame: the length it reads (from the next frame) is impossible', () => {
    // Bytes 24–25 of the candidate are G's bytes 14–15 (12 34 = 4660).
    const { cutter, frames } = cut(Buffer.concat([F.subarray(0, 10), G]));
    expect(frames).toEqual([hex(G)]);
    expect(cutter.stats).toEqual(stats({ bytesIn: 48, frames: 1, discardedBytes: 10, oversize: 1 }));
  });

  it('a bad CRC (one payload bit flipped), then a valid frame: bad CRC 1, NAK details reported', () => {
    const bad = Buffer.from(F);
    bad[30] ^= 0x10;
    const { cutter, frames, drops } = cut(Buffer.concat([bad, G]));
    expect(frames).toEqual([hex(G)]);
    expect(drops).toEqual([{ reason: 'badCrc', source: F.subarray(4, 12), sequence: 1, messageId: 0x0102 }]);
    expect(cutter.stats).toEqual(stats({ bytesIn: 96, frames: 1, discardedBytes: 58, badCrc: 1 }));
  });

  it('a bad CRC in one chunk and a valid frame in the next: still bad CRC, not truncated', () => {
    const bad = Buffer.from(F);
    bad[57] ^= 0x01; // the CRC's low byte
    const { cutter, frames } = cut(bad, G);
    expect(frames).toEqual([hex(G)]);
    expect(cutter.stats).toEqual(stats({ bytesIn: 96, frames: 1, discardedBytes: 58, badCrc: 1 }));
  });

  it('an impossible length (257, 65535), then a valid frame: oversize, the valid frame delivered', () => {
    for (const length of [257, 0xffff]) {
      const { cutter, frames, drops } = cut(Buffer.concat([withLength(F, length), G]));
      expect(frames).toEqual([hex(G)]);
      expect(drops).toEqual([{ reason: 'oversize', source: F.subarray(4, 12), sequence: 1, messageId: 0x0102 }]);
      expect(cutter.stats).toEqual(stats({ bytesIn: 96, frames: 1, discardedBytes: 58, oversize: 1 }));
    }
  });

  it('a CRC-valid frame of another version or an unknown type is skipped whole and counted', () => {
    const v2 = Buffer.from(F);
    v2[1] = 0x02;
    const type8 = Buffer.from(F);
    type8[2] = 0x08;
    const { cutter, frames, drops } = cut(Buffer.concat([withValidCrc(v2), withValidCrc(type8), G]));
    expect(frames).toEqual([hex(G)]);
    expect(drops.map((d) => d.reason)).toEqual(['unsupportedVersion', 'unknownType']);
    expect(cutter.stats).toEqual(
      stats({ bytesIn: 154, frames: 1, discardedBytes: 116, unsupportedVersion: 1, unknownType: 1 }),
    );
  });
});

describe('FrameCutter: flush', () => {
  it('a partial frame at the end of input is truncated, reported with its header, and discarded', () => {
    const { cutter, frames, drops } = cut(G, F.subarray(0, 40));
    expect(cutter.pendingBytes).toBe(40);
    cutter.flush();
    expect(frames).toEqual([hex(G)]);
    expect(drops).toEqual([{ reason: 'truncated', source: F.subarray(4, 12), sequence: 1, messageId: 0x0102 }]);
    expect(cutter.stats).toEqual(stats({ bytesIn: 78, frames: 1, discardedBytes: 40, truncated: 1 }));
    expect(cutter.pendingBytes).toBe(0);
    cutter.flush();
    expect(cutter.stats.truncated).toBe(1);
  });

  it('a partial header is truncated without header details; the next frame is cut normally', () => {
    const { cutter, frames, drops } = cut(F.subarray(0, 12));
    cutter.flush();
    expect(drops).toEqual([{ reason: 'truncated' }]);
    cutter.push(G);
    expect(frames).toEqual([hex(G)]);
    expect(cutter.stats).toEqual(stats({ bytesIn: 50, frames: 1, discardedBytes: 12, truncated: 1 }));
  });

  it('flush with nothing held changes nothing', () => {
    const { cutter } = cut(F);
    cutter.flush();
    expect(cutter.stats).toEqual(stats({ bytesIn: 58, frames: 1 }));
  });

  it('frames from the harness address are cut like any other (sanity check of the fixture)', () => {
    expect(hex(F.subarray(4, 12))).toBe(HARNESS.replace(/-/g, '').toLowerCase());
    expect([...F.subarray(1)].includes(0xa5)).toBe(false);
    expect([...G.subarray(1)].includes(0xa5)).toBe(false);
  });
});
