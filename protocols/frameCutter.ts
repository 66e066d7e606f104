/**
 * Cuts whole frames out of a byte stream chunked any way at all, resyncing after noise. It never throws: every
 * byte it cannot use is counted, and every frame it refuses is reported with the reason a NAK would give.
 *
 * Resync rule: look for SOF; take the header's length; wait for that many bytes; a frame is valid when its
 * CRC matches. On a bad CRC or an impossible length, step one byte past that SOF and search again, so a real frame
 * that follows garbage (or a truncated frame) is still found. A candidate that is still incomplete while a complete,
 * CRC-valid frame already starts later in the buffer is a truncated frame and is dropped at once, so a valid frame
 * never waits behind noise for traffic that may not come.
 *
 * Frames handed to onFrame are views, never copies, and stay valid for as long as they are kept: of the pushed chunk
 * when the frame lies inside it, else of the cutter's append-only slab (see `slab`). Bytes held between pushes are
 * the cutter's own copy, so a reader may reuse its buffer once push returns (frames inside a chunk are still views
 * of that chunk: a reader that reuses its buffer must copy those it keeps).
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
  return {
    bytesIn: 0,
    frames: 0,
    discardedBytes: 0,
    badCrc: 0,
    oversize: 0,
    truncated: 0,
    unknownType: 0,
    unsupportedVersion: 0,
  };
}

// Module-local copies of the imported constants and function the hot loop uses: under vitest's module runner every
// use of an imported binding is a getter call on a module object, which cost the cutter up to a third of its speed.
const SOF = START_OF_FRAME;
const VERSION = PROTOCOL_VERSION;
const HEADER = HEADER_LENGTH;
const OVERHEAD = HEADER_LENGTH + CRC_LENGTH;
const MAX_LENGTH = MAX_PAYLOAD;
/** The longest frame: no decision at an offset looks further ahead than this (see `push`). */
const LOOKAHEAD = HEADER_LENGTH + MAX_PAYLOAD + CRC_LENGTH;
/** Held bytes and a chunk's first LOOKAHEAD bytes need at most 2 × LOOKAHEAD (568) bytes: a slab fits several. */
const SLAB_SIZE = 2048;
const crc = crc16;
/** 1 for each frame type byte frameTypeName knows. */
const KNOWN_TYPE = Uint8Array.from({ length: 256 }, (_, code) => (frameTypeName[code] === undefined ? 0 : 1));

const readU16 = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];

export class FrameCutter {
  readonly stats: CutterStats = emptyStats();
  /**
   * Bytes held between pushes, at slab[start, start + held). A frame split across reads is joined in the slab, not by
   * concatenating a new buffer on every push: the held bytes stay where they are and the next chunk's first bytes are
   * appended after them. The slab is append-only (`free` is its first unwritten byte; a full slab is replaced, never
   * rewritten), so frames and drop reports cut from it are views that stay valid as long as anyone keeps them.
   */
  private slab: Buffer | undefined;
  private start = 0;
  private held = 0;
  private free = 0;
  /** End of the span of the last counted bad frame: false SOFs inside it are not counted again. */
  private badSpanEnd = 0;
  /** Whether the last counted bad CRC could still turn out to be a truncation (a valid frame starts inside it). */
  private lastBadCrcOpen = false;

  constructor(
    private readonly onFrame: (frame: Buffer) => void,
    private readonly onDrop: (report: DropReport) => void = () => {},
  ) {}

  /**
   * Cuts what it can from the held bytes followed by `chunk`. Frames are views: of `chunk` when they lie inside it
   * (a stream does not reuse its chunks), else of the cutter's append-only slab; neither is ever overwritten.
   */
  push(chunk: Uint8Array): void {
    this.stats.bytesIn += chunk.length;
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let pos = 0;
    const held = this.held;
    if (held > 0) {
      // The held bytes and the start of the chunk, joined in the slab. Every decision at an offset depends only on
      // the next LOOKAHEAD bytes, or on all the bytes when fewer remain, so while the scan is inside the held bytes
      // this window decides exactly as the whole stream would; once past them it carries on in the chunk itself.
      const take = Math.min(input.length, LOOKAHEAD);
      const slab = this.room(held + take, held);
      const start = this.start;
      const mid = start + held;
      copyBytes(input, 0, slab, mid, take);
      const len = mid + take;
      this.free = len;
      this.badSpanEnd += start;
      pos = this.cut(slab, start, len, mid);
      if (pos < mid) {
        // Still waiting inside the held bytes (so the window held all there is): what is left stays where it is.
        this.start = pos;
        this.held = len - pos;
        this.badSpanEnd = Math.max(0, this.badSpanEnd - pos);
        return;
      }
      pos -= mid;
      this.badSpanEnd = Math.max(0, this.badSpanEnd - mid);
    }
    const len = input.length;
    pos = this.cut(input, pos, len, len);
    if (pos >= len) {
      this.held = 0;
      this.badSpanEnd = 0;
    } else {
      // Fewer than LOOKAHEAD bytes: a scan only stops early inside an incomplete frame.
      const n = len - pos;
      const slab = this.room(n, 0);
      const start = this.start;
      copyBytes(input, pos, slab, start, n);
      this.free = start + n;
      this.held = n;
      this.badSpanEnd = Math.max(0, this.badSpanEnd - pos);
    }
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.held;
  }

  /** End of input (stream end, or a link layer's idle timeout): an incomplete frame is counted as truncated. */
  flush(): void {
    const held = this.held;
    if (held === 0) return;
    this.drop('truncated', this.slab!, this.start, this.start + held);
    this.discard(held);
    this.held = 0;
    this.badSpanEnd = 0;
  }

  /**
   * A slab with `bytes` free from `this.start`, the first `keep` of them the held bytes (already there, or copied
   * into a new slab when this one is full); `this.start` is set.
   */
  private room(bytes: number, keep: number): Buffer {
    let slab = this.slab;
    const start = keep > 0 ? this.start : this.free;
    if (slab !== undefined && start + bytes <= slab.length) {
      this.start = start;
      return slab;
    }
    const fresh = Buffer.allocUnsafe(SLAB_SIZE);
    if (keep > 0) copyBytes(slab!, start, fresh, 0, keep);
    this.slab = slab = fresh;
    this.start = 0;
    this.free = keep;
    return slab;
  }

  /**
   * The resync loop over buf[pos, len), from `pos` until it reaches `stop` or must wait for more bytes. Returns where
   * it stopped.
   */
  private cut(buf: Buffer, pos: number, len: number, stop: number): number {
    while (pos < len && pos < stop) {
      let sof = pos;
      if (buf[pos] !== SOF) {
        sof = buf.indexOf(SOF, pos);
        if (sof < 0 || sof >= len) {
          this.discard(len - pos);
          pos = len;
          break;
        }
      }
      this.discard(sof - pos);
      pos = sof;
      // In the window, a candidate that starts past the held bytes is left for the scan of the chunk itself.
      if (pos >= stop) break;
      if (len - pos < HEADER) break;
      const length = readU16(buf, pos + 24);
      if (length > MAX_LENGTH) {
        if (pos >= this.badSpanEnd) this.drop('oversize', buf, pos, len);
        this.discard(1);
        pos += 1;
        continue;
      }
      const total = OVERHEAD + length;
      if (len - pos < total) {
        const next = this.completeFrameAfter(buf, pos + 1, len);
        if (next < 0) break;
        // A complete frame starts inside this candidate: the candidate was cut short.
        if (pos >= this.badSpanEnd) this.drop('truncated', buf, pos, len);
        this.discard(next - pos);
        pos = next;
        continue;
      }
      const end = pos + HEADER + length;
      if (crc(buf, pos + 1, end) !== readU16(buf, end)) {
        if (pos >= this.badSpanEnd) {
          this.drop('badCrc', buf, pos, len);
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
      if (buf[pos + 1] !== VERSION) {
        this.drop('unsupportedVersion', buf, pos, len);
        this.discard(total);
      } else if (KNOWN_TYPE[buf[pos + 2]] === 0) {
        this.drop('unknownType', buf, pos, len);
        this.discard(total);
      } else {
        this.stats.frames++;
        this.onFrame(buf.subarray(pos, pos + total));
      }
      pos += total;
    }
    return pos;
  }

  /** Offset of the first complete CRC-valid frame starting in [from, len), or -1. */
  private completeFrameAfter(buf: Buffer, from: number, len: number): number {
    let p = buf.indexOf(SOF, from);
    while (p >= 0 && len - p >= HEADER) {
      const length = readU16(buf, p + 24);
      const end = p + HEADER + length;
      if (length <= MAX_LENGTH && end + CRC_LENGTH <= len && crc(buf, p + 1, end) === readU16(buf, end)) return p;
      p = buf.indexOf(SOF, p + 1);
    }
    return -1;
  }

  private discard(n: number): void {
    this.stats.discardedBytes += n;
  }

  private drop(reason: DropReason, buf: Buffer, pos: number, len: number): void {
    this.stats[reason]++;
    const report: DropReport = { reason };
    const frameLike =
      reason === 'unsupportedVersion' ||
      reason === 'unknownType' ||
      (buf[pos + 1] === VERSION && KNOWN_TYPE[buf[pos + 2]] === 1);
    if (len - pos >= HEADER && frameLike) {
      report.source = buf.subarray(pos + 4, pos + 12);
      report.sequence = buf[pos + 3];
      report.messageId = readU16(buf, pos + 20);
    }
    this.onDrop(report);
  }
}

/** Copies from[fromStart, fromStart + n) to to[toStart…]: a loop for a few bytes, else Buffer#copy (a call into C++). */
function copyBytes(from: Buffer, fromStart: number, to: Buffer, toStart: number, n: number): void {
  if (n <= 32) for (let i = 0; i < n; i++) to[toStart + i] = from[fromStart + i];
  else from.copy(to, toStart, fromStart, fromStart + n);
}
