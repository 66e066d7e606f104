/**
 * The device host: the emulator's end of a link. Bytes in → link layer (acks, retries, duplicates, segments) →
 * decode in the device's dialect → route by EUI to its device set actor → the device's response and alerts →
 * encode → link layer → bytes out. A response goes to the harness session that asked and to no other (docs/protocol.md
 * "Sessions"). Alerts wait in a queue until the harness acknowledges them: none is lost when the link drops, none is
 * delivered twice within a session, and the queue is part of the persisted state.
 * All timing runs on the injected clocks (the devices' and the link layer's, one clock unless split); the host has no
 * timers of its own. With `harnessDriven` the devices' clock is a VirtualClock the harness moves over the link (the
 * clock controls to EMULATOR_EUI, docs/protocol.md "Virtual time"); a host on any other clock answers them unsupported.
 */
import { EventEmitter } from 'node:events';
import { EMULATOR_EUI, HARNESS_EUI, type Dialect } from '../../protocols/constants';
import { MessageEndpoint, type Envelope } from '../../protocols/endpoint';
import { EncodeError } from '../../protocols/errors';
import { LinkError, type LinkDrop, type TraceEntry } from '../../protocols/linkLayer';
import { withRequestId, type AlertMessage, type CommandMessage, type ResponseMessage } from '../../protocols/messages';
import { forwardTraceOnDemand, whileListened } from '../../protocols/listenedEvents';
import type { RequestName, ResponseBodies } from '../../protocols/messageTypes.generated';
import { createDeviceSetActor, sendToMember, type DeviceSetActor, type DeviceSetEmitted } from '../../devices/set';
import { resolveQuirks } from '../../devices/quirks/registry';
import type { EmulatorClock } from '../clock/clock';
import { VirtualClock } from '../clock/virtualClock';
import type { ByteLink } from '../links/byteLink';
import { toSetInput, type DeviceSetConfig } from './benchConfig';
import { setsOfConfigure, type ConfigureSet } from './benchConfigure';
import { DeviceLineFaults, type LinkFaultControl } from './deviceLineFaults';
import { HarnessClockControl } from './harnessClockControl';
import { SetChanges } from './setChanges';

export interface PendingAlert {
  /** Host-wide increasing number: the order alerts were raised in. */
  id: number;
  source: string;
  destination: string;
  code: number;
  at: number;
  payload: string;
}

export interface DeviceEntry {
  eui: string;
  type: 'CH' | 'ESME' | 'GSME' | 'PPMID';
  vendor: DeviceSetConfig['vendor'];
  set: number;
}

export interface DeviceResult {
  status: ResponseMessage['status'];
  body?: ResponseBodies[RequestName];
}

export interface HostState {
  sets: DeviceSetConfig[];
  snapshots: unknown[];
  pendingAlerts: PendingAlert[];
  nextAlertId: number;
}

/** One set's share of the persisted state: its snapshot and the unacknowledged alerts its devices raised. */
export interface SetState {
  snapshot: unknown;
  pendingAlerts: PendingAlert[];
  nextAlertId: number;
}

export interface DeviceHostOptions {
  /** The devices' clock (their timers and alert times); the link layer's too unless `linkClock` is given. */
  clock: EmulatorClock;
  /**
   * The link layer's clock (ack timeouts, retransmissions, reassembly), when it is not the devices': bytes on a real
   * link take wall time even when the devices run on virtual time. Default `clock`.
   */
  linkClock?: EmulatorClock;
  /**
   * `clock` is a VirtualClock that only the harness moves, over the link (clockStatus, advanceClock). Without it the
   * host answers those unsupported.
   */
  harnessDriven?: boolean;
  sets: DeviceSetConfig[];
  /** Restore from a persisted state (emulator/persistence). */
  restore?: Pick<HostState, 'snapshots' | 'pendingAlerts' | 'nextAlertId'>;
  /**
   * Persistence hook: every response and alert leaves through it, so a persisting bench can hold it until the
   * change that led to it is durable (emulator/persistence/hostPersistence.ts). Default: send at once.
   */
  outbound?: (send: () => void) => void;
  /**
   * `sessionId` is announced to the harness on every connection (docs/protocol.md "Sessions"); default: the link
   * clock's milliseconds at start (mod 2^32), which differ between runs of an emulator without any random choice.
   */
  link?: { ackTimeout?: number; maxTries?: number; reassemblyTimeout?: number; sessionId?: number };
  /**
   * The sets are fixed (`smets1 emulate --state`: the persisted ones): benchConfigure is answered unsupported rather
   * than leave the state directory describing other devices than those served.
   */
  fixedSets?: boolean;
}

/** The send options of every alert, made once: the link layer only reads them. */
const PERSISTENT = { persistent: true } as const;

/** Sets one benchInfo answer describes at most (about 1.5 KB: six frames). */
const BENCH_INFO_SETS = 64;

type Waiting =
  | { kind: 'wire'; harness: string; requestId: number; message: RequestName; device: string; session: number }
  | { kind: 'api'; resolve: (result: DeviceResult) => void };

export class DeviceHost extends EventEmitter<{
  /**
   * A set's persisted state changed (its snapshot, or its devices' alert queue). `acknowledged`: only an alert left
   * the queue because the harness acknowledged it — a change a persisting bench may write late (a lost one means
   * the alert is sent again after a restart, never that an alert is lost).
   */
  change: [set: number, acknowledged?: boolean];
  trace: [TraceEntry];
  drop: [LinkDrop];
  alert: [PendingAlert];
  message: [Envelope];
}> {
  readonly endpoint: MessageEndpoint;
  /** The devices served, set by set: the options' sets, or the last benchConfigure's. */
  devices: readonly DeviceEntry[] = [];
  private sets: DeviceSetConfig[];
  private readonly actors: DeviceSetActor[] = [];
  private readonly setOf = new Map<string, number>();
  private readonly waiting = new Map<string, Waiting>();
  /** Unacknowledged alerts, oldest first (a Set keeps insertion order; an ack removes one without copying the rest). */
  private readonly pendingAlerts = new Set<PendingAlert>();
  private nextAlertId = 1;
  private nextInternalId = 1;
  private link: ByteLink | undefined;
  private detachLink: (() => void) | undefined;
  /** Where alerts go: the harness that spoke last (the default harness address until one does). */
  private harnessEui = HARNESS_EUI;
  private closed = false;
  /** Resolved when no alert waits for the harness's acknowledgement (at most one: advances do not overlap). */
  private alertsAcknowledgedWaiters: (() => void)[] = [];
  private readonly clockControl: HarnessClockControl | undefined;
  /** Where the devices' clock stood when the host was made: a reset on the harness clock goes back to it. */
  private readonly clockStart: number;
  /** The device line's faults the harness asked for (linkFault): between the link and the link layer, both ways. */
  readonly lineFaults: DeviceLineFaults;
  /** The sets' snapshots observed for 'change' only while something listens to it. */
  private readonly setChanges = new SetChanges((set) => this.changed(set));

  constructor(private readonly options: DeviceHostOptions) {
    super();
    this.sets = options.sets;
    this.indexDevices();
    this.clockStart = options.clock.now();
    if (options.harnessDriven) {
      if (!(options.clock instanceof VirtualClock))
        throw new Error('bench: a harness-driven device host needs a VirtualClock as its clock');
      this.clockControl = new HarnessClockControl(options.clock, () => this.alertsAcknowledged());
    }
    const linkClock = options.linkClock ?? options.clock;
    this.lineFaults = new DeviceLineFaults(options.clock);

    this.endpoint = new MessageEndpoint({
      side: 'devices',
      clock: linkClock,
      localEui: EMULATOR_EUI,
      transmit: (bytes) => {
        const kept = this.lineFaults.outbound(bytes);
        if (kept !== undefined) this.link?.write(kept);
      },
      dialectOf: (eui) => this.dialectOf(eui),
      ackTimeout: options.link?.ackTimeout,
      maxTries: options.link?.maxTries,
      reassemblyTimeout: options.link?.reassemblyTimeout,
      sessionId: options.link?.sessionId ?? Math.floor(linkClock.now()) % 0x1_0000_0000,
      connected: false, // until a link is attached and open
    });
    this.endpoint.setConnected(false);
    whileListened(
      this,
      'change',
      () => this.setChanges.start(this.actors),
      () => this.setChanges.stop(),
    );
    this.endpoint.on('message', (envelope) => this.onWireMessage(envelope));
    this.endpoint.on('drop', (drop) => this.emit('drop', drop));
    forwardTraceOnDemand(this.endpoint, this);

    options.sets.forEach((config, index) =>
      this.actors.push(this.createSet(config, index, options.restore?.snapshots[index])),
    );
    if (options.restore) {
      this.nextAlertId = options.restore.nextAlertId;
      for (const alert of options.restore.pendingAlerts) this.queueAlert(alert);
    }
    this.actors.forEach((actor, index) => this.startSet(actor, index));
  }

  /** `devices` and the EUI → set map, from `sets`. */
  private indexDevices(): void {
    const devices: DeviceEntry[] = [];
    this.setOf.clear();
    this.sets.forEach((config, index) => {
      for (const [type, eui] of Object.entries(config.euis) as [DeviceEntry['type'], string][]) {
        if (this.setOf.has(eui)) throw new Error(`bench: EUI ${eui} is in set ${this.setOf.get(eui)} and set ${index}`);
        this.setOf.set(eui, index);
        devices.push({ eui, type, vendor: config.vendor, set: index });
      }
    });
    this.devices = devices;
  }

  private createSet(config: DeviceSetConfig, index: number, snapshot?: unknown): DeviceSetActor {
    const actor = createDeviceSetActor({
      input: toSetInput(config),
      clock: this.options.clock,
      ...(snapshot ? { snapshot: snapshot as never } : {}),
    });
    actor.on('response', (emitted) =>
      this.onDeviceResponse(emitted as Extract<DeviceSetEmitted, { type: 'response' }>),
    );
    actor.on('alert', (emitted) => this.onDeviceAlert(emitted as Extract<DeviceSetEmitted, { type: 'alert' }>));
    actor.subscribe({
      error: (error) => this.emit('drop', { reason: 'malformed', detail: `set ${index} failed: ${String(error)}` }),
    });
    return actor;
  }

  private startSet(actor: DeviceSetActor, index: number): void {
    actor.start();
    this.setChanges.add(actor, index);
  }

  /**
   * Every set back to the start its config gives (a restored state is not kept: the config's start is), its
   * unacknowledged alerts discarded, and on the harness clock virtual time back to where it stood when the host was
   * made, no timer pending (the link layer keeps its own clock). Requests waiting for a device are dropped unanswered.
   * The emulator's benchReset (docs/protocol.md "Bench controls"); refused (false) while an advance runs.
   */
  reset(): boolean {
    if (this.closed || this.clockControl?.advancing) return false;
    for (const actor of this.actors) actor.stop();
    this.setChanges.forget();
    this.waiting.clear();
    this.pendingAlerts.clear();
    this.endpoint.withdrawPersistent('bench reset');
    this.lineFaults.clear();
    if (
      this.clockControl !== undefined &&
      this.options.linkClock !== undefined &&
      this.options.linkClock !== this.options.clock
    ) {
      (this.options.clock as VirtualClock).restart(this.clockStart);
    }
    this.actors.splice(0, this.actors.length, ...this.sets.map((config, index) => this.createSet(config, index)));
    this.actors.forEach((actor, index) => this.startSet(actor, index));
    this.sets.forEach((_, index) => this.changed(index));
    this.settleAlertWaiters();
    return true;
  }

  /**
   * The emulator's benchConfigure (docs/protocol.md "Bench controls"): `sets` become the sets served (and the start a
   * later reset returns to), then a reset. Refused while an advance runs, as a reset is. `sets` are as
   * setsOfConfigure (benchConfigure.ts) checked them: every EUI once.
   */
  configure(sets: DeviceSetConfig[]): 'ok' | 'busy' | 'unsupported' {
    if (this.options.fixedSets === true) return 'unsupported';
    if (this.closed || this.clockControl?.advancing) return 'busy';
    // the old sets' actors go first: the reset rebuilds from the new ones
    for (const actor of this.actors) actor.stop();
    this.setChanges.forget();
    this.actors.splice(0);
    this.sets = sets;
    this.indexDevices();
    this.reset();
    return 'ok';
  }

  /**
   * What the emulator says of itself (benchInfo): its devices' clock and the configuration of up to
   * BENCH_INFO_SETS sets from `firstSet`, so an answer stays a few frames however many sets the bench has.
   */
  private benchInfo(firstSet: number): DeviceResult {
    return {
      status: 'ok',
      body: {
        clock: this.clockControl !== undefined ? 'harness' : 'wall',
        setCount: this.sets.length,
        sets: this.sets.slice(firstSet, firstSet + BENCH_INFO_SETS).map((config) => ({
          vendor: config.vendor,
          installation: config.installation,
          migrationState: config.migrationState ?? 'smso',
          seed: config.seed,
          ppmid: config.ppmid,
          quirks: resolveQuirks(config.vendor, config.quirks).join(','),
        })),
      },
    };
  }

  /** A message to the emulator's own address: a bench control, or a clock control when the harness drives the clock. */
  private emulatorControl(command: CommandMessage): Promise<DeviceResult> {
    if (command.type === 'benchInfo') return Promise.resolve(this.benchInfo(command.firstSet));
    if (command.type === 'benchReset') return Promise.resolve({ status: this.reset() ? 'ok' : 'busy' });
    if (command.type === 'linkFault') {
      const refusal = this.lineFaults.apply(command as unknown as LinkFaultControl);
      if (refusal !== undefined) this.emit('drop', { reason: 'malformed', detail: `linkFault refused: ${refusal}` });
      return Promise.resolve({ status: refusal === undefined ? 'ok' : 'invalidParameter' });
    }
    if (command.type === 'benchConfigure') {
      const sets = setsOfConfigure(command as unknown as { sets: ConfigureSet[] });
      if (typeof sets === 'string') {
        this.emit('drop', { reason: 'malformed', detail: `benchConfigure refused: ${sets}` });
        return Promise.resolve({ status: 'invalidParameter' });
      }
      return Promise.resolve({ status: this.configure(sets) });
    }
    return this.clockControl?.handle(command) ?? Promise.resolve({ status: 'unsupported' });
  }

  /** Serve on a byte link (one at a time; attaching another detaches the first). */
  attach(link: ByteLink): void {
    this.detach();
    this.link = link;
    const offs = [
      link.on('data', (bytes) => this.lineFaults.inbound(bytes, this.receive)),
      link.on('open', () => this.endpoint.setConnected(true)),
      link.on('close', () => this.endpoint.setConnected(false)),
    ];
    this.detachLink = () => offs.forEach((off) => off());
    this.endpoint.setConnected(link.isOpen);
  }

  detach(): void {
    this.detachLink?.();
    this.detachLink = undefined;
    this.link = undefined;
    this.endpoint.setConnected(false);
  }

  /** The TypeScript stimulus and command API: the same device path as the wire, without the wire. */
  command(eui: string, command: { type: string } & Record<string, unknown>): Promise<DeviceResult> {
    return new Promise((resolve) => {
      if (!this.dispatch(eui, command, { kind: 'api', resolve })) resolve({ status: 'unknownDevice' });
    });
  }

  private readonly receive = (bytes: Uint8Array): void => this.endpoint.receive(bytes);

  /**
   * Resolves once every alert raised so far has been acknowledged by the harness (or discarded, or the host closed).
   * At once while the device line is cut (linkFault): those alerts wait for the line, and an advance that waited for
   * them would stop the time that ends the cut.
   */
  alertsAcknowledged(): Promise<void> {
    if (this.pendingAlerts.size === 0 || this.closed || this.lineFaults.cut) return Promise.resolve();
    return new Promise((resolve) => this.alertsAcknowledgedWaiters.push(resolve));
  }

  /** Alerts raised and not yet acknowledged by the harness, oldest first. */
  get unacknowledgedAlerts(): readonly PendingAlert[] {
    return [...this.pendingAlerts.values()];
  }

  get state(): HostState {
    return {
      sets: this.sets,
      snapshots: this.actors.map((actor) => actor.getPersistedSnapshot()),
      pendingAlerts: [...this.pendingAlerts.values()],
      nextAlertId: this.nextAlertId,
    };
  }

  /** Set `index`'s share of `state`: what a persisting bench writes when that set changed. */
  setState(index: number): SetState {
    const members = new Set(Object.values(this.sets[index].euis));
    return {
      snapshot: this.actors[index].getPersistedSnapshot(),
      pendingAlerts: [...this.pendingAlerts.values()].filter((alert) => members.has(alert.source)),
      nextAlertId: this.nextAlertId,
    };
  }

  dialectOf(eui: string): Dialect {
    const set = this.setOf.get(eui);
    // An unknown EUI still needs a dialect to decode a command it will answer `unknownDevice` to.
    return set === undefined ? 'itron' : this.sets[set].vendor;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // a cut's timer on the wall clock would otherwise keep the process up for the rest of the cut
    this.lineFaults.clear();
    this.detach();
    this.endpoint.close('emulator shutting down');
    for (const actor of this.actors) actor.stop();
    this.settleAlertWaiters();
  }

  // ── wire → devices ───────────────────────────────────────────────────────────────────────────────────────────

  private onWireMessage(envelope: Envelope): void {
    this.emit('message', envelope);
    const message = envelope.message;
    if (message.type === 'response' || message.type === 'alert') return; // devices are not sent these
    this.harnessEui = envelope.source;
    const { requestId, type } = message;
    if (envelope.destination === EMULATOR_EUI) {
      // A bench or clock control, to the emulator itself: answered when done (an advance runs device timers first).
      const answer = this.emulatorControl(message);
      void answer.then((result) => {
        const response: ResponseMessage = { type: 'response', message: type, requestId, status: result.status };
        if (result.body !== undefined && result.status === 'ok') response.body = result.body;
        if (!this.closed) this.reply(EMULATOR_EUI, envelope.source, response, envelope.session);
      });
      return;
    }
    // The response belongs to the harness session that asked: if another session begins first, it is dropped.
    const waiting: Waiting = {
      kind: 'wire',
      harness: envelope.source,
      requestId,
      message: type,
      device: envelope.destination,
      session: envelope.session,
    };
    // the message as it came, its wire request id replaced by dispatch's own (one copy of the fields, not two)
    if (!this.dispatch(envelope.destination, message, waiting)) {
      this.reply(
        envelope.destination,
        envelope.source,
        { type: 'response', message: type, requestId, status: 'unknownDevice' },
        envelope.session,
      );
    }
  }

  /** Sends a command to a device; false for an EUI not on this bench. */
  private dispatch(eui: string, command: { type: string } & Record<string, unknown>, waiting: Waiting): boolean {
    const set = this.setOf.get(eui);
    if (set === undefined) return false;
    const requestId = String(this.nextInternalId++);
    // Registered first: an actor answers synchronously, inside send().
    this.waiting.set(requestId, waiting);
    // a copy onto a constructor's hidden classes, not a spread: decoded commands come in many shapes (messages.ts)
    sendToMember(this.actors[set], eui, withRequestId(command, requestId));
    return true;
  }

  // ── devices → wire ───────────────────────────────────────────────────────────────────────────────────────────

  private onDeviceResponse(emitted: Extract<DeviceSetEmitted, { type: 'response' }>): void {
    const waiting = this.waiting.get(emitted.requestId);
    if (!waiting) return;
    this.waiting.delete(emitted.requestId);
    // The device's answer to this message (docs/contract.md); the codec checks every field as it encodes it.
    const body = emitted.body as ResponseBodies[RequestName] | undefined;
    if (waiting.kind === 'api') {
      waiting.resolve(body === undefined ? { status: emitted.status } : { status: emitted.status, body });
      return;
    }
    const response: ResponseMessage = {
      type: 'response',
      message: waiting.message,
      requestId: waiting.requestId,
      status: emitted.status,
    };
    if (body !== undefined && emitted.status === 'ok') response.body = body;
    this.reply(waiting.device, waiting.harness, response, waiting.session);
  }

  private onDeviceAlert(emitted: Extract<DeviceSetEmitted, { type: 'alert' }>): void {
    const alert: PendingAlert = {
      id: this.nextAlertId++,
      source: emitted.source,
      destination: this.harnessEui,
      code: emitted.code,
      at: emitted.at,
      payload: emitted.payload ?? '',
    };
    this.emit('alert', alert);
    this.queueAlert(alert);
    this.changed(this.setOf.get(alert.source));
  }

  private queueAlert(alert: PendingAlert): void {
    this.pendingAlerts.add(alert);
    // without a persistence hook, sent at once: no closure made per alert
    if (this.options.outbound) this.options.outbound(() => this.sendAlert(alert));
    else this.sendAlert(alert);
  }

  private sendAlert(alert: PendingAlert): void {
    const message: AlertMessage = { type: 'alert', code: alert.code, at: alert.at, payload: alert.payload };
    this.endpoint.post(alert.source, alert.destination, message, PERSISTENT, (error) =>
      error === undefined ? this.alertDelivered(alert) : this.alertNotDelivered(alert, error),
    );
  }

  private alertDelivered(alert: PendingAlert): void {
    this.pendingAlerts.delete(alert);
    this.changed(this.setOf.get(alert.source), true);
    if (this.pendingAlerts.size === 0) this.settleAlertWaiters();
  }

  private alertNotDelivered(alert: PendingAlert, error: Error): void {
    // A closing host rejects every send: the alert stays in the persisted queue for next time. A full queue
    // (MAX_QUEUED_PERSISTENT alerts nobody has acknowledged) refuses the newest, and an alert the wire cannot
    // carry (an `at` past 2106, a payload over 255 bytes) would be refused for ever: either is discarded, and
    // said so, so that it never holds up an advance of the harness clock waiting for its acknowledgement.
    const overflow = error instanceof LinkError && error.reason === 'overflow';
    if (!overflow && !(error instanceof EncodeError)) return;
    this.pendingAlerts.delete(alert);
    const what = `alert 0x${alert.code.toString(16).toUpperCase().padStart(4, '0')} from ${alert.source}`;
    const why = overflow ? error.message : `it cannot be encoded: ${error.message}`;
    this.emit('drop', { reason: 'malformed', detail: `${what} discarded: ${why}` });
    this.changed(this.setOf.get(alert.source));
    if (this.pendingAlerts.size === 0) this.settleAlertWaiters();
  }

  /**
   * Sends a response bound to the harness session that asked, once the change behind it is durable (outbound). One
   * the wire cannot carry (a body too big for its field) is answered `internalError` instead, with the reason logged:
   * an acknowledged request is never left silent.
   */
  private reply(source: string, destination: string, response: ResponseMessage, session: number): void {
    // without a persistence hook, sent at once: no closure made per response
    if (this.options.outbound) this.options.outbound(() => this.send(source, destination, response, session));
    else this.send(source, destination, response, session);
  }

  private send(source: string, destination: string, response: ResponseMessage, session: number): void {
    this.endpoint.post(source, destination, response, { session }, (error) => {
      if (error === undefined) return;
      if (error instanceof EncodeError && response.status !== 'internalError') {
        this.emit('drop', {
          reason: 'malformed',
          detail: `response ${response.message} ${response.requestId} from ${source} cannot be encoded (${error.message}): answered internalError`,
        });
        this.send(
          source,
          destination,
          { type: 'response', message: response.message, requestId: response.requestId, status: 'internalError' },
          session,
        );
        return;
      }
      this.emit('drop', {
        reason: 'malformed',
        detail: `response ${response.message} ${response.requestId} from ${source} not delivered: ${error.message}`,
      });
    });
  }

  private settleAlertWaiters(): void {
    const waiters = this.alertsAcknowledgedWaiters;
    this.alertsAcknowledgedWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** `set` is undefined only for an alert from an EUI no longer on the bench (a restored queue): nothing to persist. */
  private changed(set: number | undefined, acknowledged = false): void {
    if (!this.closed && set !== undefined) this.emit('change', set, acknowledged);
  }
}
