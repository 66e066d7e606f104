// decodeFrame reads the header in place, and EUI text comes from a direct-mapped memo in front of the EUI maps:
// both must give exactly what the previous code gave (tests/protocols/reference.ts), on any bytes.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../protocols/errors';
import { decodeFrame, isPlainAck } from '../../protocols/frame';
import { euiFromHalves, readEui } from '../../protocols/eui64';
import { expectEqualInLoop } from '../support/equalInLoop';
import { prng } from './arbitraries';
import { referenceDecodeFrame, referenceEuiFromHalves, referenceReadEui } from './reference';

describe('EUI text from bytes and halves', () => {
  it('20,000 distinct EUIs, read three times over (memo slots collide and are retaken): as the reference', () => {
    const random = prng(64);
    const ids = new Uint8Array(20_000 * 8);
    for (let i = 0; i < ids.length; i++) ids[i] = Math.floor(random() * 256);
    for (let pass = 0; pass < 3; pass++) {
      for (let i = 0; i < 20_000; i++) {
        const at = pass === 1 ? (i * 7919) % 20_000 : i;
        expectEqualInLoop(readEui(ids, at * 8), referenceReadEui(ids, at * 8));
        const hi = ((ids[at * 8] << 24) | (ids[at * 8 + 1] << 16) | (ids[at * 8 + 2] << 8) | ids[at * 8 + 3]) >>> 0;
        const lo = ((ids[at * 8 + 4] << 24) | (ids[at * 8 + 5] << 16) | (ids[at * 8 + 6] << 8) | ids[at * 8 + 7]) >>> 0;
        expectEqualInLoop(euiFromHalves(hi, lo), referenceEuiFromHalves(hi, lo));
      }
    }
  });

  it('edge halves, and values that are not unsigned 32-bit integers, as the reference', () => {
    const values = [
      0,
      1,
      0x3fffffff,
      0x40000000,
      0x7fffffff,
      0x80000000,
      0xfffffffe,
      0xffffffff,
      -1,
      -0x80000000,
      1.5,
      2 ** 32,
      2 ** 32 + 5,
      NaN,
    ];
    for (const hi of values) {
      for (const lo of values) {
        // Twice: the first call may fill the memo, the second may hit it.
        expect(euiFromHalves(hi, lo)).toBe(referenceEuiFromHalves(hi, lo));
        expect(euiFromHalves(hi, lo)).toBe(referenceEuiFromHalves(hi, lo));
      }
    }
    expect(euiFromHalves(0xffffffff, 0xffffffff)).toBe('FF-FF-FF-FF-FF-FF-FF-FF');
    expect(euiFromHalves(-1, -1)).toBe(referenceEuiFromHalves(-1, -1));
  });
});

describe('decodeFrame', () => {
  function outcome(decode: (bytes: Uint8Array) => unknown, bytes: Uint8Array) {
    try {
      const frame = decode(bytes) as { payload: Uint8Array };
      return { frame, payloadIsBuffer: Buffer.isBuffer(frame.payload), payloadOffset: frame.payload.byteOffset };
    } catch (error) {
      return { error: error instanceof DecodeError ? `${error.reason}: ${error.message}` : String(error) };
    }
  }

  it('20,000 random headers (valid and not), as Buffers and plain Uint8Arrays: the same frame or the same DecodeError', () => {
    const random = prng(26);
    const int = (n: number) => Math.floor(random() * n);
    for (let n = 0; n < 20_000; n++) {
      const length = int(10) === 0 ? int(28) : 28 + int(40);
      const bytes = Buffer.from(Array.from({ length }, () => int(256)));
      if (length >= 26 && random() < 0.8) {
        // Mostly plausible: version 1, a known type, a consistent length, a possible segment.
        if (random() < 0.9) bytes[1] = 1;
        if (random() < 0.8) bytes[2] = 1 + int(6);
        if (random() < 0.8) bytes.writeUInt16BE(Math.max(0, length - 28), 24);
        if (random() < 0.8) {
          bytes[23] = 1 + int(5);
          bytes[22] = int(bytes[23] + 1);
        }
      }
      for (const input of [bytes, Uint8Array.from(bytes)]) {
        expectEqualInLoop(outcome(decodeFrame, input), outcome(referenceDecodeFrame, input));
      }
    }
  });
});

describe('isPlainAck', () => {
  it('20,000 random headers: true exactly for the frames decodeFrame reads as an ack with an empty payload', () => {
    const random = prng(27);
    const int = (n: number) => Math.floor(random() * n);
    let acks = 0;
    for (let n = 0; n < 20_000; n++) {
      const length = int(4) === 0 ? 26 + int(6) : 28;
      const bytes = Buffer.from(Array.from({ length }, () => int(256)));
      // Mostly plausible acks, each field sometimes wrong: version, type, length, segment fields.
      if (random() < 0.9) bytes[1] = 1;
      if (random() < 0.8) bytes[2] = random() < 0.8 ? 0x04 : 1 + int(6);
      if (random() < 0.85) bytes.writeUInt16BE(random() < 0.9 ? 0 : int(3), 24);
      if (random() < 0.85) {
        bytes[23] = int(4);
        bytes[22] = int(bytes[23] + 1);
      }
      let expected: boolean;
      try {
        const frame = decodeFrame(bytes);
        expected = frame.type === 'ack' && frame.payload.length === 0;
      } catch {
        expected = false;
      }
      if (expected) acks++;
      expectEqualInLoop(isPlainAck(bytes), expected);
    }
    // both answers drawn often enough to mean something
    expect(acks).toBeGreaterThan(2_000);
    expect(acks).toBeLessThan(18_000);
  });
});
