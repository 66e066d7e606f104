/**
 * A bench for the emulator tests: a DeviceHost on one end of a transport and a harness (MessageEndpoint +
 * BenchClient) on the other, both on one VirtualClock, with a driver that moves virtual time only when nothing
 * else can make progress, so the same test runs over in-process, mock, pty and TCP links.
 */
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
import type { ByteLink } from '../../emulator/links/byteLink';
import { DeviceHost } from '../../emulator/host/deviceHost';
import { benchSets, type BenchOptions, type DeviceSetConfig } from '../../emulator/host/benchConfig';
import { BenchClient, type DeviceAlert } from '../../protocols/benchClient';
import { HARNESS_EUI, type Dialect } from '../../protocols/constants';
import { MessageEndpoint } from '../../protocols/endpoint';

export interface LinkPair {
  /** The emulator's end and the harness's end. */
  emulator: ByteLink;
  harness: ByteLink;
  /** Real I/O (pty, TCP): wait for the OS before deciding the system is idle. */
  real: boolean;
  dispose(): Promise<void>;
}

export interface Bench {
  clock: VirtualClock;
  host: DeviceHost;
  endpoint: MessageEndpoint;
  client: BenchClient;
  sets: DeviceSetConfig[];
  alerts: DeviceAlert[];
  /** Runs the system (I/O, then virtual time) until the promise settles. */
  run<T>(promise: Promise<T>, what: string): Promise<T>;
  /** Runs until `done()` holds. */
  until(done: () => boolean, what: string): Promise<void>;
  /** Advances virtual time by ms, letting I/O settle at every timer. */
  advance(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * The suite's own record of what a one-set bench serves: the DCC RTDS template EUIs (README, "Device sets"),
 * written out here rather than read from the host, so a host that served other EUIs fails every test.
 */
export const BENCH_EUIS = {
  ESME: '00-DB-12-34-56-78-90-A0',
  GSME: '00-DB-12-34-56-78-90-A1',
  CH: '00-DB-12-34-56-78-90-A2',
  PPMID: '00-DB-12-34-56-78-90-A3',
} as const;

/** Set 1 of a two-set bench: the same pattern 0x10 higher (README, "Device sets"), written out here as well. */
export const SECOND_SET_EUIS = {
  ESME: '00-DB-12-34-56-78-90-B0',
  GSME: '00-DB-12-34-56-78-90-B1',
  CH: '00-DB-12-34-56-78-90-B2',
  PPMID: '00-DB-12-34-56-78-90-B3',
} as const;

/** An EUI no bench serves (the host answers unknownDevice); readDeviceLog, sent to it, is the same in both dialects. */
export const NOT_ON_BENCH_EUI = '00-DB-12-34-56-78-99-99';

/**
 * Which dialect the harness speaks to each EUI: the vendor the test chose for the set, by EUI, held by the suite.
 * The host is never asked (a host that chose a wrong dialect would otherwise agree with itself).
 */
function vendorMap(vendor: Dialect): (eui: string) => Dialect {
  const map = new Map<string, Dialect>([
    ...[...Object.values(BENCH_EUIS), ...Object.values(SECOND_SET_EUIS)].map((eui) => [eui, vendor] as const),
    [NOT_ON_BENCH_EUI, 'itron'],
  ]);
  return (eui) => {
    const dialect = map.get(eui);
    if (dialect === undefined)
      throw new Error(`the test bench has no vendor for ${eui}: add it to tests/emulator/bench.ts`);
    return dialect;
  };
}

const realPause = () => new Promise<void>((resolve) => setTimeout(resolve, 2));
/** Pauses of at least 2 ms with no byte arriving after which bytes still counted on the wire are taken as lost. */
const QUIET_PAUSES = 250;

export async function makeBench(
  pair: LinkPair,
  options: BenchOptions & { clock?: VirtualClock; ackTimeout?: number; maxTries?: number } = { vendor: 'itron' },
): Promise<Bench> {
  const clock = options.clock ?? new VirtualClock();
  const sets = benchSets(options);
  const listed = [BENCH_EUIS, SECOND_SET_EUIS]
    .slice(0, sets.length)
    .map(({ ESME, GSME, CH, PPMID }) => ({ ESME, GSME, CH, PPMID }));
  if (sets.length > 2 || JSON.stringify(sets.map((set) => set.euis)) !== JSON.stringify(listed)) {
    throw new Error(
      `the bench serves ${JSON.stringify(sets.map((set) => set.euis))}, not the EUIs tests/emulator/bench.ts lists`,
    );
  }
  // Bytes each end has written: the harness's (its link layer's frames, and any a test writes past it through
  // `transmit`) and the host's (counted before it attaches: it announces its session at once).
  let harnessSent = 0;
  let hostSent = 0;
  const host = new DeviceHost({ clock, sets, link: { ackTimeout: options.ackTimeout, maxTries: options.maxTries } });
  host.on('trace', (entry) => entry.direction === 'out' && (hostSent += entry.bytes.length));
  host.attach(pair.emulator);
  const endpoint = new MessageEndpoint({
    side: 'harness',
    clock,
    localEui: HARNESS_EUI,
    transmit: (bytes) => {
      harnessSent += bytes.length;
      pair.harness.write(bytes);
    },
    dialectOf: vendorMap(options.vendor),
    ackTimeout: options.ackTimeout,
    maxTries: options.maxTries,
  });
  pair.harness.on('data', (bytes) => endpoint.receive(bytes));
  const client = new BenchClient({ endpoint, clock });
  pair.harness.on('close', (info) => {
    endpoint.setConnected(false);
    client.disconnected(`link closed (${info.detail})`);
  });
  pair.harness.on('open', () => endpoint.setConnected(true));
  endpoint.setConnected(pair.harness.isOpen);
  const alerts: DeviceAlert[] = [];
  client.on('alert', (alert) => alerts.push(alert));

  const progress = () =>
    endpoint.link.stats.framesIn +
    host.endpoint.link.stats.framesIn +
    endpoint.link.cutterStats.bytesIn +
    host.endpoint.link.cutterStats.bytesIn;
  // The bytes each end has written (every frame, acks and NAKs too) against the bytes the other end's cutter has
  // taken in: when they match both ways nothing is on the wire, so there is nothing to wait for.
  const onTheWire = () =>
    harnessSent !== host.endpoint.link.cutterStats.bytesIn || hostSent !== endpoint.link.cutterStats.bytesIn;
  // Idle: no promise jobs; on a real link also every byte sent delivered (awaited, not slept on at every timer), or,
  // should the counts never meet (bytes lost with a closed link), no byte arriving for half a second. Bytes known to
  // be on the wire do arrive: on a loaded machine a pty can hold them for tens of ms, and moving virtual time on
  // before they do would time out the ack they carry.
  const settle = async () => {
    await drainPendingJobs();
    if (!pair.real) return;
    let last = -1;
    let quiet = 0;
    while (onTheWire() && quiet < QUIET_PAUSES) {
      await realPause();
      await drainPendingJobs();
      const now = progress();
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
  };

  const until = async (done: () => boolean, what: string) => {
    for (let steps = 0; steps < 100_000; steps++) {
      await settle();
      if (done()) return;
      const next = clock.nextDueTime();
      if (next === undefined) throw new Error(`stuck waiting for ${what}: nothing left to run`);
      await clock.advanceTo(next);
    }
    throw new Error(`gave up waiting for ${what}`);
  };

  const run = async <T>(promise: Promise<T>, what: string): Promise<T> => {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await until(() => settled, what);
    return promise;
  };

  const advance = async (ms: number) => {
    const target = clock.now() + ms;
    for (;;) {
      await settle();
      const next = clock.nextDueTime();
      if (next === undefined || next > target) break;
      await clock.advanceTo(next);
    }
    await clock.advanceTo(target);
    await settle();
  };

  return {
    clock,
    host,
    endpoint,
    client,
    sets,
    alerts,
    run,
    until,
    advance,
    async dispose() {
      client.close();
      endpoint.close();
      host.close();
      await pair.dispose();
    },
  };
}
