// FrameCutter holds the bytes of a frame split across reads in an append-only slab (not a Buffer.concat per push)
// and scans the held bytes in a bounded window before carrying on in the chunk itself. These tests check that it cuts
// exactly as the previous implementation (tests/protocols/reference.ts) on noisy, damaged streams under any chunking,
// and that what it hands out stays valid however long it is kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIALECTS, MAX_FRAME, START_OF_FRAME } from '../../protocols/constants';
import { FrameCutter, type DropReport } from '../../protocols/frameCutter';
import { anyMessageArbitrary, frameHeaderArb, prng } from './arbitraries';
import { hex, testFrame, withLength, withValidCrc } from './frames';
import { ReferenceFrameCutter } from './reference';
import { expectEqualInLoop } from '../support/equalInLoop';
import { messageFrames } from './wire';

const random = prng(0xc0de);
const int = (n: number) => Math.floor(random() * n);
const bytes = (n: number, a5Density: number) =>
  Buffer.from(Array.from({ length: n }, () => (random() < a5Density ? START_OF_FRAME : int(256))));

/** Valid frames of every message of the table (both dialects), some with 0xA5 bytes inside. */
const corpus: Buffer[] = DIALECTS.flatMap((dialect, d) =>
  fc
    .sample(fc.tuple(anyMessageArbitrary(dialect), frameHeaderArb), { seed: 77 + d, numRuns: 150 })
    .flatMap(([m, h]) => messageFrames(dialect, m, h)),
);
for (const n of [0, 1, 2, 40, 200, 256])
  corpus.push(
    testFrame(n, { payload: Uint8Array.from({ length: n }, () => (random() < 0.2 ? START_OF_FRAME : int(256))) }),
  );

/** A piece of a stream: mostly frames, and every kind of damage the cutter resyncs after. */
function piece(): Buffer {
  const frame = corpus[int(corpus.length)];
  switch (int(12)) {
    case 0:
      return bytes(1 + int(40), 0.15); // noise with false starts
    case 1:
      return frame.subarray(0, int(frame.length)); // truncated
    case 2: {
      const bad = Buffer.from(frame);
      bad[int(bad.length)] ^= 1 << int(8); // bad CRC (or a damaged header)
      return bad;
    }
    case 3:
      return withLength(frame, 257 + int(0xfe00)); // impossible length
    case 4: {
      const other = Buffer.from(frame);
      if (random() < 0.5) other[1] = 2 + int(250);
      else other[2] = 7 + int(249);
      return withValidCrc(other); // CRC-valid, but another version or an unknown type
    }
    case 5:
      return Buffer.of(START_OF_FRAME); // a lone start byte
    default:
      return frame;
  }
}

function streamOf(pieces: number): Buffer {
  return Buffer.concat(Array.from({ length: pieces }, piece));
}

/** Cuts `stream` into reads: tiny, serial-sized, socket-sized, larger than a frame, or mixed. */
function chunksOf(stream: Buffer): Uint8Array[] {
  const style = int(5);
  const size = () => {
    switch (style) {
      case 0:
        return 1 + int(4);
      case 1:
        return 1 + int(64);
      case 2:
        return 1 + int(2 * MAX_FRAME);
      case 3:
        return MAX_FRAME - 2 + int(5);
      default:
        return random() < 0.5 ? 1 + int(30) : 1 + int(3000);
    }
  };
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < stream.length;) {
    const n = Math.min(size(), stream.length - at);
    // Some reads as plain Uint8Arrays (copies), some as Buffer views of the stream; now and then an empty read.
    chunks.push(random() < 0.3 ? Uint8Array.from(stream.subarray(at, at + n)) : stream.subarray(at, at + n));
    if (random() < 0.02) chunks.push(new Uint8Array(0));
    at += n;
  }
  return chunks;
}

function recorder<T extends { push(chunk: Uint8Array): void }>(
  make: (onFrame: (f: Buffer) => void, onDrop: (d: DropReport) => void) => T,
) {
  const frames: string[] = [];
  const drops: string[] = [];
  const cutter = make(
    (f) => frames.push(hex(f)),
    (d) => drops.push(JSON.stringify({ ...d, source: d.source && hex(d.source) })),
  );
  return { cutter, frames, drops };
}

describe('FrameCutter cuts exactly as the previous implementation', () => {
  it('2,000 noisy, damaged streams under random chunking: same frames, drop reports, counters and held bytes after every push', () => {
    for (let run = 0; run < 2000; run++) {
      const stream = streamOf(1 + int(12));
      const tuned = recorder((f, d) => new FrameCutter(f, d));
      const reference = recorder((f, d) => new ReferenceFrameCutter(f, d));
      for (const chunk of chunksOf(stream)) {
        tuned.cutter.push(chunk);
        reference.cutter.push(chunk);
        expectEqualInLoop(tuned.cutter.stats, reference.cutter.stats);
        expectEqualInLoop(tuned.cutter.pendingBytes, reference.cutter.pendingBytes);
      }
      tuned.cutter.flush();
      reference.cutter.flush();
      expectEqualInLoop(tuned.frames, reference.frames);
      expectEqualInLoop(tuned.drops, reference.drops);
      expectEqualInLoop(tuned.cutter.stats, reference.cutter.stats);
      expectEqualInLoop(tuned.cutter.pendingBytes, 0);
    }
  });

  it('dense false starts (a third of the bytes 0xA5) between frames, one byte to 300 bytes a read', () => {
    for (let run = 0; run < 300; run++) {
      const parts: Buffer[] = [];
      for (let i = 0; i < 6; i++) parts.push(bytes(int(120), 0.33), corpus[int(corpus.length)]);
      const stream = Buffer.concat(parts);
      const tuned = recorder((f, d) => new FrameCutter(f, d));
      const reference = recorder((f, d) => new ReferenceFrameCutter(f, d));
      const read = 1 + int(300);
      for (let at = 0; at < stream.length; at += read) {
        tuned.cutter.push(stream.subarray(at, at + read));
        reference.cutter.push(stream.subarray(at, at + read));
        expectEqualInLoop(tuned.cutter.stats, reference.cutter.stats);
      }
      tuned.cutter.flush();
      reference.cutter.flush();
      expectEqualInLoop(tuned.frames, reference.frames);
      expectEqualInLoop(tuned.drops, reference.drops);
    }
  });
});

/** A start byte and a header-shaped span whose length field is random (0–300): a false start that reads far ahead. */
function falseStart(): Buffer {
  const header = bytes(26, 0.05);
  header[0] = START_OF_FRAME;
  header.writeUInt16BE(int(301), 24);
  return header;
}

describe('FrameCutter decides inside held bytes as it would on the whole stream', () => {
  it('a held partial frame, then one large read of false starts, noise and frames: as the previous implementation', () => {
    for (let run = 0; run < 3000; run++) {
      const first = corpus[int(corpus.length)];
      const held = first.subarray(0, 1 + int(first.length - 1));
      // Noise first, so that false starts and frames fall anywhere in (or past) the window the held bytes are joined in.
      const parts: Buffer[] = [bytes(int(300), 0)];
      for (let i = 1 + int(6); i > 0; i--) {
        const kind = int(4);
        parts.push(kind === 0 ? falseStart() : kind === 1 ? bytes(int(60), 0.1) : corpus[int(corpus.length)]);
      }
      const rest = Buffer.concat(parts);
      const tuned = recorder((f, d) => new FrameCutter(f, d));
      const reference = recorder((f, d) => new ReferenceFrameCutter(f, d));
      for (const cutter of [tuned.cutter, reference.cutter]) {
        cutter.push(held);
        cutter.push(rest);
        cutter.flush();
      }
      expectEqualInLoop(tuned.frames, reference.frames);
      expectEqualInLoop(tuned.drops, reference.drops);
      expectEqualInLoop(tuned.cutter.stats, reference.cutter.stats);
    }
  });

  it('a false start just past the held bytes, reaching beyond the first 284 bytes of the read: a bad CRC, as on the whole stream', () => {
    const F = testFrame(30);
    const G = testFrame(10, { sequence: 2 });
    const falseStart = Buffer.concat([Buffer.of(START_OF_FRAME), Buffer.alloc(23, 0x11), Buffer.of(0x00, 0xfa)]); // length 250
    const read = Buffer.concat([Buffer.alloc(40, 0x22), falseStart, G, Buffer.alloc(300, 0x33)]);
    const tuned = recorder((f, d) => new FrameCutter(f, d));
    const reference = recorder((f, d) => new ReferenceFrameCutter(f, d));
    for (const cutter of [tuned.cutter, reference.cutter]) {
      cutter.push(F.subarray(0, 30));
      cutter.push(read);
    }
    expect(tuned.frames).toEqual([hex(G)]);
    expect(tuned.frames).toEqual(reference.frames);
    expect(tuned.drops).toEqual(reference.drops);
    expect(tuned.cutter.stats).toEqual(reference.cutter.stats);
  });
});

describe('FrameCutter: what it hands out stays valid', () => {
  it('frames kept while 200,000 more bytes pass in small reads (the slab is replaced many times) are unchanged', () => {
    const sent: Buffer[] = [];
    for (let length = 0; length < 200_000;) {
      const frame = corpus[int(corpus.length)];
      sent.push(frame);
      length += frame.length;
    }
    const stream = Buffer.concat(sent);
    expect(stream.length).toBeGreaterThanOrEqual(200_000);
    const kept: Buffer[] = [];
    const cutter = new FrameCutter((f) => kept.push(f));
    for (let at = 0; at < stream.length;) {
      const n = 1 + int(70);
      // Each read in a buffer of its own, as a stream delivers them.
      cutter.push(Buffer.from(stream.subarray(at, at + n)));
      at += n;
    }
    expect(kept.length).toBe(sent.length);
    kept.forEach((frame, i) => expect(hex(frame)).toBe(hex(sent[i])));
  });

  it('held bytes are the cutter’s own: a reader may reuse its buffer once push returns', () => {
    const frames = corpus.slice(0, 200);
    const stream = Buffer.concat(frames);
    const kept: Buffer[] = [];
    const cutter = new FrameCutter((f) => kept.push(Buffer.from(f)));
    const scratch = Buffer.alloc(50);
    for (let at = 0; at < stream.length; at += 50) {
      const n = stream.copy(scratch, 0, at, at + 50);
      cutter.push(scratch.subarray(0, n));
      scratch.fill(START_OF_FRAME); // the reader's next read overwrites its buffer
    }
    expect(kept.map(hex)).toEqual(frames.map(hex));
    expect(cutter.stats.discardedBytes).toBe(0);
  });

  it('frames and drop reports cut from held bytes survive later pushes and flushes', () => {
    const frame = corpus.find((f) => f.length > 60)!;
    const kept: Buffer[] = [];
    const drops: DropReport[] = [];
    const cutter = new FrameCutter(
      (f) => kept.push(f),
      (d) => drops.push(d),
    );
    // A frame split in two reads (cut from held bytes), then a truncated frame reported at flush, many times over.
    for (let i = 0; i < 300; i++) {
      cutter.push(Buffer.from(frame.subarray(0, 30)));
      cutter.push(Buffer.from(frame.subarray(30)));
      cutter.push(Buffer.from(frame.subarray(0, 40)));
      cutter.flush();
    }
    expect(kept.length).toBe(300);
    for (const f of kept) expect(hex(f)).toBe(hex(frame));
    expect(drops.length).toBe(300);
    for (const d of drops) expect(d.source && hex(d.source)).toBe(hex(frame.subarray(4, 12)));
  });
});
