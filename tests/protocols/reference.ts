// The implementations the hot path had before it was tuned for throughput (git history: protocols/crc16.ts,
// frameCutter.ts, frame.ts, eui64.ts), kept verbatim as references: the equivalence tests (crc.test.ts,
// headerDecode.test.ts, cutterEquivalence.test.ts) check that the tuned code behaves exactly like them (same frames,
// drop reports, counters, values and errors) on valid and damaged input.
//
// What this oracle can catch: a tuning that changes behaviour — slicing-by-8 CRC diverging from the bytewise table at
// some length or alignment, the EUI text memo returning a stale entry after a collision, the slab cutter cutting a
// frame differently under some chunking. What it cannot catch: any bug older than the rewrite. A wrong header field
// offset, a wrong drop rule or a wrong error text that the old code already had is in this file too, and the
// equivalence tests pass with it. Those are pinned by expectations written by hand, independently of both
// implementations: the catalogue check values in crc.test.ts (0x29B1 for "123456789", 0xE1F0 for one zero byte), the
// worked frames of docs/protocol.md (golden.test.ts), the hand-built streams of cutter.test.ts (each drop reason and
// count written out), the edge frames of frameLimits.test.ts and the payload vectors of payloadVectors.test.ts. A new
// behaviour belongs in those; this file changes only if the old behaviour was wrong, in the same commit as the fix.
import {
  CRC_LENGTH,
  HEADER_LENGTH,
  MAX_PAYLOAD,
  PROTOCOL_VERSION,
  START_OF_FRAME,
  frameTypeName,
  type FrameTypeName,
} from '../../protocols/constants';
import { DecodeError } from '../../protocols/errors';
import type { Frame } from '../../protocols/frame';
import { emptyStats, type CutterStats, type DropReason, type DropReport } from '../../protocols/frameCutter';

// ── crc16: table-driven, one byte a step ───────────────────────────────────────────────────────────────────────

const TABLE = new Uint16Array(256);
for (let n = 0; n < 256; n++) {
  let c = n << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
  TABLE[n] = c & 0xffff;
}

export function bytewiseCrc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xff00) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff];
  return crc;
}

// ── eui64: halves to text ──────────────────────────────────────────────────────────────────────────────────────

// Written differently from protocols/eui64.ts (no byte table): 16 hex digits, cut into pairs.
export function referenceEuiFromHalves(hi: number, lo: number): string {
  const digits = (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
  return digits.toUpperCase().match(/../g)!.join('-');
}

export function referenceReadEui(bytes: Uint8Array, offset: number): string {
  const hi = ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
  const lo =
    ((bytes[offset + 4] << 24) | (bytes[offset + 5] << 16) | (bytes[offset + 6] << 8) | bytes[offset + 7]) >>> 0;
  return referenceEuiFromHalves(hi, lo);
}

// ── frame: decodeFrame through peekHeader ──────────────────────────────────────────────────────────────────────

function peekHeader(bytes: Uint8Array) {
  return {
    version: bytes[1],
    frameType: bytes[2],
    sequence: bytes[3],
    source: referenceReadEui(bytes, 4),
    destination: referenceReadEui(bytes, 12),
    messageId: (bytes[20] << 8) | bytes[21],
    segmentIndex: bytes[22],
    segmentCount: bytes[23],
    length: (bytes[24] << 8) | bytes[25],
  };
}

export function referenceDecodeFrame(bytes: Uint8Array): Frame {
  if (bytes.length < HEADER_LENGTH + CRC_LENGTH)
    throw new DecodeError(`frame of ${bytes.length} bytes is shorter than a header and CRC`, 'badLength');
  const h = peekHeader(bytes);
  if (h.version !== PROTOCOL_VERSION)
    throw new DecodeError(
      `protocol version ${h.version} is not supported (this end speaks ${PROTOCOL_VERSION})`,
      'unsupportedVersion',
    );
  if (bytes.length !== HEADER_LENGTH + h.length + CRC_LENGTH) {
    throw new DecodeError(`frame of ${bytes.length} bytes declares a payload of ${h.length}`, 'badLength');
  }
  const type: FrameTypeName | undefined = frameTypeName[h.frameType];
  if (type === undefined)
    throw new DecodeError(`frame type 0x${h.frameType.toString(16).padStart(2, '0')} is unknown`, 'unknownMessage');
  if (h.segmentCount === 0 || h.segmentIndex >= h.segmentCount) {
    throw new DecodeError(`segment ${h.segmentIndex} of ${h.segmentCount} is impossible`, 'malformedPayload');
  }
  return {
    type,
    sequence: h.sequence,
    source: h.source,
    destination: h.destination,
    messageId: h.messageId,
    segmentIndex: h.segmentIndex,
    segmentCount: h.segmentCount,
    payload: bytes.subarray(HEADER_LENGTH, HEADER_LENGTH + h.length),
  };
}

// ── frameCutter: Buffer.concat of the held bytes and each chunk ────────────────────────────────────────────────

const readU16 = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const crc16 = bytewiseCrc16;

export class ReferenceFrameCutter {
  readonly stats: CutterStats = emptyStats();
  private pending: Buffer | null = null;
  /** End of the span of the last counted bad frame: false SOFs inside it are not counted again. */
  private badSpanEnd = 0;
  /** Whether the last counted bad CRC could still turn out to be a truncation (a valid frame starts inside it). */
  private lastBadCrcOpen = false;

  constructor(
    private readonly onFrame: (frame: Buffer) => void,
    private readonly onDrop: (report: DropReport) => void = () => {},
  ) {}

  push(chunk: Uint8Array): void {
    this.stats.bytesIn += chunk.length;
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    // badSpanEnd is an offset into this buffer (rebased when bytes are kept for the next push).
    const buf = this.pending ? Buffer.concat([this.pending, input]) : input;
    let pos = 0;
    const len = buf.length;
    while (pos < len) {
      const sof = buf.indexOf(START_OF_FRAME, pos);
      if (sof < 0) {
        this.discard(len - pos);
        pos = len;
        break;
      }
      this.discard(sof - pos);
      pos = sof;
      if (len - pos < HEADER_LENGTH) break;
      const length = readU16(buf, pos + 24);
      if (length > MAX_PAYLOAD) {
        if (pos >= this.badSpanEnd) this.drop('oversize', buf, pos);
        this.discard(1);
        pos += 1;
        continue;
      }
      const total = HEADER_LENGTH + length + CRC_LENGTH;
      if (len - pos < total) {
        const next = this.completeFrameAfter(buf, pos + 1, len);
        if (next < 0) break;
        // A complete frame starts inside this candidate: the candidate was cut short.
        if (pos >= this.badSpanEnd) this.drop('truncated', buf, pos);
        this.discard(next - pos);
        pos = next;
        continue;
      }
      const end = pos + HEADER_LENGTH + length;
      if (crc16(buf, pos + 1, end) !== readU16(buf, end)) {
        if (pos >= this.badSpanEnd) {
          this.drop('badCrc', buf, pos);
          this.badSpanEnd = pos + total;
          this.lastBadCrcOpen = true;
        }
        this.discard(1);
        pos += 1;
        continue;
      }
      // A valid frame inside the span of a counted bad CRC: that "bad CRC" was really a frame cut short.
      if (pos < this.badSpanEnd && this.lastBadCrcOpen) {
        this.stats.badCrc--;
        this.stats.truncated++;
      }
      this.lastBadCrcOpen = false;
      this.badSpanEnd = 0;
      const version = buf[pos + 1];
      if (version !== PROTOCOL_VERSION) {
        this.drop('unsupportedVersion', buf, pos);
        this.discard(total);
      } else if (frameTypeName[buf[pos + 2]] === undefined) {
        this.drop('unknownType', buf, pos);
        this.discard(total);
      } else {
        this.stats.frames++;
        this.onFrame(buf.subarray(pos, pos + total));
      }
      pos += total;
    }
    if (pos >= len) {
      this.pending = null;
      this.badSpanEnd = 0;
    } else {
      this.pending = buf.subarray(pos);
      this.badSpanEnd = Math.max(0, this.badSpanEnd - pos);
    }
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.pending?.length ?? 0;
  }

  /** End of input (stream end, or a link layer's idle timeout): an incomplete frame is counted as truncated. */
  flush(): void {
    if (!this.pending) return;
    this.drop('truncated', this.pending, 0);
    this.discard(this.pending.length);
    this.pending = null;
    this.badSpanEnd = 0;
  }

  /** Offset of the first complete CRC-valid frame starting in [from, len), or -1. */
  private completeFrameAfter(buf: Buffer, from: number, len: number): number {
    let p = buf.indexOf(START_OF_FRAME, from);
    while (p >= 0 && len - p >= HEADER_LENGTH) {
      const length = readU16(buf, p + 24);
      const end = p + HEADER_LENGTH + length;
      if (length <= MAX_PAYLOAD && end + CRC_LENGTH <= len && crc16(buf, p + 1, end) === readU16(buf, end)) return p;
      p = buf.indexOf(START_OF_FRAME, p + 1);
    }
    return -1;
  }

  private discard(n: number): void {
    this.stats.discardedBytes += n;
  }

  private drop(reason: DropReason, buf: Uint8Array, pos: number): void {
    this.stats[reason]++;
    const report: DropReport = { reason };
    const frameLike =
      reason === 'unsupportedVersion' ||
      reason === 'unknownType' ||
      (buf[pos + 1] === PROTOCOL_VERSION && frameTypeName[buf[pos + 2]] !== undefined);
    if (buf.length - pos >= HEADER_LENGTH && frameLike) {
      report.source = buf.subarray(pos + 4, pos + 12);
      report.sequence = buf[pos + 3];
      report.messageId = readU16(buf, pos + 20);
    }
    this.onDrop(report);
  }
}
