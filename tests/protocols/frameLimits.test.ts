// The frame header's limits, at and just past each edge (docs/protocol.md "Frame" and "Segmentation"): what
// encodeFrame writes and what it refuses with an EncodeError naming the field, segment counts on both sides, and
// reassembly refusing a segment out of order or with another count, and EUI-64 text. Written to kill mutants that
// `npm run mutation:protocols` found alive in frame.ts, segmentation.ts and eui64.ts (README, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { crc16 } from '../../protocols/crc16';
import { DecodeError, EncodeError } from '../../protocols/errors';
import { euiToBytes, EuiError, isEui64 } from '../../protocols/eui64';
import { decodeFrame, encodeFrame, type Frame } from '../../protocols/frame';
import { Reassembly, segmentPayload } from '../../protocols/segmentation';

const base: Frame = {
  type: 'command',
  sequence: 0,
  source: '00-00-00-00-00-00-00-01',
  destination: '00-DB-12-34-56-78-90-A0',
  messageId: 0x0101,
  segmentIndex: 0,
  segmentCount: 1,
  payload: new Uint8Array(0),
};

describe('encodeFrame at the edges of each header field', () => {
  it('writes the largest values every field can hold', () => {
    const bytes = encodeFrame({
      ...base,
      type: 'session',
      sequence: 255,
      messageId: 0xffff,
      segmentIndex: 254,
      segmentCount: 255,
      payload: new Uint8Array(256),
    });
    expect(bytes.length).toBe(28 + 256);
    // type 07 (session, the last frame type), sequence FF, message id FF FF, segment FE of FF, length 01 00
    expect([bytes[2], bytes[3], bytes[20], bytes[21], bytes[22], bytes[23], bytes[24], bytes[25]]).toEqual([
      0x07, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x01, 0x00,
    ]);
  });

  it.each([
    ['a payload of 257 bytes', { payload: new Uint8Array(257) }, 'payload of 257 bytes exceeds 256: segment it'],
    ['an unknown frame type', { type: 'hello' }, 'frame type "hello" is unknown'],
    ['sequence 256', { sequence: 256 }, 'sequence 256 is not 0–255'],
    ['sequence -1', { sequence: -1 }, 'sequence -1 is not 0–255'],
    ['sequence 1.5', { sequence: 1.5 }, 'sequence 1.5 is not 0–255'],
    ['message id 0x10000', { messageId: 0x10000 }, 'message id 65536 is not 0–0xFFFF'],
    ['message id -1', { messageId: -1 }, 'message id -1 is not 0–0xFFFF'],
    ['message id 1.5', { messageId: 1.5 }, 'message id 1.5 is not 0–0xFFFF'],
    ['segment count 0', { segmentIndex: 0, segmentCount: 0 }, 'segment 0 of 0 is impossible'],
    ['segment count 256', { segmentIndex: 0, segmentCount: 256 }, 'segment 0 of 256 is impossible'],
    ['segment count 1.5', { segmentIndex: 0, segmentCount: 1.5 }, 'segment 0 of 1.5 is impossible'],
    ['segment index -1', { segmentIndex: -1, segmentCount: 2 }, 'segment -1 of 2 is impossible'],
    ['segment index equal to the count', { segmentIndex: 2, segmentCount: 2 }, 'segment 2 of 2 is impossible'],
    [
      'a source in lower case',
      { source: '00-db-12-34-56-78-90-a0' },
      'source "00-db-12-34-56-78-90-a0" is not an EUI-64',
    ],
    [
      'a destination of seven bytes',
      { destination: '00-DB-12-34-56-78-90' },
      'destination "00-DB-12-34-56-78-90" is not an EUI-64',
    ],
  ])('refuses %s, naming it', (_label, change, text) => {
    expect(() => encodeFrame({ ...base, ...change } as Frame)).toThrowError(new EncodeError(text));
  });
});

describe('decodeFrame refuses impossible segment bytes behind a valid CRC', () => {
  it.each([
    [0, 0, 'segment 0 of 0 is impossible'],
    [1, 1, 'segment 1 of 1 is impossible'],
  ])('segment %i of %i', (index, count, text) => {
    const bytes = encodeFrame(base);
    bytes[22] = index;
    bytes[23] = count;
    bytes.writeUInt16BE(crc16(bytes, 1, 26), 26);
    expect(() => decodeFrame(bytes)).toThrowError(new DecodeError(text, 'malformedPayload'));
    try {
      decodeFrame(bytes);
    } catch (error) {
      expect((error as DecodeError).reason).toBe('malformedPayload');
    }
  });
});

describe('frame type byte at its edge (docs/protocol.md "Frame types": 01 … 07)', () => {
  const withType = (type: number) => {
    const bytes = encodeFrame(base);
    bytes[2] = type;
    bytes.writeUInt16BE(crc16(bytes, 1, 26), 26);
    return bytes;
  };

  it('07 is a session frame', () => {
    expect(decodeFrame(withType(0x07)).type).toBe('session');
  });

  it.each([
    [0x00, 'frame type 0x00 is unknown'],
    [0x08, 'frame type 0x08 is unknown'],
  ])('%i behind a valid CRC is refused as an unknown message', (type, text) => {
    expect(() => decodeFrame(withType(type))).toThrowError(new DecodeError(text, 'unknownMessage'));
    try {
      decodeFrame(withType(type));
    } catch (error) {
      expect((error as DecodeError).reason).toBe('unknownMessage');
    }
  });
});

describe('segmentation limits', () => {
  it('256 bytes is one segment, 257 two (256 + 1), 65,280 bytes 255 segments, 65,281 refused', () => {
    expect(segmentPayload(new Uint8Array(256)).map((s) => s.length)).toEqual([256]);
    expect(segmentPayload(new Uint8Array(257)).map((s) => s.length)).toEqual([256, 1]);
    expect(segmentPayload(new Uint8Array(65_280)).length).toBe(255);
    expect(() => segmentPayload(new Uint8Array(65_281))).toThrowError(
      new EncodeError('message of 65281 bytes needs 256 segments; at most 255 (65280 bytes)'),
    );
  });

  it('reassembly refuses a skipped segment and a segment with another count, and still completes in order', () => {
    const r = new Reassembly(0x0302, 3, 0);
    expect(r.add(0, 3, Uint8Array.of(1), 10)).toEqual({ kind: 'partial' });
    expect(r.add(2, 3, Uint8Array.of(3), 20)).toEqual({ kind: 'outOfOrder', expected: 1, got: 2 });
    expect(r.add(1, 4, Uint8Array.of(2), 20)).toEqual({ kind: 'outOfOrder', expected: 1, got: 1 });
    expect(r.add(0, 3, Uint8Array.of(1), 20)).toEqual({ kind: 'outOfOrder', expected: 1, got: 0 });
    expect(r.lastAt).toBe(10);
    expect(r.add(1, 3, Uint8Array.of(2), 30)).toEqual({ kind: 'partial' });
    expect(r.add(2, 3, Uint8Array.of(3, 4), 40)).toEqual({ kind: 'complete', payload: Uint8Array.of(1, 2, 3, 4) });
    expect([r.received, r.lastAt]).toEqual([3, 40]);
  });
});

describe('EUI-64 text (docs/protocol.md "Conventions": 00-DB-12-34-56-78-90-A0)', () => {
  it('is exactly eight upper-case hex bytes joined by dashes, nothing before or after', () => {
    const bad = [
      'X00-DB-12-34-56-78-90-A0',
      '00-DB-12-34-56-78-90-A0X',
      '00-DB-12-34-56-78-90-A0-',
      ' 00-DB-12-34-56-78-90-A0',
      '00DB1234567890A0',
    ];
    expect(bad.filter(isEui64)).toEqual([]);
    expect(isEui64('FF-00-DB-12-34-56-78-9A')).toBe(true);
  });

  it('becomes its eight bytes, most significant first, and text that is not one is refused', () => {
    expect([...euiToBytes('FF-00-DB-12-34-56-78-9A')]).toEqual([0xff, 0x00, 0xdb, 0x12, 0x34, 0x56, 0x78, 0x9a]);
    for (const text of ['X00-DB-12-34-56-78-90-A1', '00-db-12-34-56-78-90-a1']) {
      expect(() => euiToBytes(text)).toThrowError(
        new EuiError(`not an EUI-64: "${text}" (want e.g. 00-DB-12-34-56-78-90-A0)`),
      );
    }
  });
});
