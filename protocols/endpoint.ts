/**
 * A message endpoint: the link layer plus the dialect codecs. It turns bytes into decoded messages (validated
 * before the ack, so a malformed one is refused with a NAK) and messages into bytes. Used by both ends: the
 * harness's BenchClient and the emulator's device host.
 */
import { EventEmitter } from 'node:events';
import type { Dialect } from './constants';
import { DecodeError, EncodeError } from './errors';
import {
  LinkLayer,
  NO_OPTIONS,
  type LinkDrop,
  type LinkLayerOptions,
  type MessageHeader,
  type PeerSession,
  type ReceivedMessage,
  type SendDone,
  type SendOptions,
  type TraceEntry,
} from './linkLayer';
import type { Message } from './messages';
import { payloadCodec, type EncodedPayload } from './payloadCodec';
import { forwardTraceOnDemand } from './listenedEvents';

export interface Envelope {
  source: string;
  destination: string;
  message: Message;
  /** Clock time the message was complete. */
  at: number;
  /** The peer session it came in (LinkLayer.peerEpoch): pass it to `send` to bind a reply to that session. */
  session: number;
}

export interface EndpointOptions extends Omit<LinkLayerOptions, 'validate'> {
  /**
   * Which end this is. The dialect of a frame is the vendor of its device end: the destination of what the
   * harness sends, the source of what it receives (and the reverse on the devices' side).
   */
  side: 'harness' | 'devices';
  dialectOf: (deviceEui: string) => Dialect;
}

const settled = Promise.resolve();

export class MessageEndpoint extends EventEmitter<{
  message: [Envelope];
  drop: [LinkDrop];
  trace: [TraceEntry];
  session: [PeerSession];
}> {
  readonly link: LinkLayer;
  /**
   * The message `validate` decoded last, and what it came from: the link layer emits 'message' for a received
   * message synchronously after validating that same object, so one slot carries the decoding across (a WeakMap
   * entry per message cost a hash insertion and its garbage on every frame).
   */
  private decodedFrom: ReceivedMessage | undefined;
  private decoded: Message | undefined;

  constructor(private readonly options: EndpointOptions) {
    super();
    this.link = new LinkLayer({ ...options, validate: (received) => this.validate(received) });
    this.link.on('message', (received) => {
      if (received !== this.decodedFrom) return;
      const message = this.decoded!;
      this.decodedFrom = this.decoded = undefined;
      this.emit('message', {
        source: received.source,
        destination: received.destination,
        message,
        at: received.at,
        session: received.session,
      });
    });
    this.link.on('session', (session) => this.emit('session', session));
    this.link.on('drop', (drop) => this.emit('drop', drop));
    forwardTraceOnDemand(this.link, this);
  }

  /** Encodes and sends; rejects with EncodeError (bad field, named) or LinkError (not delivered). */
  send(source: string, destination: string, message: Message, options: SendOptions = NO_OPTIONS): Promise<void> {
    let encoded: EncodedPayload;
    try {
      encoded = this.encode(source, destination, message);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.link.send(header(source, destination, encoded), encoded.payload, options);
  }

  /**
   * `send` without a promise (LinkLayer.post), for the senders of every message: `done` is called once, on a
   * microtask of its own, with undefined once delivered or with the EncodeError or LinkError `send` would reject with.
   */
  post(source: string, destination: string, message: Message, options: SendOptions, done: SendDone): void {
    let encoded: EncodedPayload;
    try {
      encoded = this.encode(source, destination, message);
    } catch (error) {
      void settled.then(() => done(error as Error));
      return;
    }
    this.link.post(header(source, destination, encoded), encoded.payload, options, done);
  }

  /** The message's payload in its device's dialect; throws EncodeError naming the bad field. */
  private encode(source: string, destination: string, message: Message): EncodedPayload {
    try {
      return payloadCodec(this.dialectFor(source, destination, 'out')).encode(message);
    } catch (error) {
      throw error instanceof EncodeError ? error : new EncodeError(String(error));
    }
  }

  receive(bytes: Uint8Array): void {
    this.link.receive(bytes);
  }

  setConnected(up: boolean): void {
    this.link.setConnected(up);
  }

  /** Takes back every alert (persistent send) not yet acknowledged: LinkLayer.withdrawPersistent. */
  withdrawPersistent(reason: string): void {
    this.link.withdrawPersistent(reason);
  }

  close(reason?: string): void {
    this.link.close(reason);
  }

  private validate(received: ReceivedMessage) {
    try {
      const dialect = this.dialectFor(received.source, received.destination, 'in');
      this.decoded = payloadCodec(dialect).decode(received.type, received.messageId, received.payload);
      this.decodedFrom = received;
      return undefined;
    } catch (error) {
      if (error instanceof DecodeError) {
        this.emit('drop', { reason: 'malformed', detail: `from ${received.source}: ${error.message}` });
        return error.reason === 'unknownMessage' ? 'unknownMessage' : 'malformedPayload';
      }
      throw error;
    }
  }

  private dialectFor(source: string, destination: string, direction: 'in' | 'out'): Dialect {
    const deviceEnd = (this.options.side === 'harness') === (direction === 'out') ? destination : source;
    return this.options.dialectOf(deviceEnd);
  }
}

function header(source: string, destination: string, encoded: EncodedPayload): MessageHeader {
  return { type: encoded.frameType as MessageHeader['type'], source, destination, messageId: encoded.messageId };
}
