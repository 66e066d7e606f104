/**
 * CRC-16/IBM-3740 (also known as CRC-16/CCITT-FALSE): poly 0x1021, init 0xFFFF, no reflection, xorout 0x0000.
 * Check value for the ASCII bytes "123456789" is 0x29B1 (the CRC catalogue's "check"). Chosen because every
 * bench tool and microcontroller library has it.
 *
 * The decoder's hot path, so it is table-driven "slicing-by-8": eight 256-entry tables, TABLES[k·256 + x] being the
 * CRC contribution of byte x followed by k zero bytes, fold eight input bytes per step (the CRC's two bytes are
 * XORed into the first two of them) into eight independent look-ups. The tail, and any range that reaches outside
 * the array, go one byte a step through the first table (the classic algorithm). Measured on 35–260-byte frames
 * under Node 20: 2.5–3.5 times the speed of the bytewise loop. tests/protocols/crc.test.ts checks it against the
 * bitwise definition for every length 0–300 at every start alignment.
 */
const SLICES = 8;
const TABLES = new Uint16Array(256 * SLICES);
for (let n = 0; n < 256; n++) {
  let c = n << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
  TABLES[n] = c & 0xffff;
}
for (let k = 1; k < SLICES; k++) {
  for (let n = 0; n < 256; n++) {
    const previous = TABLES[(k - 1) * 256 + n];
    TABLES[k * 256 + n] = ((previous << 8) & 0xffff) ^ TABLES[previous >>> 8];
  }
}

export const CRC16_CHECK_VALUE = 0x29b1;

export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLES;
  let crc = 0xffff;
  let i = start;
  // Slices only over whole indices inside the array: anything else (reading past the end gives `undefined`) goes
  // through the bytewise loop, exactly as it always did.
  if ((i | 0) === i && i >= 0 && end <= bytes.length) {
    for (const last = end - 8; i <= last; i += 8) {
      crc =
        t[0x700 + ((crc >>> 8) ^ bytes[i])] ^
        t[0x600 + ((crc & 0xff) ^ bytes[i + 1])] ^
        t[0x500 + bytes[i + 2]] ^
        t[0x400 + bytes[i + 3]] ^
        t[0x300 + bytes[i + 4]] ^
        t[0x200 + bytes[i + 5]] ^
        t[0x100 + bytes[i + 6]] ^
        t[bytes[i + 7]];
    }
  }
  for (; i < end; i++) crc = ((crc << 8) & 0xff00) ^ t[((crc >>> 8) ^ bytes[i]) & 0xff];
  return crc;
}
