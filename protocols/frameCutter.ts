/**
 * Cuts whole frames out of a byte stream chunked any way at all, resyncing after noise. It never throws: every
 * byte it cannot use is counted, and every frame it refuses is reported with the reason a NAK would give.
 *
 * Resync rule: look for SOF; take the header's length; wait for that many bytes; a frame is valid when its
 * CRC matches. On a bad CRC or an impossible length, step one byte past that SOF and search again, so a real frame
 * that follows garbage (or a truncated frame) is still found. A candidate that is still incomplete while a complete,
 * CRC-valid frame already starts later in the buffer is a truncated frame and is dropped at once, so a valid frame
 * never waits behind noise for traffic that may not come.
 */
import { CRC_LENGTH, HEADER_LENGTH, MAX_PAYLOAD, PROTOCOL_VERSION, START_OF_FRAME, frameTypeName } from './constants';
import { crc16 } from './crc16';

export type DropReason = 'badCrc' | 'oversize' | 'truncated' | 'unknownType' | 'unsupportedVersion';

export interface DropReport {
  reason: DropReason;
  /**
   * Header fields as received (may themselves be corrupt): enough for a NAK to name the frame. Present only when the
   * bytes look like a frame (version 01 and a known type, or a valid CRC): random noise is not answered.
   */
  source?: Uint8Array;
  sequence?: number;
  messageId?: number;
}

export interface CutterStats {
  bytesIn: number;
  frames: number;
  /** Bytes that were not part of a valid frame (noise, bad frames), as they are passed over. */
  discardedBytes: number;
  badCrc: number;
  oversize: number;
  truncated: number;
  unknownType: number;
  unsupportedVersion: number;
}

export function emptyStats(): CutterStats {
  return { bytesIn: 0, frames: 0, discardedBytes: 0, badCrc: 0, oversize: 0, truncated: 0, unknownType: 0, unsupportedVersion: 0 };
}

const readU16 = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];

export class FrameCutter {
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
      reason === 'unsupportedVersion' || reason === 'unknownType' || (buf[pos + 1] === PROTOCOL_VERSION && frameTypeName[buf[pos + 2]] !== undefined);
    if (buf.length - pos >= HEADER_LENGTH && frameLike) {
      report.source = buf.subarray(pos + 4, pos + 12);
      report.sequence = buf[pos + 3];
      report.messageId = readU16(buf, pos + 20);
    }
    this.onDrop(report);
  }
}
