// FrameParser (bytes → Frame objects) and FrameWriter (Frame objects → bytes) as Node streams.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Random, seedRandom } from '../../common/random';
import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError } from '../../protocols/errors';
import type { Frame } from '../../protocols/frame';
import { FrameParser, type ParserStats } from '../../protocols/parser';
import { FrameWriter } from '../../protocols/writer';
import { DEVICE, HARNESS, hex, testFrame, withLength, withValidCrc } from './frames';

async function parse(chunks: readonly Buffer[]) {
  const parser = new FrameParser();
  const drops: unknown[] = [];
  parser.on('drop', (d) => drops.push(d));
  const frames: Frame[] = [];
  await pipeline(Readable.from(chunks), parser, async (source: AsyncIterable<Frame>) => {
    for await (const frame of source) frames.push(frame);
  });
  return { frames, drops, stats: parser.stats };
}

const zeroStats: ParserStats = {
  bytesIn: 0,
  frames: 0,
  discardedBytes: 0,
  badCrc: 0,
  oversize: 0,
  truncated: 0,
  unknownType: 0,
  unsupportedVersion: 0,
  malformed: 0,
};

const F = testFrame(30);
const G = testFrame(10, { sequence: 2 });
const summary = (f: Frame) => ({ ...f, payload: hex(f.payload) });

describe('FrameParser', () => {
  it('decodes frames from any chunking, two frames in one chunk included', async () => {
    const stream = Buffer.concat([F, G, F]);
    const chunkings = [
      [stream],
      [F, Buffer.concat([G, F])],
      Array.from(stream, (b) => Buffer.of(b)),
      [stream.subarray(0, 57), stream.subarray(57, 60), stream.subarray(60)],
    ];
    for (const chunks of chunkings) {
      const { frames, drops, stats } = await parse(chunks);
      expect(frames.map(summary)).toEqual([
        {
          type: 'command',
          sequence: 1,
          source: HARNESS,
          destination: DEVICE,
          messageId: 0x0102,
          segmentIndex: 0,
          segmentCount: 1,
          payload: hex(F.subarray(26, 56)),
        },
        {
          type: 'command',
          sequence: 2,
          source: HARNESS,
          destination: DEVICE,
          messageId: 0x0102,
          segmentIndex: 0,
          segmentCount: 1,
          payload: hex(G.subarray(26, 36)),
        },
        {
          type: 'command',
          sequence: 1,
          source: HARNESS,
          destination: DEVICE,
          messageId: 0x0102,
          segmentIndex: 0,
          segmentCount: 1,
          payload: hex(F.subarray(26, 56)),
        },
      ]);
      expect(drops).toEqual([]);
      expect(stats).toEqual({ ...zeroStats, bytesIn: 154, frames: 3 });
    }
  });

  it('noise, a truncated frame, a bad CRC, an oversize length and a partial frame at the end: the valid frames, exact counts', async () => {
    const badCrc = Buffer.from(G);
    badCrc[30] ^= 0xff;
    const chunks = [
      Buffer.from('0102030405', 'hex'), // noise: 5 bytes
      F.subarray(0, 40), // truncated (completed by the next frame's bytes, so first seen as a bad CRC)
      G, // valid
      badCrc, // bad CRC: 38 bytes
      withLength(G, 300), // oversize: 38 bytes
      F, // valid
      G.subarray(0, 30), // partial at the end of input: truncated by the flush
    ];
    const { frames, drops, stats } = await parse(chunks);
    expect(frames.map((f) => f.sequence)).toEqual([2, 1]);
    expect(drops.map((d) => (d as { reason: string }).reason)).toEqual(['badCrc', 'badCrc', 'oversize', 'truncated']);
    expect(stats).toEqual({
      ...zeroStats,
      bytesIn: 5 + 40 + 38 + 38 + 38 + 58 + 30,
      frames: 2,
      discardedBytes: 5 + 40 + 38 + 38 + 30,
      truncated: 2,
      badCrc: 1,
      oversize: 1,
    });
  });

  it('a CRC-valid frame with an impossible header is dropped as malformed with a DecodeError, and the next frame still comes', async () => {
    const segment3of2 = Buffer.from(F);
    segment3of2[22] = 3;
    segment3of2[23] = 2;
    const noSegments = Buffer.from(F);
    noSegments[23] = 0;
    const { frames, drops, stats } = await parse([withValidCrc(segment3of2), withValidCrc(noSegments), G]);
    expect(frames.map((f) => f.sequence)).toEqual([2]);
    expect(drops).toHaveLength(2);
    for (const [drop, text] of [
      [drops[0], 'segment 3 of 2 is impossible'],
      [drops[1], 'segment 0 of 0 is impossible'],
    ] as const) {
      const { reason, error } = drop as { reason: string; error: DecodeError };
      expect(reason).toBe('malformed');
      expect(error).toBeInstanceOf(DecodeError);
      expect(error.reason).toBe('malformedPayload');
      expect(error.message).toBe(text);
    }
    // The cutter counts them as frames (their CRC is valid); the parser counts them malformed.
    expect(stats).toEqual({ ...zeroStats, bytesIn: 154, frames: 3, malformed: 2 });
  });

  it('never errors on garbage: 64 kB of pseudo-random bytes end cleanly', async () => {
    const random = new Random(seedRandom(1));
    const garbage = Buffer.from(Array.from({ length: 65536 }, () => random.int(0, 255)));
    const { frames, stats } = await parse([garbage.subarray(0, 30000), garbage.subarray(30000), G]);
    expect(frames.map((f) => f.sequence)).toEqual([2]);
    expect(stats.frames).toBe(1);
    expect(stats.bytesIn).toBe(65536 + 38);
    expect(stats.discardedBytes).toBe(65536);
    expect(stats.oversize + stats.badCrc + stats.truncated).toBeGreaterThan(0);
  });
});

describe('FrameWriter', () => {
  it('writes frames that the parser reads back identically', async () => {
    const sent: Frame[] = [
      {
        type: 'command',
        sequence: 0,
        source: HARNESS,
        destination: DEVICE,
        messageId: 0x0101,
        segmentIndex: 0,
        segmentCount: 1,
        payload: Buffer.from('0007', 'hex'),
      },
      {
        type: 'ack',
        sequence: 0,
        source: DEVICE,
        destination: HARNESS,
        messageId: 0x0101,
        segmentIndex: 0,
        segmentCount: 1,
        payload: Buffer.alloc(0),
      },
      {
        type: 'nak',
        sequence: 255,
        source: DEVICE,
        destination: HARNESS,
        messageId: 0x0f06,
        segmentIndex: 4,
        segmentCount: 5,
        payload: Buffer.of(1),
      },
      {
        type: 'alert',
        sequence: 9,
        source: DEVICE,
        destination: HARNESS,
        messageId: 0x0601,
        segmentIndex: 0,
        segmentCount: 1,
        payload: Buffer.alloc(256, 0xa5),
      },
    ];
    const bytes: Buffer[] = [];
    await pipeline(Readable.from(sent), new FrameWriter(), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) bytes.push(chunk);
    });
    expect(Buffer.concat(bytes).length).toBe(30 + 28 + 29 + 284);
    const { frames, stats } = await parse([Buffer.concat(bytes)]);
    expect(frames.map(summary)).toEqual(sent.map(summary));
    expect(stats).toEqual({ ...zeroStats, bytesIn: 371, frames: 4 });
  });

  it('fails the stream with an EncodeError naming the bad header field', async () => {
    const bad = {
      type: 'command',
      sequence: 256,
      source: HARNESS,
      destination: DEVICE,
      messageId: 1,
      segmentIndex: 0,
      segmentCount: 1,
      payload: Buffer.alloc(0),
    } satisfies Frame;
    await expect(
      pipeline(Readable.from([bad]), new FrameWriter(), async (source: AsyncIterable<Buffer>) => {
        for await (const _ of source) void _;
      }),
    ).rejects.toThrowError(new EncodeError('sequence 256 is not 0–255'));
  });
});
