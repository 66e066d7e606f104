// The whole path a message takes in tests: codec → segments → frames → bytes, and bytes → cutter → frames →
// reassembly → codec. No link layer (no acks): that is linkLayer.test.ts.
import type { Dialect } from '../../protocols/constants';
import { decodeFrame, encodeFrame, type Frame } from '../../protocols/frame';
import { FrameCutter, type CutterStats } from '../../protocols/frameCutter';
import type { Message } from '../../protocols/messages';
import { payloadCodec } from '../../protocols/payloadCodec';
import { Reassembly, segmentPayload } from '../../protocols/segmentation';

export interface FrameHeader {
  sequence: number;
  source: string;
  destination: string;
}

/** Encodes a message into its frames' bytes (one frame per segment, consecutive sequence numbers). */
export function messageFrames(dialect: Dialect, message: Message, header: FrameHeader): Buffer[] {
  const { frameType, messageId, payload } = payloadCodec(dialect).encode(message);
  const segments = segmentPayload(payload);
  return segments.map((segment, i) =>
    encodeFrame({
      type: frameType,
      sequence: (header.sequence + i) & 0xff,
      source: header.source,
      destination: header.destination,
      messageId,
      segmentIndex: i,
      segmentCount: segments.length,
      payload: segment,
    }),
  );
}

export interface Received {
  frames: Frame[];
  messages: Message[];
  stats: CutterStats;
}

/** Cuts, decodes and reassembles everything in `chunks` (pushed one by one), then flushes. */
export function receiveMessages(dialect: Dialect, chunks: readonly Uint8Array[]): Received {
  const codec = payloadCodec(dialect);
  const frames: Frame[] = [];
  const messages: Message[] = [];
  let partial: Reassembly | undefined;
  const cutter = new FrameCutter((bytes) => {
    const frame = decodeFrame(bytes);
    frames.push(frame);
    if (frame.segmentCount === 1) {
      messages.push(codec.decode(frame.type, frame.messageId, frame.payload));
      return;
    }
    if (frame.segmentIndex === 0) partial = new Reassembly(frame.messageId, frame.segmentCount, 0);
    const result = partial!.add(frame.segmentIndex, frame.segmentCount, frame.payload, 0);
    if (result.kind === 'outOfOrder') throw new Error(`segment ${result.got}, expected ${result.expected}`);
    if (result.kind === 'complete') {
      messages.push(codec.decode(frame.type, frame.messageId, result.payload));
      partial = undefined;
    }
  });
  for (const chunk of chunks) cutter.push(chunk);
  cutter.flush();
  return { frames, messages, stats: cutter.stats };
}
