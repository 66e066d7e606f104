/**
 * Segmentation: a message payload longer than MAX_PAYLOAD travels as up to 255 frames with the same message id,
 * segment index 0…count-1, each acknowledged on its own. The receiver joins them in order; a gap or a silence
 * longer than the reassembly timeout discards the partial message (the sender's missing ack makes it retry).
 */
import { MAX_PAYLOAD, MAX_SEGMENTS } from './constants';
import { EncodeError } from './errors';

export function segmentPayload(payload: Uint8Array, maxPayload = MAX_PAYLOAD): Uint8Array[] {
  if (payload.length <= maxPayload) return [payload];
  const count = Math.ceil(payload.length / maxPayload);
  if (count > MAX_SEGMENTS) {
    throw new EncodeError(
      `message of ${payload.length} bytes needs ${count} segments; at most ${MAX_SEGMENTS} (${MAX_SEGMENTS * maxPayload} bytes)`,
    );
  }
  const segments: Uint8Array[] = [];
  for (let i = 0; i < count; i++)
    segments.push(payload.subarray(i * maxPayload, Math.min(payload.length, (i + 1) * maxPayload)));
  return segments;
}

export type ReassemblyResult =
  | { kind: 'complete'; payload: Uint8Array }
  | { kind: 'partial' }
  | { kind: 'outOfOrder'; expected: number; got: number };

/** Joins the segments of one message from one source. */
export class Reassembly {
  private readonly parts: Uint8Array[] = [];
  private bytes = 0;

  constructor(
    readonly messageId: number,
    readonly count: number,
    /** Clock time of the last segment, for the reassembly timeout. */
    public lastAt: number,
  ) {}

  get received(): number {
    return this.parts.length;
  }

  add(index: number, count: number, payload: Uint8Array, at: number): ReassemblyResult {
    if (count !== this.count || index !== this.parts.length)
      return { kind: 'outOfOrder', expected: this.parts.length, got: index };
    this.parts.push(payload);
    this.bytes += payload.length;
    this.lastAt = at;
    if (this.parts.length < this.count) return { kind: 'partial' };
    const whole = new Uint8Array(this.bytes);
    let offset = 0;
    for (const part of this.parts) {
      whole.set(part, offset);
      offset += part.length;
    }
    return { kind: 'complete', payload: whole };
  }
}
