// CRC-16/IBM-3740 (CCITT-FALSE): the catalogue check value, a bitwise reference, and the range arguments the
// frame code uses (bytes 1 … end of payload).
import { describe, expect, it } from 'vitest';
import { CRC16_CHECK_VALUE, crc16 } from '../../protocols/crc16';
import { prng } from './arbitraries';
import { bytewiseCrc16 } from './reference';

/** The textbook bit-at-a-time definition: poly 0x1021, init 0xFFFF, no reflection, no final XOR. */
function referenceCrc(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

describe('crc16', () => {
  it('of ASCII "123456789" is 0x29B1, the catalogue check value', () => {
    expect(crc16(Buffer.from('123456789', 'ascii'))).toBe(0x29b1);
    expect(CRC16_CHECK_VALUE).toBe(0x29b1);
  });

  it('of nothing is the initial value 0xFFFF; of one zero byte 0xE1F0', () => {
    expect(crc16(new Uint8Array(0))).toBe(0xffff);
    expect(crc16(Uint8Array.of(0))).toBe(0xe1f0);
  });

  it('matches the bitwise reference on 2,000 random inputs of 0–300 bytes', () => {
    const random = prng(29);
    for (let n = 0; n < 2000; n++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 301) }, () => Math.floor(random() * 256));
      expect(crc16(bytes)).toBe(referenceCrc(bytes));
    }
  });

  it('start and end select a range, as a subarray would', () => {
    const bytes = Buffer.from('xx123456789yyy', 'ascii');
    expect(crc16(bytes, 2, 11)).toBe(0x29b1);
    expect(crc16(bytes, 2)).toBe(referenceCrc(bytes.subarray(2)));
    expect(crc16(bytes, 5, 5)).toBe(0xffff);
  });

  it('appending the CRC (big-endian) gives a residue of 0', () => {
    const bytes = Buffer.from('123456789', 'ascii');
    expect(crc16(Buffer.concat([bytes, Buffer.from([0x29, 0xb1])]))).toBe(0);
  });

  it('slicing-by-8 equals the bytewise table and the bitwise definition: every length 0–300 at every start alignment', () => {
    const random = prng(1021);
    const backing = new Uint8Array(300 + 16 + 8);
    for (let i = 0; i < backing.length; i++) backing[i] = Math.floor(random() * 256);
    for (let length = 0; length <= 300; length++) {
      // Start offsets 0–15 within an array (the slicing covers 8 bytes a step), and views whose byteOffset is 0–7.
      for (let start = 0; start < 16; start++) {
        const expected = bytewiseCrc16(backing, start, start + length);
        expect(crc16(backing, start, start + length)).toBe(expected);
        if (start < 8) {
          const view = new Uint8Array(backing.buffer, start, length);
          expect(crc16(view)).toBe(expected);
          expect(crc16(Buffer.from(backing.buffer, start, length))).toBe(expected);
          if (length % 37 === 0) expect(referenceCrc(view)).toBe(expected);
        }
      }
    }
  });

  it('random ranges of random inputs: as the bytewise table; a range past the end reads as it always did', () => {
    const random = prng(0x1021);
    for (let n = 0; n < 3000; n++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 400) }, () => Math.floor(random() * 256));
      const start = Math.floor(random() * (bytes.length + 1));
      const end = start + Math.floor(random() * (bytes.length - start + 1));
      expect(crc16(bytes, start, end)).toBe(bytewiseCrc16(bytes, start, end));
      // Out of range (no caller does this): missing bytes count as the bytewise loop counted them.
      expect(crc16(bytes, start, bytes.length + 9)).toBe(bytewiseCrc16(bytes, start, bytes.length + 9));
    }
  });
});
