/**
 * FrameParser: a Transform from bytes (any chunking) to decoded `Frame` objects. Never throws or errors on bad
 * input: bad bytes are counted in `stats` and reported as 'drop' events, so a link keeps serving.
 * Events: 'data' (a `Frame`, object mode), 'drop' (a cutter `DropReport`, or `{ reason: 'malformed', error }` for a
 * CRC-valid frame whose header is impossible).
 */
import { Transform, type TransformCallback } from 'node:stream';
import { DecodeError } from './errors';
import { decodeFrame } from './frame';
import { FrameCutter, type CutterStats } from './frameCutter';

export interface ParserStats extends CutterStats {
  /** CRC-valid frames whose header was impossible (segment 3 of 2, a wrong length). */
  malformed: number;
}

export class FrameParser extends Transform {
  private readonly cutter: FrameCutter;
  private malformed = 0;

  constructor() {
    super({ readableObjectMode: true });
    this.cutter = new FrameCutter(
      (bytes) => {
        try {
          this.push(decodeFrame(bytes));
        } catch (error) {
          this.malformed++;
          this.emit('drop', { reason: 'malformed', error: error as DecodeError });
        }
      },
      (report) => this.emit('drop', report),
    );
  }

  get stats(): ParserStats {
    return { ...this.cutter.stats, malformed: this.malformed };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.cutter.push(chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    this.cutter.flush();
    done();
  }
}
