/**
 * The link layer (docs/protocol.md "Link layer"), the same code on both ends of every link:
 * - every frame but an ack or nak is acknowledged; stop-and-wait, one frame in flight per direction;
 * - retransmission after `ackTimeout`, at most `maxTries` transmissions, then the send fails with a LinkError;
 * - a duplicate (same source, sequence number and CRC as one of the last frames accepted from that source in the
 *   peer's current session, unless the peer's counter has gone round to that number since: duplicateWindow.ts) is
 *   acknowledged again but never delivered twice, across retransmissions and across reconnections of the same session;
 * - sessions: a sender may announce a session id on every connection (a `session` frame); a new id, or a peer that
 *   speaks after a reconnection without announcing one, starts a new peer session: duplicate windows and partial
 *   messages are forgotten and replies bound to the earlier session are dropped, never delivered to the newcomer;
 * - bounded: duplicate windows (duplicateWindow.ts), MAX_REASSEMBLIES partial messages, the send queues
 *   (sendQueues.ts), and NAKs for damaged input only as long as they add no more bytes than came in;
 * - fair: one queue per destination, served in turn (sendQueues.ts), and a persistent send (an alert) that gets no
 *   ack in time yields to whatever else waits, its destination's alerts served last until it acknowledges one;
 * - NAK with a reason for a bad CRC, an impossible length, an unknown message, an unsupported version, or a
 *   payload the receiver's `validate` refuses; a NAK for a transmission fault is answered by an immediate
 *   retransmission, any other NAK fails the send;
 * - messages longer than one frame are segmented and reassembled (reassembly timeout on the same clock).
 * It knows frames and bytes, not devices: payloads are delivered as bytes for the layer above to decode.
 * All timing runs on the injected clock (virtual in CI, wall on a bench).
 */
import { EventEmitter } from 'node:events';
import {
  BROADCAST_EUI,
  FRAME_OVERHEAD,
  MAX_PAYLOAD,
  NakReason,
  nakReasonName,
  type FrameTypeName,
  type NakReasonName,
} from './constants';
import { decodeFrame, encodeAnswer, encodeFrame, isPlainAck, type Frame } from './frame';
import { FrameCutter, type DropReport } from './frameCutter';
import { DuplicateWindow } from './duplicateWindow';
import { readEui } from './eui64';
import { Reassembly, segmentPayload } from './segmentation';
import { SendQueues, type QueueSizes } from './sendQueues';
import { whileListened } from './listenedEvents';

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
  /**
   * This end's session id (u32), announced in a `session` frame first thing on every connection, so the peer keeps
   * its duplicate window across a reconnection of the same session and starts afresh for a new one. Absent: this
   * end announces nothing (the peer then treats every reconnection as a new session).
   */
  sessionId?: number;
  /** Whether the byte link is up at construction (default true: the session, if any, is announced at once). */
  connected?: boolean;
}

/** Partial segmented messages held at once; the least recently extended is discarded first. */
const MAX_REASSEMBLIES = 8;
/** Message id of a `session` frame. */
const SESSION_MESSAGE_ID = 0x0000;
/** A NAK for damaged input costs this much input credit (its own size): NAKs never add bytes to a flood. */
const NAK_COST = FRAME_OVERHEAD + 1;
/** Input credit kept for NAKs at most (eight NAKs' worth), so a quiet link cannot save up for a burst. */
const NAK_CREDIT_MAX = 8 * NAK_COST;

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
  /** The peer session it arrived in (see `LinkLayer.peerEpoch`): a reply bound to it goes to that session only. */
  session: number;
}

export type LinkErrorReason = 'timeout' | 'nak' | 'closed' | 'session' | 'overflow' | 'withdrawn';

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
  | { reason: 'stalled'; source: string; sequence: number; detail: string }
  | { reason: 'nakSuppressed'; detail: string }
  | { reason: 'evicted'; source: string; detail: string };

/** A new peer session began (`peerSession` is the id it announced, undefined when it announced none). */
export interface PeerSession {
  epoch: number;
  peerSession: number | undefined;
  /** Replies of earlier sessions dropped, undelivered. */
  dropped: number;
}

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
  /** NAKs for damaged input not sent because they would have added bytes to a flood. */
  naksSuppressed: number;
}

interface Outgoing {
  header: MessageHeader;
  segments: Uint8Array[];
  index: number;
  /**
   * The current segment's frame bytes (kept for retransmission with the same sequence number). Present (undefined)
   * from the start: a field added later would change the object's hidden class on every message's first frame.
   */
  frame: Buffer | undefined;
  sequence: number;
  tries: number;
  /** Times the receiver lost our segments and we started the message again. */
  restarts: number;
  /** Never give up on a silent peer (alerts): keep retransmitting the same bytes, so it is still delivered once. */
  persistent: boolean;
  /** The peer session (epoch) a reply belongs to: dropped when another session begins. Undefined: any session. */
  session?: number;
  /** Called with undefined once every segment is acknowledged, or with why it was not sent. */
  done: SendDone;
  /** `done` is called on a microtask of its own (post), not inside the link layer's work (send's promise). */
  deferred: boolean;
}

/** How a send ends: undefined once every segment is acknowledged, else why not (a LinkError, an EncodeError). */
export type SendDone = (error: Error | undefined) => void;

/**
 * A send's options: `persistent` never gives up on a silent peer (alerts); `session` binds a reply to the peer
 * session that asked (a received message's `session`): it is dropped if another session begins.
 */
export interface SendOptions {
  persistent?: boolean;
  session?: number;
}

/** The options of a send that gives none, made once (the link layer only reads them). */
export const NO_OPTIONS: SendOptions = {};
const settled = Promise.resolve();
const nothing = (): void => {};

/** Transmission faults worth a retransmission; any other NAK reason would be refused again. */
const RETRYABLE: ReadonlySet<NakReasonName> = new Set(['badCrc', 'badLength']);

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

export class LinkLayer extends EventEmitter<{
  message: [ReceivedMessage];
  drop: [LinkDrop];
  trace: [TraceEntry];
  session: [PeerSession];
}> {
  readonly stats: LinkStats = {
    framesOut: 0,
    framesIn: 0,
    retransmissions: 0,
    duplicates: 0,
    naksSent: 0,
    naksReceived: 0,
    sendFailures: 0,
    naksSuppressed: 0,
  };
  private readonly cutter: FrameCutter;
  private readonly queues = new SendQueues<Outgoing>();
  private current: Outgoing | undefined;
  private ackTimer: unknown;
  private sequence: number;
  private connected = true;
  private closed = false;
  private readonly accepted = new DuplicateWindow();
  private readonly reassemblies = new Map<string, Reassembly>();
  private reassemblyTimer: unknown;
  /** The peer's session: its announced id, whether this connection has established it, and a local counter. */
  private peerSession: number | undefined;
  private peerKnown = false;
  private epoch = 0;
  /** Announce our session before anything else on this connection. */
  private announce = false;
  private nakCredit = NAK_CREDIT_MAX;
  /** Whether anyone listens to 'trace' (kept by whileListened: EventEmitter#listenerCount on every frame in and out cost more). */
  private traced = false;
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
    if (
      options.sessionId !== undefined &&
      !(Number.isInteger(options.sessionId) && options.sessionId >= 0 && options.sessionId <= 0xffffffff)
    ) {
      throw new RangeError(`session id ${options.sessionId} is not a u32`);
    }
    this.announce = options.sessionId !== undefined;
    this.connected = options.connected ?? true;
    this.cutter = new FrameCutter(
      (bytes) => this.onFrame(bytes),
      (report) => this.onBadFrame(report),
    );
    whileListened(
      this,
      'trace',
      () => (this.traced = true),
      () => (this.traced = false),
    );
    // Connected from the start (until told otherwise): the session is announced now, not with the first message.
    this.next();
  }

  get cutterStats() {
    return this.cutter.stats;
  }

  /** Messages waiting or in flight (for persistence and for tests that wait for quiet). */
  get pendingSends(): number {
    return this.queues.length + (this.current && this.current.header.type !== 'session' ? 1 : 0);
  }

  /** The current peer session's local number: a received message's `session`, to bind a reply to it. */
  get peerEpoch(): number {
    return this.epoch;
  }

  /** Sizes of the per-source state, for tests of the bounds. */
  get retained(): { sources: number; reassemblies: number } & QueueSizes {
    return { sources: this.accepted.sources, reassemblies: this.reassemblies.size, ...this.queues.sizes };
  }

  /**
   * Sends one message (segmented if needed); resolves when every segment is acknowledged. `session` binds a reply
   * to the peer session that asked (a received message's `session`): it is dropped if another session begins.
   */
  send(header: MessageHeader, payload: Uint8Array, options = NO_OPTIONS): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.submit(header, payload, options, (error) => (error === undefined ? resolve() : reject(error)), false),
    );
  }

  /**
   * `send` without a promise: `done` is called once, on a microtask of its own, with undefined when every segment is
   * acknowledged or with why the message was not sent (when `send`'s promise would settle, and in the same order). For
   * the senders of every message (BenchClient, DeviceHost): a promise, its resolving functions and a reaction per
   * message were a measurable share of the garbage of a request.
   */
  post(header: MessageHeader, payload: Uint8Array, options: SendOptions, done: SendDone) {
    this.submit(header, payload, options, done, true);
  }

  private submit(
    header: MessageHeader,
    payload: Uint8Array,
    options: SendOptions,
    done: SendDone,
    deferred: boolean,
  ): void {
    if (this.closed) return refuse(new LinkError('link layer is closed', 'closed'), done, deferred);
    if (options.session !== undefined && options.session !== this.epoch) {
      const error = new LinkError(`${describe(header)} belongs to an earlier session of the peer: not sent`, 'session');
      return refuse(error, done, deferred);
    }
    const persistent = options.persistent ?? false;
    const refusal = this.queues.refusal(header.destination, payload.length, persistent);
    if (refusal !== undefined)
      return refuse(new LinkError(`${describe(header)} refused: ${refusal}`, 'overflow'), done, deferred);
    let segments: Uint8Array[];
    try {
      segments = segmentPayload(payload, this.maxPayload);
    } catch (error) {
      return refuse(error as Error, done, deferred);
    }
    const out: Outgoing = {
      header,
      segments,
      index: 0,
      frame: undefined,
      sequence: 0,
      tries: 0,
      restarts: 0,
      persistent,
      session: options.session,
      done,
      deferred,
    };
    if (this.current === undefined && this.queues.length === 0 && this.sendsAtOnce(out)) {
      // Nothing waits and nothing is in flight: `next` would take this very message from an otherwise empty queue
      // (its destination's lane made, then dropped again), so it goes at once. The usual case: one request at a time.
      this.current = out;
      this.transmitCurrent();
      return;
    }
    this.queues.push(out);
    if (!this.current) this.next();
  }

  /** Whether `next`, with nothing else queued, would take `out` and transmit it now: its own gates, in its order. */
  private sendsAtOnce(out: Outgoing): boolean {
    return !this.closed && this.connected && !this.announce && this.takeable(out);
  }

  /** Replies wait until the peer has shown which session this connection carries (`next`'s filter). */
  private readonly takeable = (out: Outgoing): boolean => this.peerKnown || out.session === undefined;

  /** Ends a send: its `done` now (send's promise settles, its reactions queued), or on a microtask of its own (post). */
  private finish(out: Outgoing, error?: Error): void {
    if (!out.deferred) out.done(error);
    else if (error === undefined)
      void settled.then(out.done as () => void); // called with undefined
    else void settled.then(() => out.done(error));
  }

  /** Bytes from the wire, chunked any way. */
  receive(bytes: Uint8Array): void {
    if (this.closed) return;
    this.nakCredit = Math.min(NAK_CREDIT_MAX, this.nakCredit + bytes.length);
    this.cutter.push(bytes);
  }

  /**
   * The byte link went down or came back. While down nothing is transmitted and no try is spent; partial
   * incoming messages are discarded (their sender starts them again). Coming back up: our session is announced
   * first (when we have one), then the frame that was in flight goes again with its original sequence number, so
   * a receiver in the same session that already had it acknowledges without redelivery. Until the peer has spoken
   * on the new connection (announced its session, or sent a message), replies wait: the peer may be a new session.
   */
  setConnected(up: boolean): void {
    if (this.closed || up === this.connected) return;
    this.connected = up;
    this.peerKnown = false;
    if (!up) {
      this.stopAckTimer();
      this.reassemblies.clear();
      this.cutter.flush();
      const out = this.current;
      this.current = undefined;
      if (out && out.header.type !== 'session') {
        if (out.index < out.segments.length - 1) {
          // Mid-message: the receiver discards its partial copy, so start again from the first segment. On the last
          // (or only) segment the frame is kept: the receiver may have delivered it and lost only our ack, and the
          // same bytes with the same sequence number are then acknowledged without a second delivery.
          out.index = 0;
          out.frame = undefined;
        }
        out.tries = 0;
        this.queues.push(out, true);
      }
      return;
    }
    this.announce = this.options.sessionId !== undefined;
    this.next();
  }

  /** Fails every pending send with a clear error and stops all timers. */
  close(reason = 'link layer closed'): void {
    if (this.closed) return;
    this.closed = true;
    this.stopAckTimer();
    if (this.reassemblyTimer !== undefined) this.options.clock.clearTimeout(this.reassemblyTimer);
    const pending = [...(this.current ? [this.current] : []), ...this.queues.remove(() => true)];
    this.current = undefined;
    for (const out of pending)
      this.finish(out, new LinkError(`${reason}: ${describe(out.header)} not delivered`, 'closed'));
  }

  /**
   * Takes every persistent send (alert) back, queued or in flight, and rejects each with LinkError `withdrawn`: for a
   * bench reset, whose devices' unacknowledged alerts belong to the state it throws away. One in flight may already
   * have reached the peer (its ack not yet back); the reset's answer comes after it either way.
   */
  withdrawPersistent(reason: string): void {
    const pending = this.queues.remove((out) => out.persistent);
    if (this.current?.persistent) {
      pending.unshift(this.current);
      this.stopAckTimer();
      this.current = undefined;
    }
    for (const out of pending)
      this.finish(out, new LinkError(`${reason}: ${describe(out.header)} withdrawn`, 'withdrawn'));
    this.next();
  }

  // ── sending ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** Takes the next message: our session announcement first, then destinations in turn, unresponsive ones last. */
  private next(): void {
    if (this.current || this.closed || !this.connected) return;
    if (this.announce) {
      this.announce = false;
      const payload = new Uint8Array(4);
      new DataView(payload.buffer).setUint32(0, this.options.sessionId!);
      const header: MessageHeader = {
        type: 'session',
        source: this.options.localEui,
        destination: BROADCAST_EUI,
        messageId: SESSION_MESSAGE_ID,
      };
      // A peer that does not know sessions NAKs or ignores it: either way the queue then goes on.
      this.current = {
        header,
        segments: [payload],
        index: 0,
        frame: undefined,
        sequence: 0,
        tries: 0,
        restarts: 0,
        persistent: false,
        done: nothing,
        deferred: false,
      };
      this.transmitCurrent();
      return;
    }
    this.current = this.queues.take(this.peerKnown ? undefined : this.takeable);
    if (this.current) this.transmitCurrent();
  }

  private transmitCurrent(): void {
    const out = this.current!;
    if (!out.frame) {
      out.sequence = this.sequence;
      this.sequence = (this.sequence + 1) & 0xff;
      const { header } = out;
      out.frame = encodeFrame({
        type: header.type,
        source: header.source,
        destination: header.destination,
        messageId: header.messageId,
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
    this.ackTimer = this.options.clock.setTimeout(this.ackTimedOut, this.ackTimeout);
  }

  /** onAckTimeout bound once: a timer is armed for every frame sent. */
  private readonly ackTimedOut = (): void => this.onAckTimeout();

  private onAckTimeout(): void {
    this.ackTimer = undefined;
    const out = this.current;
    if (!out || !this.connected) return;
    if (out.persistent) this.queues.markStallingAlerts(out.header.destination);
    if (out.persistent && out.tries < this.maxTries && this.queues.hasUnheld()) {
      // An alert that got no ack waits while anything else does (a response to the same harness included), so a
      // harness that does not acknowledge its alerts has its responses held up by one ack timeout at most, however
      // many alerts wait. Put back first with its bytes, sequence number and tries (after maxTries, below, it goes to
      // the back instead, so one alert the harness never takes does not keep the others from their tries).
      this.current = undefined;
      this.queues.push(out, true);
      this.next();
      return;
    }
    if (out.tries >= this.maxTries && out.persistent) {
      // Same bytes, same sequence number, for as long as it takes: the receiver's duplicate window keeps it to one
      // delivery. It yields its turn, so a silent destination holds up nobody else (nor later replies to itself).
      this.emit('drop', {
        reason: 'stalled',
        source: out.header.destination,
        sequence: out.sequence,
        detail: `${describe(out.header)}: no ack after ${out.tries} tries; still trying`,
      });
      this.queues.markUnresponsive(out.header.destination);
      out.tries = 0;
      this.current = undefined;
      this.queues.push(out);
      this.next();
      return;
    } else if (out.tries >= this.maxTries) {
      if (out.header.type !== 'session') this.queues.markUnresponsive(out.header.destination);
      this.fail(
        out,
        new LinkError(
          `no ack for ${describe(out.header)} (sequence ${out.sequence}, segment ${out.index + 1} of ${out.segments.length}) after ${out.tries} tries of ${this.ackTimeout} ms`,
          'timeout',
        ),
      );
      return;
    }
    this.transmitCurrent();
  }

  private onAck(source: string, sequence: number, messageId: number): void {
    const out = this.current;
    if (
      !out ||
      !out.frame ||
      sequence !== out.sequence ||
      messageId !== out.header.messageId ||
      source !== out.header.destination
    ) {
      this.emit('drop', { reason: 'strayAck', source, sequence });
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
    if (out.persistent) this.queues.alertAcknowledged(out.header.destination);
    this.finish(out);
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
    if (out.header.type !== 'session') this.stats.sendFailures++;
    this.current = undefined;
    this.finish(out, error);
    this.next();
  }

  private stopAckTimer(): void {
    if (this.ackTimer !== undefined) this.options.clock.clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
  }

  private write(bytes: Uint8Array): void {
    this.stats.framesOut++;
    if (this.traced) this.emit('trace', { direction: 'out', at: this.options.clock.now(), bytes });
    this.options.transmit(bytes);
  }

  // ── sessions ─────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The peer on this connection is a new session: forget its duplicate windows and partial messages (a restarted
   * sender's first frame may be byte-identical to its predecessor's last) and drop replies meant for the old one.
   */
  private beginPeerSession(announced: number | undefined): void {
    this.peerSession = announced;
    this.peerKnown = true;
    this.epoch++;
    this.accepted.clear();
    this.reassemblies.clear();
    const stale = this.queues.remove((out) => out.session !== undefined);
    if (this.current?.session !== undefined) {
      stale.push(this.current);
      this.stopAckTimer();
      this.current = undefined;
    }
    this.queues.forgetUnresponsive();
    const who = announced === undefined ? 'a peer that announced no session' : `peer session ${announced}`;
    for (const out of stale)
      this.finish(
        out,
        new LinkError(
          `${describe(out.header)} dropped: ${who} began; the reply belonged to the session before`,
          'session',
        ),
      );
    this.emit('session', { epoch: this.epoch, peerSession: announced, dropped: stale.length });
  }

  private onSession(frame: Frame, bytes: Uint8Array): void {
    if (frame.payload.length !== 4) {
      this.answer(bytes, NakReason.malformedPayload);
      return;
    }
    const id = new DataView(frame.payload.buffer, frame.payload.byteOffset, 4).getUint32(0);
    if (this.peerSession === id && this.epoch > 0)
      this.peerKnown = true; // the same sender reconnected: windows kept
    else this.beginPeerSession(id);
    // it took a number of the peer's counter like any frame (a new frame repeats a key only once it went round)
    this.accepted.heardNew(frame.sequence);
    this.answer(bytes);
    this.next();
  }

  // ── receiving ────────────────────────────────────────────────────────────────────────────────────────────────

  private onFrame(bytes: Buffer): void {
    this.stats.framesIn++;
    if (this.traced) this.emit('trace', { direction: 'in', at: this.options.clock.now(), bytes });
    if (isPlainAck(bytes)) {
      // the answer to every frame sent, read in place: no frame object, no payload view, no destination text
      const source = readEui(bytes, 4);
      this.queues.heardFrom(source);
      return this.onAck(source, bytes[3], (bytes[20] << 8) | bytes[21]);
    }
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch (error) {
      this.emit('drop', { reason: 'malformed', detail: (error as Error).message });
      return;
    }
    this.queues.heardFrom(frame.source);
    if (frame.type === 'ack') return this.onAck(frame.source, frame.sequence, frame.messageId);
    if (frame.type === 'nak') return this.onNak(frame);
    if (frame.type === 'session') return this.onSession(frame, bytes);
    // A peer that speaks on a new connection without announcing a session is a new session.
    if (!this.peerKnown) {
      this.beginPeerSession(undefined);
      if (!this.current) this.next();
    }

    const crc = (bytes[bytes.length - 2] << 8) | bytes[bytes.length - 1];
    const key = (frame.sequence << 16) | crc;
    if (this.accepted.has(frame.source, key)) {
      this.stats.duplicates++;
      this.emit('drop', { reason: 'duplicate', source: frame.source, sequence: frame.sequence });
      this.answer(bytes);
      return;
    }
    this.accepted.heardNew(frame.sequence);

    let payload: Uint8Array = frame.payload;
    if (frame.segmentCount > 1) {
      const complete = this.reassemble(frame, bytes);
      if (complete === 'refused') return;
      if (complete === undefined) {
        this.accepted.remember(frame.source, key);
        this.answer(bytes);
        return;
      }
      payload = complete;
    }
    const message: ReceivedMessage = {
      type: frame.type,
      source: frame.source,
      destination: frame.destination,
      messageId: frame.messageId,
      payload,
      at: this.options.clock.now(),
      session: this.epoch,
    };
    const refusal = this.options.validate?.(message);
    if (refusal) {
      this.emit('drop', { reason: 'refused', source: frame.source, messageId: frame.messageId, nak: refusal });
      this.answer(bytes, NakReason[refusal]);
      return;
    }
    this.accepted.remember(frame.source, key);
    this.answer(bytes);
    this.emit('message', message);
  }

  /** Returns the whole payload when the last segment arrives, undefined while partial, 'refused' on a gap. */
  private reassemble(frame: Frame, bytes: Uint8Array): Uint8Array | undefined | 'refused' {
    const key = frame.source;
    const now = this.options.clock.now();
    let partial = this.reassemblies.get(key);
    if (frame.segmentIndex === 0) {
      partial = new Reassembly(frame.messageId, frame.segmentCount, now);
      this.reassemblies.delete(key);
      this.reassemblies.set(key, partial);
      if (this.reassemblies.size > MAX_REASSEMBLIES) {
        // A sender has one message in flight: a partial message this old is abandoned (or a flood).
        const [oldest, dropped] = this.reassemblies.entries().next().value!;
        this.reassemblies.delete(oldest);
        this.emit('drop', {
          reason: 'evicted',
          source: oldest,
          detail: `partial message 0x${hex4(dropped.messageId)} (${dropped.received} of ${dropped.count} segments) discarded: ${MAX_REASSEMBLIES} held at most`,
        });
      }
      this.armReassemblyTimer();
    }
    if (!partial || partial.messageId !== frame.messageId) {
      this.emit('drop', {
        reason: 'outOfOrder',
        source: key,
        messageId: frame.messageId,
        detail: `segment ${frame.segmentIndex} without segment 0`,
      });
      this.answer(bytes, NakReason.reassemblyTimeout);
      return 'refused';
    }
    const result = partial.add(frame.segmentIndex, frame.segmentCount, frame.payload, now);
    if (result.kind === 'outOfOrder') {
      this.reassemblies.delete(key);
      this.emit('drop', {
        reason: 'outOfOrder',
        source: key,
        messageId: frame.messageId,
        detail: `expected segment ${result.expected}, got ${result.got}`,
      });
      this.answer(bytes, NakReason.reassemblyTimeout);
      return 'refused';
    }
    if (result.kind === 'partial') {
      // Most recently extended last: eviction takes the stalest.
      this.reassemblies.delete(key);
      this.reassemblies.set(key, partial);
      return undefined;
    }
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
      report.reason === 'badCrc'
        ? NakReason.badCrc
        : report.reason === 'oversize'
          ? NakReason.badLength
          : report.reason === 'unsupportedVersion'
            ? NakReason.unsupportedVersion
            : report.reason === 'unknownType'
              ? NakReason.unknownMessage
              : undefined;
    if (reason === undefined) return;
    // Every start byte of a flood can look like a damaged frame: a NAK (29 bytes) for each would multiply the input.
    // A NAK is sent only while the input since the last ones has paid for it, byte for byte.
    if (this.nakCredit < NAK_COST) {
      this.stats.naksSuppressed++;
      if (this.stats.naksSuppressed === 1 || this.stats.naksSuppressed % 1024 === 0) {
        this.emit('drop', {
          reason: 'nakSuppressed',
          detail: `${this.stats.naksSuppressed} NAK(s) for damaged input not sent: no more NAK bytes than input bytes`,
        });
      }
      return;
    }
    this.nakCredit -= NAK_COST;
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

  /** Answers a received frame (`bytes`, as decodeFrame accepted them): an ack, or a NAK with `reason`. */
  private answer(bytes: Uint8Array, reason?: number): void {
    if (reason !== undefined) this.stats.naksSent++;
    this.write(encodeAnswer(bytes, reason));
  }
}

/**
 * A send refused before it was queued: `done` now (send's promise rejects), or on a microtask of its own (post). A
 * function of its own, not a closure made in every send: under tsx each function made names itself (a property write).
 */
function refuse(error: Error, done: SendDone, deferred: boolean): void {
  if (deferred) void settled.then(() => done(error));
  else done(error);
}

function describe(header: MessageHeader): string {
  return `${header.type} 0x${hex4(header.messageId)} ${header.source} → ${header.destination}`;
}
