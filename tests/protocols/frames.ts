// Hand-made frames for the cutter and parser tests. The default EUIs, ids and payloads contain no 0xA5 byte, so
// the only start-of-frame bytes in a stream are the ones a test puts there on purpose.
import { HEADER_LENGTH } from '../../protocols/constants';
import { crc16 } from '../../protocols/crc16';
import { encodeFrame, type Frame } from '../../protocols/frame';

export const DEVICE = '00-DB-12-34-56-78-90-A0';
export const HARNESS = '00-00-00-00-00-00-00-01';

/** A command frame with `payloadLength` bytes 0x00, 0x01, … (mod 0xA5: never a start byte). */
export function testFrame(payloadLength: number, overrides: Partial<Frame> = {}): Buffer {
  return encodeFrame({
    type: 'command',
    sequence: 1,
    source: HARNESS,
    destination: DEVICE,
    messageId: 0x0102,
    segmentIndex: 0,
    segmentCount: 1,
    payload: Uint8Array.from({ length: payloadLength }, (_, i) => i % 0xa5),
    ...overrides,
  });
}

/** Rewrites the CRC after a test edited header or payload bytes, so only the edit is wrong. */
export function withValidCrc(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  out.writeUInt16BE(crc16(out, 1, out.length - 2), out.length - 2);
  return out;
}

/** A frame whose declared payload length is `length` (CRC recomputed over what is there). */
export function withLength(bytes: Buffer, length: number): Buffer {
  const out = Buffer.from(bytes);
  out.writeUInt16BE(length, HEADER_LENGTH - 2);
  return out;
}

export const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
