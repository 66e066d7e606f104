/**
 * A recording served as a device set (`smets1 emulate --replay TRACE`): a lab's session with real devices, recorded
 * by `smets1 run --record`, becomes a far end a CI run can talk to. The emulator's end of the link, as DeviceHost is,
 * but answering from the recording (emulator/recording/replayScript.ts) instead of device machines.
 *
 * The matching rule: the n-th harness session (a new session id announced, or a peer that announces none) is served
 * from the n-th part of the recording (`# scenario` lines; a recording without them is one part). Within a part a
 * command or control is answered by the first recorded one not yet used with the same frame type, destination EUI,
 * message id and payload bytes after the request id: answered at once with the recorded response's status and body
 * (under the request's own request id), and the alerts the devices raised after it are raised again at their
 * recorded offsets from it, on this host's clock, with their recorded payloads. A request the part lacks is refused
 * with NAK notRecorded (its sender gives up: the send fails with that reason) and told through `unmatched`.
 * The emulator's clock controls (to EMULATOR_EUI) are this host's own, as DeviceHost's are: with `harnessDriven` the
 * harness moves the clock the alerts are timed on, in lockstep.
 */
import { EventEmitter } from 'node:events';
import { EMULATOR_EUI, HARNESS_EUI, type NakReasonName } from '../../protocols/constants';
import { messageById } from '../../protocols/commandTable';
import {
  LinkLayer,
  type LinkDrop,
  type PeerSession,
  type ReceivedMessage,
  type TraceEntry,
} from '../../protocols/linkLayer';
import type { CommandMessage, ResponseMessage } from '../../protocols/messages';
import { payloadCodec } from '../../protocols/payloadCodec';
import { forwardTraceOnDemand } from '../../protocols/listenedEvents';
import type { EmulatorClock, TimerId } from '../clock/clock';
import { VirtualClock } from '../clock/virtualClock';
import type { ByteLink } from '../links/byteLink';
import type { RecordedAlert, RecordedExchange, ReplayPart, ReplayScript } from '../recording/replayScript';
import type { TraceDevice } from '../recording/traceFormat';
import type { DeviceHostOptions } from './deviceHost';
import { HarnessClockControl } from './harnessClockControl';

/** Payload bytes an unmatched request's log line shows; the rest is counted. */
const LOGGED_PAYLOAD_BYTES = 64;

export type ReplayHostOptions = Pick<DeviceHostOptions, 'clock' | 'linkClock' | 'harnessDriven' | 'link'>;

export class ReplayHost extends EventEmitter<{ trace: [TraceEntry]; drop: [LinkDrop]; unmatched: [text: string] }> {
  readonly devices: readonly TraceDevice[];
  private readonly layer: LinkLayer;
  private readonly clockControl: HarnessClockControl | undefined;
  /** Where the devices' clock started: a benchReset on the harness clock puts it back there. */
  private readonly clockStart: number;
  private part: ReplayPart | undefined;
  private partIndex = -1;
  private peerSession: number | undefined;
  private readonly used = new Set<RecordedExchange>();
  private readonly matched = new WeakMap<ReceivedMessage, RecordedExchange>();
  private readonly timers = new Set<TimerId>();
  private harnessEui = HARNESS_EUI;
  private alertsInFlight = 0;
  private alertWaiters: (() => void)[] = [];
  private detachLink: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly script: ReplayScript,
    private readonly options: ReplayHostOptions,
  ) {
    super();
    this.devices = script.devices;
    if (options.harnessDriven) {
      if (!(options.clock instanceof VirtualClock))
        throw new Error('replay: a harness-driven replay needs a VirtualClock as its clock');
      this.clockControl = new HarnessClockControl(options.clock, () => this.alertsAcknowledged());
    }
    this.clockStart = options.clock.now();
    const linkClock = options.linkClock ?? options.clock;
    this.layer = new LinkLayer({
      clock: linkClock,
      localEui: EMULATOR_EUI,
      transmit: (bytes) => this.link?.write(bytes),
      ackTimeout: options.link?.ackTimeout,
      maxTries: options.link?.maxTries,
      reassemblyTimeout: options.link?.reassemblyTimeout,
      sessionId: options.link?.sessionId ?? Math.floor(linkClock.now()) % 0x1_0000_0000,
      connected: false,
      validate: (message) => this.admit(message),
    });
    forwardTraceOnDemand(this.layer, this);
    this.layer.on('drop', (drop) => this.emit('drop', drop));
    this.layer.on('session', (session) => this.onSession(session));
    this.layer.on('message', (message) => this.onMessage(message));
  }

  private link: ByteLink | undefined;

  attach(link: ByteLink): void {
    this.detach();
    this.link = link;
    const offs = [
      link.on('data', (bytes) => this.layer.receive(bytes)),
      link.on('open', () => this.layer.setConnected(true)),
      link.on('close', () => this.layer.setConnected(false)),
    ];
    this.detachLink = () => offs.forEach((off) => off());
    this.layer.setConnected(link.isOpen);
  }

  detach(): void {
    this.detachLink?.();
    this.detachLink = undefined;
    this.link = undefined;
    this.layer.setConnected(false);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimers();
    this.detach();
    this.layer.close('replay shutting down');
    this.settleAlertWaiters();
  }

  /** Resolves once every alert raised so far has been acknowledged (or failed, or the host closed). */
  alertsAcknowledged(): Promise<void> {
    if (this.alertsInFlight === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.alertWaiters.push(resolve));
  }

  /** A new harness session is served from the next part; a reconnection of the same session carries on. */
  private onSession(session: PeerSession): void {
    if (session.peerSession !== undefined && session.peerSession === this.peerSession && this.part !== undefined)
      return;
    this.peerSession = session.peerSession;
    this.cancelTimers();
    this.used.clear();
    this.partIndex++;
    this.part = this.script.parts[this.partIndex];
    if (this.part === undefined) {
      this.emit(
        'unmatched',
        `harness session ${this.partIndex + 1}: the recording has ${this.script.parts.length} part(s); every request of this session is refused`,
      );
      return;
    }
    this.raiseLater(this.part.leadingAlerts);
  }

  /** Before the ack: a command or control is taken only if the part has a recorded answer for it. */
  private admit(message: ReceivedMessage): NakReasonName | undefined {
    if ((message.type !== 'command' && message.type !== 'control') || message.destination === EMULATOR_EUI)
      return undefined;
    const body = Buffer.from(message.payload.subarray(2)).toString('hex');
    const exchange = this.part?.exchanges.find(
      (e) =>
        !this.used.has(e) &&
        e.type === message.type &&
        e.destination === message.destination &&
        e.messageId === message.messageId &&
        e.body === body,
    );
    if (exchange === undefined) {
      const name = messageById.get(message.messageId)?.name ?? `message 0x${message.messageId.toString(16)}`;
      // a segmented payload runs to 64 KB: the log line shows its start
      const shown =
        body.length > 2 * LOGGED_PAYLOAD_BYTES
          ? `${body.slice(0, 2 * LOGGED_PAYLOAD_BYTES)}…(${body.length / 2} bytes)`
          : body || '(empty)';
      this.emit(
        'unmatched',
        `${this.part?.name ?? 'no part'}: no recorded ${name} to ${message.destination} with payload ${shown}: refused, NAK notRecorded`,
      );
      return 'notRecorded';
    }
    this.used.add(exchange);
    this.matched.set(message, exchange);
    return undefined;
  }

  private onMessage(message: ReceivedMessage): void {
    if (message.type !== 'command' && message.type !== 'control') return;
    this.harnessEui = message.source;
    const requestId = message.payload.subarray(0, 2);
    if (message.destination === EMULATOR_EUI) {
      void this.clockAnswer(message);
      return;
    }
    const exchange = this.matched.get(message)!;
    if (exchange.response === undefined) {
      this.emit(
        'unmatched',
        `${this.part?.name}: the recording has no response to this ${messageById.get(message.messageId)?.name ?? message.messageId} to ${message.destination}: none sent`,
      );
    } else {
      const header = {
        type: 'response' as const,
        source: message.destination,
        destination: message.source,
        messageId: message.messageId,
      };
      this.layer
        .send(header, Buffer.concat([requestId, exchange.response]), { session: message.session })
        .catch((error: Error) =>
          this.emit('drop', { reason: 'malformed', detail: `replayed response not delivered: ${error.message}` }),
        );
    }
    this.raiseLater(exchange.alerts);
  }

  /** A clock control, decoded and answered as DeviceHost does (unsupported without `harnessDriven`). */
  private async clockAnswer(message: ReceivedMessage): Promise<void> {
    const codec = payloadCodec('itron');
    // Only command and control frames to the emulator's own address come here (onMessage): they decode as CommandMessages.
    const command = codec.decode(message.type, message.messageId, message.payload) as CommandMessage;
    const { requestId, type } = command;
    const result =
      type === 'benchReset'
        ? { status: this.reset() ? ('ok' as const) : ('busy' as const) }
        : ((await this.clockControl?.handle(command)) ?? { status: 'unsupported' as const });
    const response: ResponseMessage = { type: 'response', message: type, requestId, status: result.status };
    if (result.body !== undefined && result.status === 'ok') response.body = result.body;
    if (this.closed) return;
    const encoded = codec.encode(response);
    const header = {
      type: 'response' as const,
      source: EMULATOR_EUI,
      destination: message.source,
      messageId: encoded.messageId,
    };
    this.layer.send(header, encoded.payload, { session: message.session }).catch(() => {});
  }

  /**
   * benchReset, as `smets1 run` sends it before each scenario on a far end it did not start: what the last session
   * left pending (alerts not yet raised or not acknowledged) goes and, on the harness clock, virtual time goes back
   * to its start. Nothing else: each harness session is served from the next recorded part anyway.
   */
  private reset(): boolean {
    if (this.closed || this.clockControl?.advancing) return false;
    this.cancelTimers();
    this.layer.withdrawPersistent('bench reset');
    const linkClock = this.options.linkClock ?? this.options.clock;
    if (this.clockControl !== undefined && linkClock !== this.options.clock)
      (this.options.clock as VirtualClock).restart(this.clockStart);
    this.settleAlertWaiters();
    return true;
  }

  private raiseLater(alerts: readonly RecordedAlert[]): void {
    for (const alert of alerts) {
      const timer = this.options.clock.setTimeout(() => {
        this.timers.delete(timer);
        this.raise(alert);
      }, alert.offsetMs);
      this.timers.add(timer);
    }
  }

  private raise(alert: RecordedAlert): void {
    if (this.closed) return;
    this.alertsInFlight++;
    const done = () => {
      this.alertsInFlight--;
      if (this.alertsInFlight === 0) this.settleAlertWaiters();
    };
    this.layer
      .send(
        { type: 'alert', source: alert.source, destination: this.harnessEui, messageId: alert.messageId },
        alert.payload,
        { persistent: true },
      )
      .then(done, (error: Error) => {
        this.emit('drop', {
          reason: 'malformed',
          detail: `replayed alert from ${alert.source} not delivered: ${error.message}`,
        });
        done();
      });
  }

  private cancelTimers(): void {
    for (const timer of this.timers) this.options.clock.clearTimeout(timer);
    this.timers.clear();
  }

  private settleAlertWaiters(): void {
    const waiters = this.alertWaiters;
    this.alertWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
