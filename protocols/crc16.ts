/**
 * CRC-16/IBM-3740 (also known as CRC-16/CCITT-FALSE): poly 0x1021, init 0xFFFF, no reflection, xorout 0x0000.
 * Check value for the ASCII bytes "123456789" is 0x29B1 (the CRC catalogue's "check"). Chosen because every
 * bench tool and microcontroller library has it. Table-driven, one byte a step: the decoder's hot path.
 */
const TABLE = new Uint16Array(256);
for (let n = 0; n < 256; n++) {
  let c = n << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
  TABLE[n] = c & 0xffff;
}

export const CRC16_CHECK_VALUE = 0x29b1;

export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xff00) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff];
  return crc;
}
