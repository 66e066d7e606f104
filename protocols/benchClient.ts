/**
 * The harness side of the wire: sends commands and control messages, matches responses by request id, and
 * hands out alerts. Whatever is at the other end (the emulator over any link, or a real bench adapter) only has
 * to speak docs/protocol.md.
 */
import { EventEmitter } from 'node:events';
import { HARNESS_EUI } from './constants';
import type { Envelope, MessageEndpoint } from './endpoint';
import { NO_OPTIONS, type LinkClock, type PeerSession } from './linkLayer';
import { withRequestId, type AlertMessage, type CommandMessage, type ResponseMessage } from './messages';
import type { MessageFields, RequestName } from './messageTypes.generated';

export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    message: string,
    readonly reason: 'timeout' | 'disconnected' | 'closed' | 'link',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface BenchClientOptions {
  endpoint: MessageEndpoint;
  clock: LinkClock;
  localEui?: string;
  /** How long to wait for a response after the command is acknowledged. Default 30 s. */
  responseTimeout?: number;
}

export interface DeviceAlert {
  source: string;
  alert: AlertMessage;
}

interface Pending {
  destination: string;
  command: string;
  requestId: number;
  resolve: (response: ResponseMessage) => void;
  reject: (error: Error) => void;
  timer: unknown;
  /** The peer session (LinkLayer.peerEpoch) in which the device end acknowledged the command; 0 while none known. */
  ackedIn: number | undefined;
}

/**
 * A command or control message before its request id is given: `type` names it, the rest are its fields. A union of
 * one type per name (distributed over N), so narrowing `type` narrows the fields.
 */
export type CommandInput<N extends RequestName = RequestName> = N extends RequestName
  ? { type: N } & MessageFields[N]
  : never;

export class BenchClient extends EventEmitter<{ alert: [DeviceAlert]; stale: [Envelope] }> {
  private nextRequestId = 1;
  private sent = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly localEui: string;
  private readonly responseTimeout: number;

  constructor(private readonly options: BenchClientOptions) {
    super();
    this.localEui = options.localEui ?? HARNESS_EUI;
    this.responseTimeout = options.responseTimeout ?? 30_000;
    options.endpoint.on('message', (envelope) => this.onMessage(envelope));
    options.endpoint.on('session', (session) => this.peerSessionBegan(session));
  }

  get outstanding(): number {
    return this.pending.size;
  }

  /** Requests made so far (answered or not): a co-simulation's sign that the far end's state may have changed. */
  get requestsMade(): number {
    return this.sent;
  }

  /** Sends a command or control message and resolves with its response (whatever its status). */
  request<N extends RequestName>(destination: string, command: CommandInput<N>): Promise<ResponseMessage<N>> {
    const requestId = this.allocateRequestId();
    this.sent += 1;
    // a copy onto a constructor's hidden classes, not a spread (messages.ts); a field named `__proto__` stays a field
    const message = withRequestId(command, requestId);
    return new Promise<ResponseMessage<N>>((resolve, reject) => {
      // onMessage resolves it only with a response whose `message` is this command's name, so a ResponseMessage<N>.
      const entry: Pending = {
        destination,
        command: command.type,
        requestId,
        resolve: resolve as Pending['resolve'],
        reject,
        timer: undefined,
        ackedIn: undefined,
      };
      this.pending.set(requestId, entry);
      this.options.endpoint.post(this.localEui, destination, message as CommandMessage, NO_OPTIONS, (error) =>
        error === undefined ? this.acknowledged(entry) : this.notDelivered(entry, error),
      );
    });
  }

  /** The device end acknowledged the command: its response is awaited from now, for responseTimeout at most. */
  private acknowledged(entry: Pending): void {
    const { requestId } = entry;
    if (this.pending.get(requestId) !== entry) return;
    entry.ackedIn = this.options.endpoint.link.peerEpoch;
    entry.timer = this.options.clock.setTimeout(() => {
      this.settle(requestId)?.reject(
        new RequestError(
          `${entry.command} to ${entry.destination} (request ${requestId}): no response within ${this.responseTimeout} ms`,
          'timeout',
        ),
      );
    }, this.responseTimeout);
  }

  private notDelivered(entry: Pending, error: Error): void {
    const { requestId } = entry;
    if (this.pending.get(requestId) !== entry) return;
    this.settle(requestId)!.reject(
      new RequestError(
        `${entry.command} to ${entry.destination} (request ${requestId}) not delivered: ${error.message}`,
        'link',
        { cause: error },
      ),
    );
  }

  /** The link went down: every request still waiting fails now, with a message that says so. */
  disconnected(detail = 'link disconnected'): void {
    for (const requestId of [...this.pending.keys()]) {
      const entry = this.settle(requestId)!;
      entry.reject(
        new RequestError(
          `${entry.command} to ${entry.destination} (request ${requestId}): ${detail} while waiting for the response`,
          'disconnected',
        ),
      );
    }
  }

  /**
   * The device end announced a new session (an emulator restarted): responses belong to the session that was asked
   * (docs/protocol.md "Sessions"), so a request an earlier, known session acknowledged will never be answered. Fail
   * those now rather than at the response timeout; unacknowledged ones go to the new session. A device end that
   * announces nothing is given the benefit of the doubt: its first frame after a connection is not a restart notice.
   */
  private peerSessionBegan(session: PeerSession): void {
    if (session.peerSession === undefined) return;
    for (const [requestId, entry] of [...this.pending]) {
      if (entry.ackedIn === undefined || entry.ackedIn === 0 || entry.ackedIn >= session.epoch) continue;
      this.settle(requestId)!.reject(
        new RequestError(
          `${entry.command} to ${entry.destination} (request ${requestId}): the device end began a new session (restarted?) before answering`,
          'disconnected',
        ),
      );
    }
  }

  close(): void {
    for (const requestId of [...this.pending.keys()]) {
      const entry = this.settle(requestId)!;
      entry.reject(
        new RequestError(`${entry.command} to ${entry.destination} (request ${requestId}): client closed`, 'closed'),
      );
    }
  }

  private allocateRequestId(): number {
    for (let tries = 0; tries < 0x10000; tries++) {
      const id = this.nextRequestId;
      this.nextRequestId = (this.nextRequestId % 0xffff) + 1; // 1…65535: 0 never used, so it stands out in traces
      if (!this.pending.has(id)) return id;
    }
    throw new RequestError('65,535 requests outstanding: no request id free', 'link');
  }

  private settle(requestId: number): Pending | undefined {
    const entry = this.pending.get(requestId);
    if (!entry) return undefined;
    this.pending.delete(requestId);
    if (entry.timer !== undefined) this.options.clock.clearTimeout(entry.timer);
    return entry;
  }

  private onMessage(envelope: Envelope): void {
    const { message } = envelope;
    if (message.type === 'alert') {
      this.emit('alert', { source: envelope.source, alert: message });
      return;
    }
    if (message.type !== 'response') {
      this.emit('stale', envelope);
      return;
    }
    const response = message;
    const entry = this.pending.get(response.requestId);
    if (!entry || entry.destination !== envelope.source || entry.command !== response.message) {
      // A response to a request that already failed (timeout, disconnect): logged by the caller, never matched.
      this.emit('stale', envelope);
      return;
    }
    this.settle(response.requestId)!.resolve(response);
  }
}
