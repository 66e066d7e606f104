/**
 * The link layer (docs/protocol.md "Link layer"), the same code on both ends of every link:
 * - every frame but an ack or nak is acknowledged; stop-and-wait, one frame in flight per direction;
 * - retransmission after `ackTimeout`, at most `maxTries` transmissions, then the send fails with a LinkError;
 * - a duplicate (same source, sequence number and CRC as the last frame accepted from that source) is
 *   acknowledged again but never delivered twice, across any number of retransmissions or reconnections;
 * - NAK with a reason for a bad CRC, an impossible length, an unknown message, an unsupported version, or a
 *   payload the receiver's `validate` refuses; a NAK for a transmission fault is answered by an immediate
 *   retransmission, any other NAK fails the send;
 * - messages longer than one frame are segmented and reassembled (reassembly timeout on the same clock).
 * It knows frames and bytes, not devices: payloads are delivered as bytes for the layer above to decode.
 * All timing runs on the injected clock (virtual in CI, wall on a bench).
 */
import { EventEmitter } from 'node:events';
import { MAX_PAYLOAD, NakReason, nakReasonName, type FrameTypeName, type NakReasonName } from './constants';
import { decodeFrame, encodeFrame, type Frame } from './frame';
import { FrameCutter, type DropReport } from './frameCutter';
import { readEui } from './eui64';
import { Reassembly, segmentPayload } from './segmentation';

export interface LinkClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export interface LinkLayerOptions {
  clock: LinkClock;
  /** Puts bytes on the wire (a ByteLink's write). */
  transmit: (bytes: Uint8Array) => void;
  /** This end's address, the source of NAKs for frames whose destination cannot be trusted. */
  localEui: string;
  /** How long to wait for an ack before retransmitting. Default 1000 ms (a bench value: ≥ 2× a 284-byte frame at 9600 baud). */
  ackTimeout?: number;
  /** Transmissions of one frame before the send fails. Default 4. */
  maxTries?: number;
  /** Silence after which a partial segmented message is discarded. Default 5000 ms. */
  reassemblyTimeout?: number;
  maxPayload?: number;
  initialSequence?: number;
  /** Checks a complete incoming message before it is acknowledged; a reason refuses it with a NAK. */
  validate?: (message: ReceivedMessage) => NakReasonName | undefined;
}

export interface MessageHeader {
  type: Exclude<FrameTypeName, 'ack' | 'nak'>;
  source: string;
  destination: string;
  messageId: number;
}

export interface ReceivedMessage extends MessageHeader {
  payload: Uint8Array;
  /** Clock time the last frame arrived. */
  at: number;
}

export type LinkErrorReason = 'timeout' | 'nak' | 'closed';

export class LinkError extends Error {
  override name = 'LinkError';
  constructor(
    message: string,
    readonly reason: LinkErrorReason,
    readonly nakReason?: NakReasonName,
  ) {
    super(message);
  }
}

export type LinkDrop =
  | DropReport
  | { reason: 'malformed'; detail: string }
  | { reason: 'duplicate'; source: string; sequence: number }
  | { reason: 'reassemblyTimeout' | 'outOfOrder'; source: string; messageId: number; detail: string }
  | { reason: 'refused'; source: string; messageId: number; nak: NakReasonName }
  | { reason: 'strayAck'; source: string; sequence: number }
  | { reason: 'stalled'; source: string; sequence: number; detail: string };

export interface TraceEntry {
  direction: 'in' | 'out';
  at: number;
  bytes: Uint8Array;
}

export interface LinkStats {
  framesOut: number;
  framesIn: number;
  retransmissions: number;
  duplicates: number;
  naksSent: number;
  naksReceived: number;
  sendFailures: number;
}

interface Outgoing {
  header: MessageHeader;
  segments: Uint8Array[];
  index: number;
  /** The current segment's frame bytes (kept for retransmission with the same sequence number). */
  frame?: Buffer;
  sequence: number;
  tries: number;
  /** Times the receiver lost our segments and we started the message again. */
  restarts: number;
  /** Never give up on a silent peer (alerts): keep retransmitting the same bytes, so it is still delivered once. */
  persistent: boolean;
  resolve: () => void;
  reject: (error: LinkError) => void;
}

/** Transmission faults worth a retransmission; any other NAK reason would be refused again. */
const RETRYABLE: ReadonlySet<NakReasonName> = new Set(['badCrc', 'badLength']);

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

export class LinkLayer extends EventEmitter<{ message: [ReceivedMessage]; drop: [LinkDrop]; trace: [TraceEntry] }> {
  readonly stats: LinkStats = { framesOut: 0, framesIn: 0, retransmissions: 0, duplicates: 0, naksSent: 0, naksReceived: 0, sendFailures: 0 };
  private readonly cutter: FrameCutter;
  private readonly queue: Outgoing[] = [];
  private current: Outgoing | undefined;
  private ackTimer: unknown;
  private sequence: number;
  private connected = true;
  private closed = false;
  /** Per source: sequence and CRC of the last frame accepted, for duplicate suppression. */
  private readonly lastAccepted = new Map<string, number>();
  private readonly reassemblies = new Map<string, Reassembly>();
  private reassemblyTimer: unknown;
  private readonly ackTimeout: number;
  private readonly maxTries: number;
  private readonly reassemblyTimeout: number;
  private readonly maxPayload: number;

  constructor(private readonly options: LinkLayerOptions) {
    super();
    this.ackTimeout = options.ackTimeout ?? 1000;
    this.maxTries = options.maxTries ?? 4;
    this.reassemblyTimeout = options.reassemblyTimeout ?? 5000;
    this.maxPayload = options.maxPayload ?? MAX_PAYLOAD;
    this.sequence = (options.initialSequence ?? 0) & 0xff;
    this.cutter = new FrameCutter(
      (bytes) => this.onFrame(bytes),
      (report) => this.onBadFrame(report),
    );
  }

  get cutterStats() {
    return this.cutter.stats;
  }

  /** Messages waiting or in flight (for persistence and for tests that wait for quiet). */
  get pendingSends(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /** Sends one message (segmented if needed); resolves when every segment is acknowledged. */
  send(header: MessageHeader, payload: Uint8Array, options: { persistent?: boolean } = {}): Promise<void> {
    if (this.closed) return Promise.reject(new LinkError('link layer is closed', 'closed'));
    const segments = segmentPayload(payload, this.maxPayload);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ header, segments, index: 0, sequence: 0, tries: 0, restarts: 0, persistent: options.persistent ?? false, resolve, reject });
      if (!this.current) this.next();
    });
  }

  /** Bytes from the wire, chunked any way. */
  receive(bytes: Uint8Array): void {
    if (!this.closed) this.cutter.push(bytes);
  }

  /**
   * The byte link went down or came back. While down nothing is transmitted and no try is spent; partial
   * incoming messages are discarded (their sender starts them again). Coming back up retransmits the frame in
   * flight with its original sequence number, so a receiver that already had it acknowledges without redelivery.
   */
  setConnected(up: boolean): void {
    if (this.closed || up === this.connected) return;
    this.connected = up;
    if (!up) {
      this.stopAckTimer();
      this.reassemblies.clear();
      this.cutter.flush();
      const out = this.current;
      if (out && out.index < out.segments.length - 1) {
        // Mid-message: the receiver discards its partial copy, so start again from the first segment. On the last
        // (or only) segment the frame is kept: the receiver may have delivered it and lost only our ack, and the
        // same bytes with the same sequence number are then acknowledged without a second delivery.
        out.index = 0;
        out.frame = undefined;
      }
      if (out) out.tries = 0;
      return;
    }
    if (this.current) this.transmitCurrent();
  }

  /** Fails every pending send with a clear error and stops all timers. */
  close(reason = 'link layer closed'): void {
    if (this.closed) return;
    this.closed = true;
    this.stopAckTimer();
    if (this.reassemblyTimer !== undefined) this.options.clock.clearTimeout(this.reassemblyTimer);
    const pending = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = undefined;
    for (const out of pending) out.reject(new LinkError(`${reason}: ${describe(out.header)} not delivered`, 'closed'));
  }

  // ── sending ──────────────────────────────────────────────────────────────────────────────────────────────────

  private next(): void {
    this.current = this.queue.shift();
    if (this.current) this.transmitCurrent();
  }

  private transmitCurrent(): void {
    const out = this.current!;
    if (!out.frame) {
      out.sequence = this.sequence;
      this.sequence = (this.sequence + 1) & 0xff;
      out.frame = encodeFrame({
        ...out.header,
        sequence: out.sequence,
        segmentIndex: out.index,
        segmentCount: out.segments.length,
        payload: out.segments[out.index],
      });
      out.tries = 0;
    }
    if (!this.connected) return;
    if (out.tries > 0) this.stats.retransmissions++;
    out.tries++;
    this.write(out.frame);
    this.stopAckTimer();
    this.ackTimer = this.options.clock.setTimeout(() => this.onAckTimeout(), this.ackTimeout);
  }

  private onAckTimeout(): void {
    this.ackTimer = undefined;
    const out = this.current;
    if (!out || !this.connected) return;
    if (out.tries >= this.maxTries && out.persistent) {
      // Same bytes, same sequence number, forever: the receiver's duplicate check keeps it to one delivery.
      this.emit('drop', { reason: 'stalled', source: out.header.destination, sequence: out.sequence, detail: `${describe(out.header)}: no ack after ${out.tries} tries; still trying` });
      out.tries = 0;
    } else if (out.tries >= this.maxTries) {
      this.fail(out, new LinkError(`no ack for ${describe(out.header)} (sequence ${out.sequence}, segment ${out.index + 1} of ${out.segments.length}) after ${out.tries} tries of ${this.ackTimeout} ms`, 'timeout'));
      return;
    }
    this.transmitCurrent();
  }

  private onAck(frame: Frame): void {
    const out = this.current;
    if (!out || !out.frame || frame.sequence !== out.sequence || frame.messageId !== out.header.messageId || frame.source !== out.header.destination) {
      this.emit('drop', { reason: 'strayAck', source: frame.source, sequence: frame.sequence });
      return;
    }
    this.stopAckTimer();
    out.index++;
    out.frame = undefined;
    if (out.index < out.segments.length) {
      this.transmitCurrent();
      return;
    }
    this.current = undefined;
    out.resolve();
    this.next();
  }

  private onNak(frame: Frame): void {
    this.stats.naksReceived++;
    const out = this.current;
    if (!out || !out.frame || frame.sequence !== out.sequence) return;
    const reason = nakReasonName[frame.payload[0]] ?? 'malformedPayload';
    if (reason === 'reassemblyTimeout' && out.restarts < this.maxTries) {
      // The receiver lost the start of this message: send it again from its first segment.
      out.restarts++;
      out.index = 0;
      out.frame = undefined;
      this.transmitCurrent();
      return;
    }
    if (RETRYABLE.has(reason) && out.tries < this.maxTries) {
      this.transmitCurrent();
      return;
    }
    this.stopAckTimer();
    this.fail(out, new LinkError(`${describe(out.header)} refused by ${frame.source}: NAK ${reason}`, 'nak', reason));
  }

  private fail(out: Outgoing, error: LinkError): void {
    this.stats.sendFailures++;
    this.current = undefined;
    out.reject(error);
    this.next();
  }

  private stopAckTimer(): void {
    if (this.ackTimer !== undefined) this.options.clock.clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
  }

  private write(bytes: Uint8Array): void {
    this.stats.framesOut++;
    if (this.listenerCount('trace') > 0) this.emit('trace', { direction: 'out', at: this.options.clock.now(), bytes });
    this.options.transmit(bytes);
  }

  // ── receiving ────────────────────────────────────────────────────────────────────────────────────────────────

  private onFrame(bytes: Buffer): void {
    this.stats.framesIn++;
    if (this.listenerCount('trace') > 0) this.emit('trace', { direction: 'in', at: this.options.clock.now(), bytes });
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch (error) {
      this.emit('drop', { reason: 'malformed', detail: (error as Error).message });
      return;
    }
    if (frame.type === 'ack') return this.onAck(frame);
    if (frame.type === 'nak') return this.onNak(frame);

    const crc = (bytes[bytes.length - 2] << 8) | bytes[bytes.length - 1];
    const key = (frame.sequence << 16) | crc;
    if (this.lastAccepted.get(frame.source) === key) {
      this.stats.duplicates++;
      this.emit('drop', { reason: 'duplicate', source: frame.source, sequence: frame.sequence });
      this.sendControl('ack', frame);
      return;
    }

    const header = { type: frame.type, source: frame.source, destination: frame.destination, messageId: frame.messageId };
    let payload: Uint8Array = frame.payload;
    if (frame.segmentCount > 1) {
      const complete = this.reassemble(frame);
      if (complete === 'refused') return;
      if (complete === undefined) {
        this.lastAccepted.set(frame.source, key);
        this.sendControl('ack', frame);
        return;
      }
      payload = complete;
    }
    const message: ReceivedMessage = { ...header, payload, at: this.options.clock.now() };
    const refusal = this.options.validate?.(message);
    if (refusal) {
      this.emit('drop', { reason: 'refused', source: frame.source, messageId: frame.messageId, nak: refusal });
      this.sendControl('nak', frame, NakReason[refusal]);
      return;
    }
    this.lastAccepted.set(frame.source, key);
    this.sendControl('ack', frame);
    this.emit('message', message);
  }

  /** Returns the whole payload when the last segment arrives, undefined while partial, 'refused' on a gap. */
  private reassemble(frame: Frame): Uint8Array | undefined | 'refused' {
    const key = frame.source;
    const now = this.options.clock.now();
    let partial = this.reassemblies.get(key);
    if (frame.segmentIndex === 0) {
      partial = new Reassembly(frame.messageId, frame.segmentCount, now);
      this.reassemblies.set(key, partial);
      this.armReassemblyTimer();
    }
    if (!partial || partial.messageId !== frame.messageId) {
      this.emit('drop', { reason: 'outOfOrder', source: key, messageId: frame.messageId, detail: `segment ${frame.segmentIndex} without segment 0` });
      this.sendControl('nak', frame, NakReason.reassemblyTimeout);
      return 'refused';
    }
    const result = partial.add(frame.segmentIndex, frame.segmentCount, frame.payload, now);
    if (result.kind === 'outOfOrder') {
      this.reassemblies.delete(key);
      this.emit('drop', { reason: 'outOfOrder', source: key, messageId: frame.messageId, detail: `expected segment ${result.expected}, got ${result.got}` });
      this.sendControl('nak', frame, NakReason.reassemblyTimeout);
      return 'refused';
    }
    if (result.kind === 'partial') return undefined;
    this.reassemblies.delete(key);
    return result.payload;
  }

  private armReassemblyTimer(delay = this.reassemblyTimeout): void {
    if (this.reassemblyTimer !== undefined) return;
    this.reassemblyTimer = this.options.clock.setTimeout(() => {
      this.reassemblyTimer = undefined;
      const now = this.options.clock.now();
      // Re-armed for the earliest remaining deadline, so a partial message goes exactly reassemblyTimeout after
      // its last segment (a fixed period let a segment in after up to twice the timeout of silence).
      let next = this.reassemblyTimeout;
      for (const [source, partial] of this.reassemblies) {
        if (now - partial.lastAt < this.reassemblyTimeout) {
          next = Math.min(next, partial.lastAt + this.reassemblyTimeout - now);
        } else {
          this.reassemblies.delete(source);
          this.emit('drop', {
            reason: 'reassemblyTimeout',
            source,
            messageId: partial.messageId,
            detail: `${partial.received} of ${partial.count} segments, then ${this.reassemblyTimeout} ms of silence`,
          });
        }
      }
      if (this.reassemblies.size > 0) this.armReassemblyTimer(next);
    }, delay);
  }

  private onBadFrame(report: DropReport): void {
    this.emit('drop', report);
    // Answer only what looks like a frame of ours: a NAK for random noise would only add noise.
    if (!report.source || report.sequence === undefined || report.messageId === undefined) return;
    const reason =
      report.reason === 'badCrc' ? NakReason.badCrc
      : report.reason === 'oversize' ? NakReason.badLength
      : report.reason === 'unsupportedVersion' ? NakReason.unsupportedVersion
      : report.reason === 'unknownType' ? NakReason.unknownMessage
      : undefined;
    if (reason === undefined) return;
    this.stats.naksSent++;
    this.write(
      encodeFrame({
        type: 'nak',
        sequence: report.sequence,
        source: this.options.localEui,
        destination: readEui(report.source, 0),
        messageId: report.messageId,
        segmentIndex: 0,
        segmentCount: 1,
        payload: Uint8Array.of(reason),
      }),
    );
  }

  private sendControl(type: 'ack' | 'nak', frame: Frame, reason?: number): void {
    if (type === 'nak') this.stats.naksSent++;
    this.write(
      encodeFrame({
        type,
        sequence: frame.sequence,
        source: frame.destination,
        destination: frame.source,
        messageId: frame.messageId,
        segmentIndex: frame.segmentIndex,
        segmentCount: frame.segmentCount,
        payload: reason === undefined ? EMPTY : Uint8Array.of(reason),
      }),
    );
  }
}

const EMPTY = new Uint8Array(0);

function describe(header: MessageHeader): string {
  return `${header.type} 0x${hex4(header.messageId)} ${header.source} → ${header.destination}`;
}
