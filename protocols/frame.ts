/**
 * One frame: header, payload, CRC (docs/protocol.md "Frame"). `encodeFrame` writes the bytes; `decodeFrame` reads a
 * whole, CRC-checked frame cut by the FrameCutter.
 *
 *   offset  0  SOF 0xA5          offset 12  destination EUI-64 (8)
 *           1  version 0x01             20  message id (u16 BE)
 *           2  frame type               22  segment index
 *           3  sequence number          23  segment count (1 = unsegmented)
 *           4  source EUI-64 (8)        24  payload length (u16 BE)
 *          26  payload … then CRC-16/IBM-3740 (BE) over bytes 1 … end of payload
 */
import {
  CRC_LENGTH,
  FrameType,
  HEADER_LENGTH,
  MAX_PAYLOAD,
  PROTOCOL_VERSION,
  START_OF_FRAME,
  frameTypeName,
  type FrameTypeName,
} from './constants';
import { crc16 } from './crc16';
import { DecodeError, EncodeError } from './errors';
import { EuiError, euiToBytes, readEui } from './eui64';

export interface Frame {
  type: FrameTypeName;
  sequence: number;
  source: string;
  destination: string;
  messageId: number;
  segmentIndex: number;
  segmentCount: number;
  payload: Uint8Array;
}

/*
 * The header is a fixed layout outside the command table, so decodeFrame reads it by hand: through binary-parser it
 * cost 400 ns a frame (a DataView and a `delete` per call), by hand about 40 ns, and every frame on every link pays it.
 */

// Module-local copies of the imported constants and function decodeFrame uses: under vitest's module runner (and
// tsx's) every use of an imported binding is a getter call on a module object, a measurable share of a small frame.
const HEADER = HEADER_LENGTH;
const MIN_FRAME = HEADER_LENGTH + CRC_LENGTH;
const VERSION = PROTOCOL_VERSION;
const eui = readEui;
/** frameTypeName as an array over every byte value, for the decoder's look-up. */
const TYPE_BY_CODE: (FrameTypeName | undefined)[] = Array.from({ length: 256 }, (_, code) => frameTypeName[code]);

/** Decodes one whole frame (SOF … CRC). Throws DecodeError; the cutter has already checked SOF, length and CRC. */
export function decodeFrame(bytes: Uint8Array): Frame {
  // The header's checks and fields, read in place (no intermediate header object).
  const size = bytes.length;
  if (size < MIN_FRAME) throw new DecodeError(`frame of ${size} bytes is shorter than a header and CRC`, 'badLength');
  const version = bytes[1];
  if (version !== VERSION)
    throw new DecodeError(
      `protocol version ${version} is not supported (this end speaks ${VERSION})`,
      'unsupportedVersion',
    );
  const length = (bytes[24] << 8) | bytes[25];
  if (size !== MIN_FRAME + length)
    throw new DecodeError(`frame of ${size} bytes declares a payload of ${length}`, 'badLength');
  const frameType = bytes[2];
  const type = TYPE_BY_CODE[frameType];
  if (type === undefined)
    throw new DecodeError(`frame type 0x${frameType.toString(16).padStart(2, '0')} is unknown`, 'unknownMessage');
  const segmentIndex = bytes[22];
  const segmentCount = bytes[23];
  if (segmentCount === 0 || segmentIndex >= segmentCount) {
    throw new DecodeError(`segment ${segmentIndex} of ${segmentCount} is impossible`, 'malformedPayload');
  }
  return {
    type,
    sequence: bytes[3],
    source: eui(bytes, 4),
    destination: eui(bytes, 12),
    messageId: (bytes[20] << 8) | bytes[21],
    segmentIndex,
    segmentCount,
    payload: bytes.subarray(HEADER, HEADER + length),
  };
}

function check(condition: boolean, text: string): asserts condition {
  if (!condition) throw new EncodeError(text);
}

function frameLength(payloadLength: number): number {
  return HEADER_LENGTH + payloadLength + CRC_LENGTH;
}

/**
 * An EUI's bytes, or EncodeError naming the field. euiToBytes checks the text's form only on a cache miss: every
 * frame carries two EUIs, and a pattern test of each on every frame was a measurable share of encoding one.
 */
function euiBytes(text: string, field: 'source' | 'destination'): Uint8Array {
  try {
    return euiToBytes(text);
  } catch (error) {
    if (error instanceof EuiError) throw new EncodeError(`${field} "${text}" is not an EUI-64`);
    throw error;
  }
}

const SOF = START_OF_FRAME;
/** A payload up to this long is copied byte by byte, a longer one by TypedArray#set (a builtin call, then a memmove). */
const SHORT_PAYLOAD = 32;
const ACK = FrameType.ack;
const NAK = FrameType.nak;
const crc = crc16;

/**
 * The ack (or, with a reason, the NAK) of a frame decodeFrame accepted: its sequence number, message id and segment
 * fields, its source and destination swapped, copied byte for byte. The bytes are those encodeFrame writes for the
 * same fields; every frame received but an ack or NAK is answered, and this spares each answer the frame object and
 * the two EUI look-ups.
 */
export function encodeAnswer(received: Uint8Array, reason?: number): Buffer {
  const length = reason === undefined ? 0 : 1;
  const end = HEADER + length;
  const out = Buffer.allocUnsafe(end + CRC_LENGTH);
  out[0] = SOF;
  out[1] = VERSION;
  out[2] = reason === undefined ? ACK : NAK;
  out[3] = received[3];
  for (let i = 0; i < 8; i++) {
    out[4 + i] = received[12 + i];
    out[12 + i] = received[4 + i];
  }
  out[20] = received[20];
  out[21] = received[21];
  out[22] = received[22];
  out[23] = received[23];
  out[24] = 0;
  out[25] = length;
  if (reason !== undefined) out[HEADER] = reason;
  const sum = crc(out, 1, end);
  out[end] = sum >>> 8;
  out[end + 1] = sum & 0xff;
  return out;
}

/**
 * Whether `bytes`, a whole frame, is one decodeFrame accepts as an ack with no payload: the answer to every frame sent,
 * which the link layer then reads in place (sequence, message id, source) without a frame object and a payload view.
 */
export function isPlainAck(bytes: Uint8Array): boolean {
  return (
    bytes.length === MIN_FRAME &&
    bytes[2] === ACK &&
    bytes[1] === VERSION &&
    bytes[24] === 0 &&
    bytes[25] === 0 &&
    bytes[22] < bytes[23] // so the count is not 0 either
  );
}

/** Writes a frame into a new buffer. Throws EncodeError naming the bad header field. */
export function encodeFrame(frame: Frame): Buffer {
  const { payload } = frame;
  check(payload.length <= MAX_PAYLOAD, `payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD}: segment it`);
  check(FrameType[frame.type] !== undefined, `frame type "${frame.type}" is unknown`);
  check(
    Number.isInteger(frame.sequence) && frame.sequence >= 0 && frame.sequence <= 255,
    `sequence ${frame.sequence} is not 0–255`,
  );
  check(
    Number.isInteger(frame.messageId) && frame.messageId >= 0 && frame.messageId <= 0xffff,
    `message id ${frame.messageId} is not 0–0xFFFF`,
  );
  check(
    Number.isInteger(frame.segmentCount) &&
      frame.segmentCount >= 1 &&
      frame.segmentCount <= 255 &&
      frame.segmentIndex >= 0 &&
      frame.segmentIndex < frame.segmentCount,
    `segment ${frame.segmentIndex} of ${frame.segmentCount} is impossible`,
  );
  const source = euiBytes(frame.source, 'source');
  const destination = euiBytes(frame.destination, 'destination');
  const out = Buffer.allocUnsafe(frameLength(payload.length));
  out[0] = START_OF_FRAME;
  out[1] = PROTOCOL_VERSION;
  out[2] = FrameType[frame.type];
  out[3] = frame.sequence;
  // byte by byte, as the payload when it is short: TypedArray#set is a call into a builtin for 8 bytes
  for (let i = 0; i < 8; i++) {
    out[4 + i] = source[i];
    out[12 + i] = destination[i];
  }
  // byte by byte: the values are checked above, and Buffer#writeUInt16BE checks each again (three per frame)
  const { messageId } = frame;
  out[20] = messageId >>> 8;
  out[21] = messageId & 0xff;
  out[22] = frame.segmentIndex;
  out[23] = frame.segmentCount;
  const length = payload.length;
  out[24] = length >>> 8;
  out[25] = length & 0xff;
  if (length <= SHORT_PAYLOAD) for (let i = 0; i < length; i++) out[HEADER + i] = payload[i];
  else out.set(payload, HEADER);
  const end = HEADER + length;
  const sum = crc(out, 1, end);
  out[end] = sum >>> 8;
  out[end + 1] = sum & 0xff;
  return out;
}
