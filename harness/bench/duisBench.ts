/**
 * A DUIS bench in one process: the DCC side (gateway + DSP + S1SP) in front of device sets reached over the bench
 * protocol. The devices are emulated in-process (emulator/host DeviceHost on a VirtualClock, linked by the loopback
 * pair or the mock serial line) or are whatever speaks docs/protocol.md at the far end of a serial port or TCP link
 * (`smets1 emulate` in another process, a real bench adapter), on the wall clock, or with `clock: 'harness'` in
 * lockstep with an emulator on the harness's virtual time (`smets1 emulate --clock harness`; lockstep.ts).
 *
 * The S1SP reaches the devices only through a BenchClient on the link (docs/architecture.md); this file is the one
 * place in harness/ besides the CLI's `emulate` that starts emulated devices. Virtual time moves only when the
 * system is quiescent (no promise jobs pending), to the next timer (docs/clock.md).
 */
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { WallClock } from '../../emulator/clock/wallClock';
import type { EmulatorClock } from '../../emulator/clock/clock';
import type { ByteLink } from '../../emulator/links/byteLink';
import { parseLinkSpec } from '../../emulator/links/linkSpec';
import { LoopbackEnd } from '../../emulator/links/loopback';
import { MockSerialPair } from '../../emulator/links/mockSerialPair';
import { openLink } from '../../emulator/links/openLink';
import { SerialLink } from '../../emulator/links/serialLink';
import { benchSets, type DeviceSetConfig, type MemberType } from '../../emulator/host/benchConfig';
import { benchPki } from '../../emulator/host/benchPki';
import { configureBody } from '../../emulator/host/benchConfigure';
import { DeviceHost } from '../../emulator/host/deviceHost';
import type { QuirkOverrides } from '../../devices/quirks/registry';
import type { TestParty } from '../../common/credentials/testPki';
import { BenchClient, type CommandInput, type DeviceAlert } from '../../protocols/benchClient';
import { EMULATOR_EUI, HARNESS_EUI } from '../../protocols/constants';
import { MessageEndpoint } from '../../protocols/endpoint';
import type { ResponseMessage } from '../../protocols/messages';
import type { RequestName } from '../../protocols/messageTypes.generated';
import { AccessControl } from '../dsp/accessControl';
import type { SlotCheckMode } from '../dsp/slotCheck';
import { rtdsRegistrationData, type RegistrationData } from '../dsp/registrationData';
import type { RequestCounterTracker } from '../duis/counters';
import { DuisGateway, type SignaturePolicy } from '../duis/gateway';
import { benchUserCertificates } from '../duis/requestSignatures';
import { benchS1spParty } from '../duis/s1spSigner';
import { DuisValidator } from '../duis/validator';
import { duisOutput, S1spAdapter, type DuisOutput, type S1spEvent } from '../s1sp/adapter';
import { s1spSettings, type S1spSettings } from '../s1sp/harnessQuirks';
import { S1spKeyStore } from '../s1sp/keyStore';
import type { RecoveryOutcome } from '../s1sp/recovery';
import type { Vendor } from '../s1sp/vendors';
import { Lockstep } from './lockstep';
import { FarEndPortClient } from './farEndPort';

/**
 * How long the harness keeps trying a far end's serial port that another program holds, before the bench's start
 * fails: a run opens the port again for every scenario, unattended, and a lock held for a moment (a probe of the
 * adapter, another program's close still finishing in the kernel) is not the far end refusing; two seconds is far
 * beyond either.
 */
const FAR_END_LOCK_WAIT_MS = 2_000;

export interface DuisBenchOptions {
  readonly vendor: Vendor;
  /** Seed of the devices (set 0), of their SMSO test PKI (`smso-<seed>`) and of the S1SP's draws. Default 1. */
  readonly seed?: number;
  /**
   * Seed of the SMSO test PKI (`smso-<pkiSeed>`) and of the S1SP's signing party (`s1sp-<pkiSeed>`) when they are not
   * the devices' seed: a fleet's installations share one SMSO and one S1SP, as an estate does, so their keys are
   * generated once rather than per installation. Default `seed`.
   */
  readonly pkiSeed?: number;
  readonly quirks?: QuirkOverrides;
  /**
   * `loopback` (default) or `mock[@BAUD]`: emulated devices in this process on virtual time. `serial:PATH[@BAUD]` or
   * `tcp:HOST:PORT`: devices at the far end of that link (e.g. the pty `smets1 emulate --link pty` prints), on the wall
   * clock unless `clock` is `harness`.
   */
  readonly link?: string;
  /**
   * For a `serial:`/`tcp:` link: `wall` (default; real hardware, or `smets1 emulate` on the wall clock) or `harness`:
   * the far end is `smets1 emulate --clock harness`, moved in lockstep with this bench's virtual time (lockstep.ts).
   */
  readonly clock?: 'wall' | 'harness';
  readonly slotCheck?: SlotCheckMode;
  readonly s1sp?: Partial<S1spSettings>;
  /**
   * Where the in-process devices start: `dcc` (default: a device that DUIS requests reach through an S1SP is in DCC
   * service, i.e. migrated, so the defects of migrated devices such as risk 11 and 91333 show) or `smso`.
   */
  readonly migrationState?: 'smso' | 'dcc';
  /**
   * Start of virtual time (ms since the epoch); default the VirtualClock's 2026-01-01, or in lockstep wherever the
   * emulator's virtual time stands.
   */
  readonly startMs?: number;
  /**
   * Devices whose supplier or network-operator slot starts with another party's certificate than the bench PKI's
   * own (issued by the same PKI for that entity id): a split-supplier GSME, the wrong DNO of risk 9. In-process
   * devices; with `sets`, the sets' own.
   */
  readonly startingSlots?: readonly StartingSlot[];
  /**
   * The bench's device sets whole (harness/run/benchFor.ts farEndSets builds a pack scenario's): in-process the devices
   * built, at a far end with configureFarEnd what it is made. Default: benchSets of vendor, seed and quirks, with
   * startingSlots, euis and installCodes below.
   */
  readonly sets?: readonly DeviceSetConfig[];
  /** In-process: set 0's EUIs (default the README's scheme) and its install codes (default the RTDS one each). */
  readonly euis?: DeviceSetConfig['euis'];
  readonly installCodes?: DeviceSetConfig['installCodes'];
  /** Registration Data; default the RTDS one (rtdsRegistrationData). */
  readonly registration?: RegistrationData;
  /**
   * Parties whose keys the S1SP holds besides the SMSO test PKI's (e.g. a party whose certificate the S1SP itself
   * installed earlier): it can sign replacements that need the certificate then in a slot.
   */
  readonly keyParties?: readonly Pick<TestParty, 'certificate' | 'privateKey'>[];
  /**
   * Request signature checks: `off` (default; the RTDS templates carry placeholder signatures), `critical` or `all`,
   * against the bench users' certificates (the supplier and network operator of the `smso-<seed>` PKI).
   */
  readonly verifySignatures?: SignaturePolicy;
  /**
   * The gateway's RequestID counters; default fresh ones that last as long as the bench. `smets1 send --state DIR`
   * passes the ones kept in DIR (counterFile.ts), so a replay in a later run is refused.
   */
  readonly counters?: RequestCounterTracker;
  /**
   * The gateway's schema validation: `trust-built` (default) takes the requests the harness built from the DCC's
   * templates (harness/duis/builtDocuments.ts) as valid without a libxml2 run and validates everything else;
   * `every-request` validates them too (bench/migration.ts compares the two).
   */
  readonly validation?: 'trust-built' | 'every-request';
  /**
   * A `serial:`/`tcp:` link to `smets1 emulate` this process did not start: benchReset first (every set back to its
   * start, unacknowledged alerts withdrawn, on the harness clock virtual time back to its start), so the bench starts
   * as a fresh one would. A refusal or no answer fails the start, naming it.
   */
  readonly resetFarEnd?: boolean;
  /**
   * A `serial:`/`tcp:` link to `smets1 emulate` this process did not start, whose pre-flight found it takes
   * benchConfigure: first make its sets the bench's (`sets`), which also resets it, so one emulator serves scenarios
   * of any vendor, quirks, start, slots or EUIs. Instead of resetFarEnd; anything but ok fails the start, naming the
   * answer.
   */
  readonly configureFarEnd?: boolean;
  /** The link layer's wait for an ack before retransmitting (default 1,000 ms): slower for a slow bench adapter. */
  readonly ackTimeout?: number;
  /** The wait for a device's response once its command is acknowledged (BenchClient; default 30 s). */
  readonly responseTimeout?: number;
  /**
   * Told of the harness's end of the link as soon as it exists (before its first frame, its session announcement), with the harness's time
   * (virtual in-process and, once connected, in lockstep; else the wall clock): `smets1 run --record` records it.
   */
  readonly tap?: (end: MessageEndpoint, now: () => number) => void;
  /**
   * In-process only: the virtual clock the devices and the harness run on, made from the start time; default a
   * VirtualClock. bench:fleet substitutes XState's SimulatedClock behind the same interface to compare the two.
   */
  readonly virtualClock?: (startMs: number | undefined) => VirtualClock;
}

/**
 * The mock serial line's fault knobs, for a pack's `linkFault` stimulus: cut and restore the line (`disconnect`,
 * `reconnect`), make it lossy (`configure`), and what it did (`connected`, `stats`). Only these: the bench's
 * devices and harness ends stay the bench's own.
 */
export type LineFaults = Pick<MockSerialPair, 'disconnect' | 'reconnect' | 'configure' | 'connected' | 'stats'>;

export interface StartingSlot {
  readonly set: number;
  readonly member: MemberType;
  readonly supplier?: string;
  readonly networkOperator?: string;
}

/** A set's config with its members' starting slots (DeviceSetConfig suppliers / networkOperators). */
export function withStartingSlots(
  set: DeviceSetConfig,
  index: number,
  slots: readonly StartingSlot[],
): DeviceSetConfig {
  const mine = slots.filter((s) => s.set === index);
  if (mine.length === 0) return set;
  const pick = (field: 'supplier' | 'networkOperator') =>
    Object.fromEntries(mine.filter((s) => s[field] !== undefined).map((s) => [s.member, s[field]!]));
  return {
    ...set,
    suppliers: { ...set.suppliers, ...pick('supplier') },
    networkOperators: { ...set.networkOperators, ...pick('networkOperator') },
  };
}

export interface SendResult {
  /** The synchronous answer (I99 acknowledgement, or the E-code refusal), then the device response(s) and DCC alerts. */
  readonly responses: DuisOutput[];
  /** Device alerts the S1SP sent while the request ran. */
  readonly alerts: DuisOutput[];
}

/** benchConfigure to the emulator at the far end; anything but ok is an error naming the link and why. */
async function configureFarEnd(client: BenchClient, link: string, sets: readonly DeviceSetConfig[]): Promise<void> {
  let answer: ResponseMessage;
  try {
    answer = await client.request(EMULATOR_EUI, { type: 'benchConfigure', ...configureBody(sets) });
  } catch (error) {
    throw new Error(`benchConfigure on ${link} got no answer: ${(error as Error).message}`, { cause: error });
  }
  if (answer.status !== 'ok')
    throw new Error(
      `benchConfigure on ${link} answered ${answer.status}: ${CONFIGURE_REFUSALS[answer.status] ?? 'the far end is no `smets1 emulate`'}`,
    );
}

/** Why an emulator refuses benchConfigure (docs/protocol.md "Bench controls"). */
export const CONFIGURE_REFUSALS: Partial<Record<ResponseMessage['status'], string>> = {
  busy: 'an advance is running there (a second harness on one emulator?)',
  unsupported: 'it keeps its device sets (`smets1 emulate --state`), or is an emulator older than benchConfigure',
  invalidParameter: 'it cannot be that bench (its log says why)',
};

/** benchReset to the emulator at the far end; anything but ok is an error naming the link. */
async function resetFarEnd(client: BenchClient, link: string): Promise<void> {
  let answer: ResponseMessage;
  try {
    answer = await client.request(EMULATOR_EUI, { type: 'benchReset' });
  } catch (error) {
    throw new Error(`benchReset on ${link} got no answer: ${(error as Error).message}`, { cause: error });
  }
  if (answer.status !== 'ok') {
    const why =
      answer.status === 'busy'
        ? 'an advance is running there (a second harness on one emulator?)'
        : 'the far end is no `smets1 emulate`';
    throw new Error(`benchReset on ${link} answered ${answer.status}: ${why}`);
  }
}

let sharedValidator: DuisValidator | undefined;
/** The vendored schema, read once per process: validates every document it is given. */
export function duisValidator(): DuisValidator {
  return (sharedValidator ??= DuisValidator.load());
}

let trustingValidator: DuisValidator | undefined;
/** The same schema and thread, taking harness-built requests as valid (DuisBenchOptions.validation). */
function gatewayValidator(validation: DuisBenchOptions['validation']): DuisValidator {
  return validation === 'every-request'
    ? duisValidator()
    : (trustingValidator ??= DuisValidator.load(undefined, { trustBuilt: true }));
}

export class DuisBench {
  /** Every device alert the S1SP has sent, in order. */
  readonly alerts: DuisOutput[] = [];
  /** Raw device alerts off the wire (source, code, at), before the S1SP: for reports of what the devices did. */
  readonly deviceAlerts: { source: string; code: number; at: number; payload: string }[] = [];
  /** Lockstep with a remote emulator on the harness clock: `virtual` is then its harness-side clock. */
  private lockstep: Lockstep | undefined;
  /** Wall-clock waits in progress (advance() on a real link): each ends early when the bench closes. */
  private readonly wallWaits = new Set<() => void>();
  /**
   * The in-process emulator's host (loopback and mock links), whose `message` event is each message its devices
   * received off the wire, as the device end decoded it: what a device was sent, not what the S1SP meant to send.
   */
  deviceHost?: DeviceHost;
  /** The harness's end of the link, whose frames a report shows (harness/run/wireFrames.ts). */
  wire!: MessageEndpoint;
  /** On a `serial:`/`tcp:` link: the harness's port, closed while a cut the far end plays lasts (linkFault). */
  farEndPort?: FarEndPortClient;

  private constructor(
    readonly clock: EmulatorClock,
    readonly virtual: VirtualClock | undefined,
    readonly client: BenchClient,
    readonly gateway: DuisGateway,
    readonly s1sp: S1spAdapter,
    readonly registration: RegistrationData,
    readonly sets: readonly DeviceSetConfig[],
    private readonly closers: (() => Promise<void> | void)[],
    /** The mock line's faults on the `mock` link; undefined on every other link (nothing in this process to cut). */
    readonly lineFaults?: LineFaults,
  ) {}

  static async start(options: DuisBenchOptions): Promise<DuisBench> {
    const seed = options.seed ?? 1;
    const pkiSeed = options.pkiSeed ?? seed;
    const spec = parseLinkSpec(options.link ?? 'loopback');
    const inProcess = spec.kind === 'loopback' || spec.kind === 'mock';
    if (spec.kind === 'pty' || spec.kind === 'tcp-listen') {
      throw new Error(
        `--link ${options.link}: the DUIS bench connects to an emulator (serial:PATH or tcp:HOST:PORT), or runs its own (loopback, mock)`,
      );
    }
    const lockstepped = options.clock === 'harness';
    if (lockstepped && inProcess)
      throw new Error(
        `clock harness: --link ${options.link ?? 'loopback'} runs its devices in this process on virtual time already; harness is for a serial: or tcp: link to \`smets1 emulate --clock harness\``,
      );
    let virtual = inProcess
      ? (options.virtualClock?.(options.startMs) ?? new VirtualClock(options.startMs))
      : undefined;
    // The link layer's clock: virtual in-process (the mock line takes virtual time too), else the wall clock.
    const clock: EmulatorClock = virtual ?? new WallClock();
    const closers: (() => Promise<void> | void)[] = [];
    const sets =
      options.sets !== undefined
        ? [...options.sets]
        : benchSets({ vendor: options.vendor, seed, quirks: options.quirks }).map((set, i) => ({
            ...withStartingSlots({ ...set, pkiSeed: `smso-${pkiSeed}` }, i, options.startingSlots ?? []),
            migrationState: options.migrationState ?? 'dcc',
            ...(options.euis !== undefined ? { euis: options.euis } : {}),
            ...(options.installCodes !== undefined ? { installCodes: options.installCodes } : {}),
          }));

    // a far end keeps the slots it has unless made the bench's: starting slots need devices here or benchConfigure
    const slotted = sets.some(
      (set) => Object.keys(set.suppliers ?? {}).length + Object.keys(set.networkOperators ?? {}).length > 0,
    );
    if (!inProcess && slotted && options.configureFarEnd !== true) {
      throw new Error(
        `--link ${options.link}: starting slots (bench.slots) need in-process devices (mock or loopback), or an emulator at the far end that takes benchConfigure (configureFarEnd)`,
      );
    }

    let harnessLink: ByteLink;
    let mockLine: MockSerialPair | undefined;
    let deviceHost: DeviceHost | undefined;
    if (spec.kind === 'loopback') {
      const [devicesEnd, harnessEnd] = LoopbackEnd.pair();
      const host = new DeviceHost({ clock, sets });
      deviceHost = host;
      host.attach(devicesEnd);
      closers.push(() => host.close());
      harnessLink = harnessEnd;
    } else if (spec.kind === 'mock') {
      const line = new MockSerialPair({ clock, baudRate: spec.baudRate, seed });
      mockLine = line;
      const host = new DeviceHost({ clock, sets });
      deviceHost = host;
      host.attach(line);
      // Reopened after a cut as on a real port (SerialLink's default backoff on the bench clock), so a `linkFault`
      // disconnect shows what a harness on a real line sees.
      const serial = new SerialLink({ path: line.path, baudRate: spec.baudRate, binding: line.binding, clock });
      await serial.open();
      closers.push(async () => {
        host.close();
        await serial.close();
        await line.close();
      });
      harnessLink = serial;
    } else {
      const opened = await openLink(spec, { clock, lockWaitMs: FAR_END_LOCK_WAIT_MS }); // openLink: a serial port's only
      closers.push(() => opened.link.close());
      harnessLink = opened.link;
    }

    const endpoint = new MessageEndpoint({
      side: 'harness',
      clock,
      localEui: HARNESS_EUI,
      transmit: (bytes) => harnessLink.write(bytes),
      dialectOf: () => options.vendor,
      // Announced on every connection (docs/protocol.md "Sessions"): a harness restarted on a serial line that stayed
      // up is a new session, so the emulator never takes its first command for the last run's retransmission. The
      // clock's ms at start differ between runs on the wall clock; in-process (virtual time) the emulator is new too.
      sessionId: Math.floor(clock.now()) % 0x1_0000_0000,
      ...(options.ackTimeout !== undefined ? { ackTimeout: options.ackTimeout } : {}),
      // Up once the tap is on (below), so a recording has the session announcement too.
      connected: false,
    });
    // Lockstep's clock exists only once connected: until then the link's clock is the harness's time.
    let timeOf: EmulatorClock = clock;
    options.tap?.(endpoint, () => timeOf.now());
    harnessLink.on('data', (bytes) => endpoint.receive(bytes));
    const clientOptions = {
      endpoint,
      clock,
      ...(options.responseTimeout !== undefined ? { responseTimeout: options.responseTimeout } : {}),
    };
    // a far end plays a pack's cuts (linkFault): the harness's port is then closed under it here (farEndPort.ts)
    const client = inProcess ? new BenchClient(clientOptions) : new FarEndPortClient(clientOptions);
    harnessLink.on('close', (info) => {
      endpoint.setConnected(false);
      client.disconnected(`link closed (${info.detail})`);
    });
    harnessLink.on('open', () => endpoint.setConnected(true));
    endpoint.setConnected(harnessLink.isOpen);
    closers.unshift(() => {
      client.close();
      endpoint.close();
    });
    let lockstep: Lockstep | undefined;
    let early: DeviceAlert[] = [];
    if ((options.resetFarEnd === true || options.configureFarEnd === true) && !inProcess) {
      try {
        if (options.configureFarEnd === true) await configureFarEnd(client, options.link ?? '', sets);
        else await resetFarEnd(client, options.link ?? '');
      } catch (error) {
        for (const close of closers) await close();
        throw error;
      }
    }
    if (lockstepped) {
      try {
        ({ lockstep, early } = await Lockstep.connect(client, endpoint, clock, options.link ?? '', options.startMs));
      } catch (error) {
        for (const close of closers) await close();
        throw error;
      }
      virtual = lockstep.clock;
    }
    // The harness's clock (S1SP, gateway timestamps, its own timers): virtual in-process and in lockstep.
    const harnessClock: EmulatorClock = virtual ?? clock;
    timeOf = harnessClock;

    const registration = options.registration ?? rtdsRegistrationData();
    const now = () => new Date(harnessClock.now());
    const gateway = new DuisGateway({
      validator: gatewayValidator(options.validation),
      accessControl: new AccessControl(registration, { slotCheck: options.slotCheck ?? 'slot-certificate' }),
      now,
      ...(options.verifySignatures === undefined || options.verifySignatures === 'off'
        ? {}
        : { signatures: { policy: options.verifySignatures, directory: benchUserCertificates(`smso-${pkiSeed}`) } }),
      ...(options.counters === undefined ? {} : { counters: options.counters }),
    });
    let bench: DuisBench | undefined;
    const s1sp = new S1spAdapter({
      client,
      clock: harnessClock,
      vendor: options.vendor,
      settings: s1spSettings({ seed, ...options.s1sp }),
      signer: benchS1spParty(`s1sp-${pkiSeed}`),
      keys: new S1spKeyStore([...Object.values(benchPki(`smso-${pkiSeed}`).parties), ...(options.keyParties ?? [])]),
      registration,
      slotCheck: options.slotCheck ?? 'slot-certificate',
      onAlert: (output) => bench?.alerts.push(output),
    });
    closers.unshift(() => s1sp.close());
    bench = new DuisBench(harnessClock, virtual, client, gateway, s1sp, registration, sets, closers, mockLine);
    client.on('alert', ({ source, alert }) =>
      bench.deviceAlerts.push({ source, code: alert.code, at: alert.at, payload: alert.payload }),
    );
    bench.lockstep = lockstep;
    if (client instanceof FarEndPortClient) bench.farEndPort = client;
    bench.deviceHost = deviceHost;
    bench.wire = endpoint;
    // Alerts that came during the lockstep handshake, before anyone listened: now the S1SP does.
    for (const alert of early) client.emit('alert', alert);
    return bench;
  }

  /** DUIS request in: the gateway's answer, the S1SP's response(s) for it, and the alerts sent meanwhile. */
  async send(xml: string): Promise<SendResult> {
    return (await this.sendAll([xml]))[0];
  }

  /**
   * Many requests, one after the other (each runs to its response before the next is admitted), with the schema
   * checks of all of them in one libxml2 run (a run costs about 150 ms whatever its size).
   */
  async sendAll(documents: readonly string[]): Promise<SendResult[]> {
    const admissions = await this.gateway.admitAll(documents);
    const results: SendResult[] = [];
    for (const admission of admissions) {
      const alertsBefore = this.alerts.length;
      const at = this.clock.now();
      if (!admission.ok) {
        // written when first read, as the gateway's refusal is (responses.ts BuiltResponse)
        results.push({ responses: [duisOutput('error', admission.built, at)], alerts: [] });
        continue;
      }
      const responses: DuisOutput[] = [duisOutput('response', admission.built, at, 'acknowledgement (I99)')];
      responses.push(
        ...(await this.run(this.s1sp.handle(admission), `SRV ${admission.request.serviceReferenceVariant}`)),
      );
      results.push({ responses, alerts: this.alerts.slice(alertsBefore) });
    }
    return results;
  }

  /** A bench stimulus or raw device command over the wire (e.g. `powerOn` to the PPMID). */
  command<N extends RequestName>(eui: string, command: CommandInput<N>): Promise<ResponseMessage<N>> {
    return this.run(this.client.request(eui, command), `${command.type} to ${eui}`);
  }

  /** The DCC's recovery of a dumb device over the wire (harness/s1sp/recovery.ts). */
  recover(eui: string): Promise<RecoveryOutcome> {
    return this.run(this.s1sp.recover(eui), `recovery of ${eui}`);
  }

  /** S1SP events that leave no DUIS document (61224). */
  get events(): readonly S1spEvent[] {
    return this.s1sp.events;
  }

  /** Runs the system until the promise settles: on virtual time, advancing only when nothing else can progress. */
  async run<T>(promise: Promise<T>, what: string): Promise<T> {
    if (this.virtual === undefined) return promise;
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await this.until(() => settled, what);
    return promise;
  }

  /** Runs until `done()` holds (virtual time), or fails naming what it waited for. */
  async until(done: () => boolean, what: string): Promise<void> {
    if (this.lockstep !== undefined) return this.lockstep.run(done, undefined, what);
    const clock = this.requireVirtual('until');
    // once here and not before each step: an advance ends with the jobs its last timer queued drained (both clocks'
    // advanceTo), so a second drain would find nothing, and it is a turn of every bench's event loop per timer
    await drainPendingJobs();
    for (let steps = 0; steps < 1_000_000; steps++) {
      if (done()) return;
      const next = clock.nextDueTime();
      if (next === undefined) throw new Error(`stuck waiting for ${what}: nothing left to run`);
      await clock.advanceTo(next);
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  /** Moves time on by `ms`: virtual time firing every timer on the way; on a real link, waits that long. */
  async advance(ms: number): Promise<void> {
    if (this.virtual === undefined) {
      await new Promise<void>((resolve) => {
        const over = () => {
          clearTimeout(timer);
          this.wallWaits.delete(over);
          resolve();
        };
        const timer = setTimeout(over, ms);
        this.wallWaits.add(over);
      });
      return;
    }
    if (this.lockstep !== undefined)
      return this.lockstep.run(() => false, this.lockstep.clock.now() + ms, `${ms} ms to pass`);
    // advanceTo drains the jobs queued before the call first (so they set their timers at the time they belong to),
    // then fires every timer due by the target in order, draining the jobs each queues before the next, and ends with
    // a drain: a drain of the bench's own before or after it would find nothing (a drain is an event-loop turn)
    await this.virtual.advanceTo(this.virtual.now() + ms);
  }

  /** When the next timer is due: the harness's, or in lockstep the earlier of the harness's and the emulator's. */
  nextDueTime(): number | undefined {
    return this.lockstep !== undefined ? this.lockstep.nextDueTime() : this.virtual?.nextDueTime();
  }

  async close(): Promise<void> {
    // a wall-clock wait of a scenario abandoned (its timeout) ends with the bench, not hours later
    for (const over of [...this.wallWaits]) over();
    for (const close of this.closers) await close();
  }

  private requireVirtual(what: string): VirtualClock {
    if (this.virtual === undefined) throw new Error(`${what} needs the in-process bench (virtual time)`);
    return this.virtual;
  }
}
