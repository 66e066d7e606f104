/**
 * The bytes of the device commands an `sr` step caused, for the report (a device frame's bytes on a click): the
 * harness's end of the link is listened to while the step runs, and each command the S1SP sent (frameTap's
 * DeviceFrame: device and command) is given the frames of its message as they crossed the wire, what the harness
 * sent and what it received.
 *
 * Matched without request ids (frameTap does not see them): the k-th command of a name to a device is the k-th
 * message of that name to it, and its response the k-th response of that name from it. A retransmission repeats its
 * frame byte for byte and is shown once; the segments of a long message follow its first.
 */
import { messageById } from '../../protocols/commandTable';
import type { MessageEndpoint } from '../../protocols/endpoint';
import { decodeFrame } from '../../protocols/frame';
import type { TraceEntry } from '../../protocols/linkLayer';
import type { DeviceFrame } from '../migration/log';

export interface FrameBytes {
  readonly sent: readonly string[];
  readonly received: readonly string[];
}

type Messages = Map<string, string[][]>;

export class WireFrames {
  private readonly sent: Messages = new Map();
  private readonly received: Messages = new Map();
  private readonly seen = new Set<string>();
  private readonly listener = (entry: TraceEntry) => this.onTrace(entry);

  constructor(private readonly end: MessageEndpoint) {
    end.on('trace', this.listener);
  }

  /** Stops listening; the bytes of each frame in `frames`, in its order. */
  finish(frames: readonly DeviceFrame[]): FrameBytes[] {
    this.end.off('trace', this.listener);
    const taken = new Map<string, number>();
    return frames.map((frame) => {
      const key = `${frame.device} ${frame.command}`;
      const k = taken.get(key) ?? 0;
      taken.set(key, k + 1);
      return { sent: this.sent.get(key)?.[k] ?? [], received: this.received.get(key)?.[k] ?? [] };
    });
  }

  private onTrace(entry: TraceEntry): void {
    const hex = Buffer.from(entry.bytes).toString('hex').toUpperCase();
    if (this.seen.has(`${entry.direction}${hex}`)) return;
    let frame;
    try {
      frame = decodeFrame(entry.bytes);
    } catch {
      return; // damage is the recording's business, not a command's bytes
    }
    const outbound = entry.direction === 'out' && (frame.type === 'command' || frame.type === 'control');
    const inbound = entry.direction === 'in' && frame.type === 'response';
    if (!outbound && !inbound) return;
    this.seen.add(`${entry.direction}${hex}`);
    const name = messageById.get(frame.messageId)?.name ?? String(frame.messageId);
    const key = `${outbound ? frame.destination : frame.source} ${name}`;
    const messages = outbound ? this.sent : this.received;
    const list = messages.get(key) ?? [];
    messages.set(key, list);
    if (frame.segmentIndex === 0 || list.length === 0) list.push([hex]);
    else list.at(-1)!.push(hex);
  }
}
