/** FrameWriter: a Transform from `Frame` objects to bytes, the mirror of FrameParser. */
import { Transform, type TransformCallback } from 'node:stream';
import { encodeFrame, type Frame } from './frame';

export class FrameWriter extends Transform {
  constructor() {
    super({ writableObjectMode: true });
  }

  override _transform(frame: Frame, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      done(null, encodeFrame(frame));
    } catch (error) {
      done(error as Error);
    }
  }
}
