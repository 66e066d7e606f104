/**
 * Device sets at fleet scale, on the VirtualClock: memory per idle set and transitions per second.
 *
 *   npm run bench:devices                  # the standard run: about 1.5 min on a 2-core box (under 3 when shared)
 *   npm run bench:devices -- --quick       # one run of each case, no 50,000-set case (~35 s)
 *   npm run bench:devices -- --breakdown   # also: where an idle set's heap goes, from two V8 heap snapshots
 *   npm run bench:devices -- --host        # only the request path: host, commands, member (with --quick: one run each)
 *   node --expose-gc --import tsx bench/device-sets.ts --case commands 2000   # one case, one run: its JSON figures
 *   node --expose-gc --import tsx bench/device-sets.ts --case host 500 --sessions-at-once 12   # host at one level
 *
 * Each case runs in its own `node --expose-gc --import tsx` process, so its heap figures belong to it alone, and
 * the throughput cases are repeated (the box may be shared): the table gives the median and the range. The
 * throughput figures are of a warm process, as a long-running emulator is: "commands", "member" and "host" first run 500
 * other sets' sessions, "idle" and "bare" first make 500 sets, "timers" runs its sets' first 6 virtual hours, none
 * of it counted (the header says so).
 *
 *   idle      N device sets (CH, ESME, GSME, PPMID; half Itron, half Elster; inputs from benchSets + toSetInput)
 *             created on one VirtualClock, started, settled (60 virtual seconds), then a forced GC: retained heap
 *             per set, set-up time per set; the JSON size of one set's persisted snapshot.
 *   bare      The same actor topology (a parent, four children keyed by EUI, three invoked callback children: 8
 *             actors) with no device behaviour: XState's own cost per set, the floor of "idle".
 *   commands  A session of 12 commands sent straight to each set's actor (deviceSetWorkloads.ts: device info,
 *             supply off/read/on, a voltage swell and back, whitelist + power on + join of the PPMID, read the
 *             device log), every one answered synchronously. Timed without inspection; the XState events
 *             ('@xstate.event', the set's and its children's), microsteps and actions run ('@xstate.action':
 *             emits, sends, raises; XState reports no assign) per session are counted in a separate, inspected
 *             run, and divided by the uninspected time. The process's CPU time per command is given
 *             beside the wall time: on a shared box it is the steadier figure (set-up likewise, in "idle", and
 *             a request in "host"). Each command here is the set's `command` event, which the set forwards to
 *             its member: three macrosteps a command, where the host takes one (see "member").
 *   member    The same sessions sent the way DeviceHost sends them (emulator/host/deviceHost.ts dispatch): to the
 *             member actor of a DeviceSetActor (devices/set/deviceSetActor.ts, as the host makes), the command
 *             copied by withRequestId, the answer re-emitted by the set without a macrostep of its own. The device
 *             work of a request through the host, one session at a time (see below for "host" minus this). Its XState
 *             events and microsteps per session are counted as in "commands".
 *   aged      N idle sets after 30 virtual days: the ESMEs' network data full (1,440 half-hour records, SR 4.10's
 *             30 days), the steady state of a set that has run a month. Retained heap per set, snapshot size.
 *   timers    N idle sets for 24 virtual hours in one synchronous advance: the ESMEs' 30-minute averaging and
 *             network-data timers fire (96 per ESME a day). Timers fired per second, virtual-to-real speed-up,
 *             heap growth per set over the day (network data records).
 *   host      The same sessions end to end: BenchClient → MessageEndpoint (codec, link layer) → in-process
 *             loopback → DeviceHost → set actor and back, every set's session sequential, K sessions at once (one
 *             request outstanding each, the rest waiting their turn; warm-up at the same K). A run of the script
 *             sweeps K over HOST_SWEEP, each level a case of its own, interleaved with the others: 12 (the fleet's
 *             and bench:migration's requests in flight), 100, and all 500 sets' sessions at once (the figure before
 *             round fourteen). `--case host N` alone runs up to 1,000 at once (HOST_SESSIONS_AT_ONCE says why no
 *             more), as it always did; `--sessions-at-once K` sets K. Virtual time is advanced only when nothing else
 *             can run (as tests/emulator/bench.ts does).
 * After the table: each level's median requests/s against issue 16's 25,000 (met, or how many times short), and
 * each level's CPU time per request beside a command's direct via the host's path ("member"): the difference is the
 * wire (codec, link layer, loopback, BenchClient, the host's routing) and what requests waiting beside each other cost
 * (member runs one session at a time on 2,000 sets; the host K at once on 500: at 500 at once about 16 µs of it is the
 * waiting, of which round fifteen's CPU profiles put under 2 µs in GC and the rest in the same work on memory gone
 * cold, docs/fleet.md).
 * `--host` runs only commands, member and host (interleaved, as always): the request path's figures, quickly.
 *
 * The cases run as `smets1 emulate` does, with V8's allocation-site pretenuring switched off by the same call
 * (withoutPretenuring, harness/fleet/pretenuring.ts; docs/fleet.md "Round thirteen") before any set is made, a `--case`
 * run by hand too; a line says so. `--pretenuring` keeps V8's default, to compare (the parent passes it on).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { drainPendingJobs } from '../emulator/clock/drainJobs';
import { withoutPretenuring } from '../harness/fleet/pretenuring';
import { integer } from '../harness/cli/optionTable';
import { scriptArgs } from '../scripts/scriptArgs';
import { VirtualClock } from '../emulator/clock/virtualClock';
import { DeviceHost } from '../emulator/host/deviceHost';
import { LoopbackEnd } from '../emulator/links/loopback';
import { BenchClient } from '../protocols/benchClient';
import { HARNESS_EUI } from '../protocols/constants';
import { MessageEndpoint } from '../protocols/endpoint';
import { withRequestId } from '../protocols/messages';
import { sendToMember } from '../devices/set';
import {
  COMMANDS_PER_SET,
  CountingClock,
  actorsOf,
  mixedSets,
  setCommands,
  startBareSet,
  startSet,
} from './deviceSetWorkloads';

const CASE_KINDS = ['idle', 'bare', 'aged', 'commands', 'member', 'timers', 'host', 'breakdown'] as const;
type CaseKind = (typeof CASE_KINDS)[number];

interface CaseResult {
  kind: CaseKind;
  sets: number;
  figures: Record<string, number>;
  /** Free text printed under the table (the breakdown case). */
  text?: string;
  error?: string;
}

const MB = 1024 * 1024;
const DAY_MS = 86_400_000;
/**
 * Sets created and settled before measuring the memory-only cases (aged, breakdown), so one-off caches stay out of
 * the heap figures; in "commands", the inspected sets whose sessions are counted for events and microsteps.
 */
const WARM_UP_SETS = 20;
/**
 * Sets whose whole session runs, not counted, before the throughput cases (commands, host) measure, and sets made
 * before "idle" and "bare" measure set-up per set: a long-running emulator is warm. With 20, "host" measured mostly
 * cold JIT; its CPU per request falls until about 300 sets of warm-up and is flat from there to 1,000 (as is
 * "commands"'s from 500, and set-up's CPU per set is a third lower after 520 than after 20), so 500 keeps runs short.
 */
const THROUGHPUT_WARM_UP_SETS = 500;
/**
 * Virtual time the timers case runs over its sets, not counted, before its measured day: every ESME's 30-minute
 * averaging and network-data timers fire 12 times each, the code they run warm.
 */
const TIMERS_WARM_UP_MS = 6 * 3_600_000;
/**
 * Sessions in flight at once in the host case (one request outstanding each), the others waiting their turn. An
 * emulator queues at most 1,024 responses for one harness (docs/protocol.md "Queues and fairness") and drops the
 * next, whose request then times out at the harness: sessions past that many at once exceed what the protocol
 * lets one harness have waiting, and 2,000 did.
 */
const HOST_SESSIONS_AT_ONCE = 1_000;
/**
 * The sessions-at-once levels the host case is run at, in the same run: 12 (bench:migration's and the fleet's
 * requests in flight), 100, and every one of the 500 sets' sessions at once (the figure before round fourteen). A
 * request's cost grows with the requests waiting beside it (their state lives through more scavenges), and issue
 * 16's 25,000 requests/s does not say how many are in flight: the sweep shows the rate at each.
 */
const HOST_SWEEP = [12, 100, 500] as const;
/** Issue 16's loopback line: requests/s end to end through BenchClient, codec, link layer, DeviceHost and the sets. */
const HOST_TARGET_PER_SEC = 25_000;

function gcTwice(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (npm run bench:devices does)');
  gc();
  gc();
}

const heapUsed = () => process.memoryUsage().heapUsed;
/** The process's CPU time so far, ms (user + system): on a shared box a steadier figure than the wall clock. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const peakRssMB = () => process.resourceUsage().maxRSS / 1024;

/** JSON size of a persisted snapshot, and the same without the credential slots (certificates, shared in memory). */
function snapshotSizes(snapshot: unknown): { bytes: number; withoutCredentials: number } {
  return {
    bytes: Buffer.byteLength(JSON.stringify(snapshot)),
    withoutCredentials: Buffer.byteLength(
      JSON.stringify(snapshot, (key, value) => (key === 'credentials' ? undefined : value)),
    ),
  };
}

/**
 * The workload expects every response ok, but for `busy`: the GSME (a sleepy device) loses a message over the HAN
 * now and then (seeded, gsmeHandlers.ts) and answers busy. Counted; anything else stops the case.
 */
function expectedRefusal(status: string): number {
  if (status === 'busy') return 1;
  throw new Error(`unexpected response status ${status}`);
}

// ── cases (each in its own process) ─────────────────────────────────────────────────────────────────────────────

function idleCase(sets: number, bare: boolean): CaseResult {
  const clock = new VirtualClock();
  // set-up per set is a throughput figure too: as many sets made first as the other throughput cases' warm-up
  const warmUp = THROUGHPUT_WARM_UP_SETS;
  const configs = mixedSets(warmUp + sets);
  const start = (i: number) => (bare ? startBareSet(configs[i]!, clock) : startSet(configs[i]!, clock));
  const keep: ReturnType<typeof start>[] = [];
  for (let i = 0; i < warmUp; i++) keep.push(start(i));
  clock.advanceBySync(60_000);
  gcTwice();
  const before = heapUsed();

  const started = performance.now();
  const cpuStarted = cpuMs();
  for (let i = warmUp; i < configs.length; i++) keep.push(start(i));
  const setupMs = performance.now() - started;
  const setupCpuMs = cpuMs() - cpuStarted;
  const settleStarted = performance.now();
  clock.advanceBySync(60_000); // start-up timers run; the ESMEs' 30-minute timers stay pending
  const settleMs = performance.now() - settleStarted;
  gcTwice();
  const after = heapUsed();

  const figures: Record<string, number> = {
    kbPerSet: (after - before) / sets / 1024,
    setupMsPerSet: setupMs / sets,
    setupCpuMsPerSet: setupCpuMs / sets,
    settleMs,
    heapMB: after / MB,
    peakRssMB: peakRssMB(),
    actorsPerSet: actorsOf(keep[0]!),
    pendingTimersPerSet: clock.pendingCount / keep.length,
  };
  if (!bare) {
    const itron = snapshotSizes(keep[warmUp]!.getPersistedSnapshot());
    const elster = snapshotSizes(keep[warmUp + 1]!.getPersistedSnapshot());
    Object.assign(figures, {
      snapshotItron: itron.bytes,
      snapshotElster: elster.bytes,
      snapshotItronNoCred: itron.withoutCredentials,
      snapshotElsterNoCred: elster.withoutCredentials,
    });
  }
  if (keep.length !== configs.length) throw new Error('sets were not all created'); // keeps them alive until measured
  return { kind: bare ? 'bare' : 'idle', sets, figures };
}

function agedCase(sets: number): CaseResult {
  const clock = new VirtualClock();
  const configs = mixedSets(WARM_UP_SETS + sets);
  // Warm-up sets are stopped before measuring: they would age too.
  for (const warm of configs.slice(0, WARM_UP_SETS).map((config) => startSet(config, clock))) warm.stop();
  clock.advanceBySync(60_000);
  gcTwice();
  const before = heapUsed();
  const keep = configs.slice(WARM_UP_SETS).map((config) => startSet(config, clock));
  clock.advanceBySync(30 * DAY_MS);
  gcTwice();
  const after = heapUsed();
  const set = keep[0]!;
  const esme = set.getSnapshot().children[configs[WARM_UP_SETS]!.euis.ESME]!.getSnapshot() as {
    context: { networkData: unknown[] };
  };
  const snapshot = snapshotSizes(set.getPersistedSnapshot());
  return {
    kind: 'aged',
    sets,
    figures: {
      kbPerSet: (after - before) / sets / 1024,
      networkDataRecords: esme.context.networkData.length,
      snapshotItron: snapshot.bytes,
      snapshotItronNoCred: snapshot.withoutCredentials,
    },
  };
}

/**
 * A session's commands sent directly to its set, without the wire: "commands" sends each to XState's Actor of the
 * set machine as the set's `command` event (the set forwards it to the member, and the member's answer comes back
 * as the set's `device.output`: three macrosteps a command); "member" sends them as DeviceHost's dispatch does
 * (emulator/host/deviceHost.ts), to the member actor of a DeviceSetActor with withRequestId's copy, its answer
 * re-emitted by the set without a macrostep of its own: the device work of a request through the host.
 */
function commandsCase(sets: number, path: 'commands' | 'member'): CaseResult {
  const clock = new VirtualClock();
  const hostActor = path === 'member';
  const configs = mixedSets(WARM_UP_SETS + THROUGHPUT_WARM_UP_SETS + sets);
  let responses = 0;
  let notOk = 0;
  let alerts = 0;
  const wire = (actor: ReturnType<typeof startSet>) => {
    actor.on('response', (response) => {
      responses++;
      if (response.status !== 'ok') notOk += expectedRefusal(response.status);
    });
    actor.on('alert', () => alerts++);
    return actor;
  };
  let requestId = 0;
  const session = (actor: ReturnType<typeof startSet>, index: number) => {
    for (const { to, command } of setCommands(configs[index]!.euis)) {
      if (!hostActor) {
        actor.send({ type: 'command', to, command: { ...command, requestId: String(++requestId) } as never });
        continue;
      }
      // as DeviceHost's dispatch sends it (emulator/host/deviceHost.ts)
      sendToMember(actor, to, withRequestId(command, String(++requestId)));
    }
  };

  // Counting run: a few inspected sets, every session the same (the workload is deterministic).
  const counts = { events: 0, microsteps: 0, actions: 0 };
  const inspect = (event: { type: string }) => {
    if (event.type === '@xstate.event') counts.events++;
    else if (event.type === '@xstate.microstep') counts.microsteps++;
    else if (event.type === '@xstate.action') counts.actions++;
  };
  const inspected = configs
    .slice(0, WARM_UP_SETS)
    .map((config) => wire(startSet(config, clock, { inspect, hostActor })));
  counts.events = counts.microsteps = counts.actions = 0; // the sessions' only, not the start-ups'
  inspected.forEach(session);
  const eventsPerSession = counts.events / WARM_UP_SETS;
  const microstepsPerSession = counts.microsteps / WARM_UP_SETS;
  const actionsPerSession = counts.actions / WARM_UP_SETS;
  const alertsPerSession = alerts / WARM_UP_SETS;

  // Warm-up: uninspected sets' sessions, not counted.
  const firstTimed = WARM_UP_SETS + THROUGHPUT_WARM_UP_SETS;
  configs
    .slice(WARM_UP_SETS, firstTimed)
    .forEach((config, i) => session(wire(startSet(config, clock, { hostActor })), WARM_UP_SETS + i));

  // Timed run: uninspected sets, created first (set-up is the idle case's figure), then every session.
  const actors = configs.slice(firstTimed).map((config) => wire(startSet(config, clock, { hostActor })));
  responses = 0;
  notOk = 0;
  gcTwice();
  const started = performance.now();
  const cpuStarted = cpuMs();
  actors.forEach((actor, i) => session(actor, firstTimed + i));
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (cpuMs() - cpuStarted) / 1000;
  const sends = sets * COMMANDS_PER_SET;
  if (responses !== sends) throw new Error(`${sends} commands sent, ${responses} responses`);
  return {
    kind: path,
    sets,
    figures: {
      sendsPerSec: sends / seconds,
      eventsPerSec: (eventsPerSession * sets) / seconds,
      microstepsPerSec: (microstepsPerSession * sets) / seconds,
      usPerSend: (seconds * 1e6) / sends,
      cpuUsPerSend: (cpuSeconds * 1e6) / sends,
      eventsPerSession,
      microstepsPerSession,
      actionsPerSession,
      alertsPerSession,
      busyShare: notOk / sends,
    },
  };
}

function timersCase(sets: number): CaseResult {
  const clock = new CountingClock();
  const configs = mixedSets(sets);
  const actors = configs.map((config) => startSet(config, clock));
  clock.advanceBySync(TIMERS_WARM_UP_MS);
  gcTwice();
  const before = heapUsed();
  const firedBefore = clock.fired;
  const started = performance.now();
  clock.advanceBySync(DAY_MS);
  const ms = performance.now() - started;
  const fired = clock.fired - firedBefore;
  gcTwice();
  const growth = heapUsed() - before;
  if (actors.length !== sets) throw new Error('sets were not all created');
  return {
    kind: 'timers',
    sets,
    figures: {
      timersPerSec: fired / (ms / 1000),
      speedUp: DAY_MS / ms,
      advanceMs: ms,
      firedPerSetPerDay: fired / sets,
      growthKbPerSetPerDay: growth / sets / 1024,
    },
  };
}

async function hostCase(sets: number, sessionsAtOnce: number): Promise<CaseResult> {
  const clock = new VirtualClock();
  const configs = mixedSets(THROUGHPUT_WARM_UP_SETS + sets);
  const host = new DeviceHost({ clock, sets: configs });
  const [emulatorEnd, harnessEnd] = LoopbackEnd.pair();
  host.attach(emulatorEnd);
  const endpoint = new MessageEndpoint({
    side: 'harness',
    clock,
    localEui: HARNESS_EUI,
    transmit: (bytes) => harnessEnd.write(bytes),
    dialectOf: (eui) => host.dialectOf(eui),
  });
  harnessEnd.on('data', (bytes) => endpoint.receive(bytes));
  endpoint.setConnected(harnessEnd.isOpen);
  const client = new BenchClient({ endpoint, clock });
  let alerts = 0;
  client.on('alert', () => alerts++);

  let notOk = 0;
  // requests outstanding now, and the most at once: the level the run had, measured, not the one asked for
  let inFlight = 0;
  let peakInFlight = 0;
  const session = async (index: number) => {
    for (const { to, command } of setCommands(configs[index]!.euis)) {
      if (++inFlight > peakInFlight) peakInFlight = inFlight;
      const response = await client.request(to, command);
      inFlight--;
      if (response.status !== 'ok') notOk += expectedRefusal(response.status);
    }
  };
  /** Runs the sets' sessions, `sessionsAtOnce` at a time; time moves only when nothing else can run. */
  const runAll = async (indices: number[]) => {
    let done = false;
    let next = 0;
    const sessions = async () => {
      while (next < indices.length) await session(indices[next++]!);
    };
    const all = Promise.all(Array.from({ length: Math.min(sessionsAtOnce, indices.length) }, sessions)).finally(
      () => (done = true),
    );
    // advanceTo drains before its first timer, after each and last: one drain before the loop is all it needs
    await drainPendingJobs();
    while (!done) {
      const next = clock.nextDueTime();
      if (next === undefined) throw new Error('stuck: sessions unfinished and no timer pending');
      await clock.advanceTo(next);
    }
    await all;
  };
  const frames = () => endpoint.link.stats.framesIn + host.endpoint.link.stats.framesIn;

  await runAll(Array.from({ length: THROUGHPUT_WARM_UP_SETS }, (_, i) => i));
  const alertsPerSession = alerts / THROUGHPUT_WARM_UP_SETS;
  gcTwice();
  const framesBefore = frames();
  const virtualBefore = clock.now();
  notOk = 0;
  peakInFlight = 0;
  const started = performance.now();
  const cpuStarted = cpuMs();
  await runAll(Array.from({ length: sets }, (_, i) => THROUGHPUT_WARM_UP_SETS + i));
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (cpuMs() - cpuStarted) / 1000;
  const requests = sets * COMMANDS_PER_SET;
  const framesMoved = frames() - framesBefore;
  client.close();
  endpoint.close();
  host.close();
  await Promise.all([emulatorEnd.close(), harnessEnd.close()]);
  return {
    kind: 'host',
    sets,
    figures: {
      requestsPerSec: requests / seconds,
      sessionsAtOnce: peakInFlight,
      usPerRequest: (seconds * 1e6) / requests,
      cpuUsPerRequest: (cpuSeconds * 1e6) / requests,
      framesPerSec: framesMoved / seconds,
      framesPerRequest: framesMoved / requests,
      alertsPerSession,
      virtualMs: clock.now() - virtualBefore,
      busyShare: notOk / requests,
    },
  };
}

/** Heap-snapshot diff of N idle sets: retained bytes per set by V8 node type and constructor. */
function breakdownCase(sets: number): CaseResult {
  const clock = new VirtualClock();
  const configs = mixedSets(WARM_UP_SETS + sets);
  const keep = configs.slice(0, WARM_UP_SETS).map((config) => startSet(config, clock));
  clock.advanceBySync(60_000);
  gcTwice();
  const before = heapCensus();
  keep.push(...configs.slice(WARM_UP_SETS).map((config) => startSet(config, clock)));
  clock.advanceBySync(60_000);
  gcTwice();
  const after = heapCensus();
  const rows = [...after]
    .map(([key, [bytes, count]]) => ({
      key,
      bytes: bytes - (before.get(key)?.[0] ?? 0),
      count: count - (before.get(key)?.[1] ?? 0),
    }))
    .sort((a, b) => b.bytes - a.bytes);
  const total = rows.reduce((sum, row) => sum + row.bytes, 0);
  const lines = [
    `heap-snapshot diff, ${sets.toLocaleString('en-GB')} idle sets: ${(total / sets / 1024).toFixed(1)} KB per set (self sizes)`,
  ];
  lines.push('| V8 node type: name | bytes per set | objects per set | share |', '|---|--:|--:|--:|');
  for (const row of rows.slice(0, 20)) {
    lines.push(
      `| ${row.key} | ${(row.bytes / sets).toFixed(0)} | ${(row.count / sets).toFixed(1)} | ${((100 * row.bytes) / total).toFixed(1)}% |`,
    );
  }
  if (keep.length !== configs.length) throw new Error('sets were not all created');
  return { kind: 'breakdown', sets, figures: { kbPerSet: total / sets / 1024 }, text: lines.join('\n') };
}

function heapCensus(): Map<string, [number, number]> {
  const file = v8.writeHeapSnapshot(`${os.tmpdir()}/device-sets-${process.pid}.heapsnapshot`);
  const text = readFileSync(file, 'utf8');
  unlinkSync(file);
  const snapshot = JSON.parse(text) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const census = new Map<string, [number, number]>();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    const name = type.includes('string')
      ? '(strings)'
      : type === 'number'
        ? '(heap numbers)'
        : snapshot.strings[snapshot.nodes[i + nameAt]!]!.slice(0, 40) || '(anonymous)';
    const key = `${type}: ${name}`;
    const entry = census.get(key) ?? [0, 0];
    entry[0] += snapshot.nodes[i + sizeAt]!;
    entry[1] += 1;
    census.set(key, entry);
  }
  return census;
}

async function runCase(kind: CaseKind, sets: number, sessionsAtOnce: number): Promise<CaseResult> {
  switch (kind) {
    case 'idle':
      return idleCase(sets, false);
    case 'bare':
      return idleCase(sets, true);
    case 'aged':
      return agedCase(sets);
    case 'commands':
      return commandsCase(sets, 'commands');
    case 'member':
      return commandsCase(sets, 'member');
    case 'timers':
      return timersCase(sets);
    case 'host':
      return hostCase(sets, sessionsAtOnce);
    case 'breakdown':
      return breakdownCase(sets);
  }
}

// ── the parent: runs the cases, prints the table ───────────────────────────────────────────────────────────────

function runInChild(
  kind: CaseKind,
  sets: number,
  pretenuring: boolean,
  options: { maxHeapMB?: number; timeoutMs?: number; sessionsAtOnce?: number } = {},
): CaseResult {
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      ...(options.maxHeapMB ? [`--max-old-space-size=${options.maxHeapMB}`] : []),
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--case',
      kind,
      String(sets),
      ...(pretenuring ? ['--pretenuring'] : []),
      ...(options.sessionsAtOnce !== undefined ? ['--sessions-at-once', String(options.sessionsAtOnce)] : []),
    ],
    { encoding: 'utf8', maxBuffer: 16 * MB, timeout: options.timeoutMs ?? 120_000 },
  );
  const line = child.stdout?.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    const why =
      child.error && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT'
        ? `killed after ${((performance.now() - started) / 1000).toFixed(0)} s`
        : (child.stderr || child.stdout || '').trim().split('\n').slice(-3).join(' | ') ||
          `exit ${child.status ?? child.signal}`;
    return { kind, sets, figures: {}, error: why };
  }
  return JSON.parse(line) as CaseResult;
}

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`${text}\x1b[K\r`);
}

/** A figure of each run of a case that has it. */
function values(from: readonly CaseResult[], key: string): number[] {
  return from.map((r) => r.figures[key]!).filter((v) => v !== undefined);
}

/** One row a [figure, key in the case's figures, digits] of a group of runs of one case, at that case's set count. */
function figureRows(group: readonly CaseResult[], specs: readonly [string, string, number][]): Row[] {
  return specs.map(([figure, key, digits]) => ({ figure, sets: group[0]!.sets, values: values(group, key), digits }));
}

interface Row {
  figure: string;
  sets: number | string;
  values: number[];
  digits: number;
  /** Reported as a single value (same in every run). */
  exact?: boolean;
}

const n = (value: number | string) => (typeof value === 'number' ? value.toLocaleString('en-GB') : value);

function fmt(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '—';
  return value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function printTable(rows: Row[]): void {
  console.log('| figure | sets | median | range (runs) |');
  console.log('|---|--:|--:|--:|');
  for (const row of rows) {
    if (row.values.length === 0) continue;
    const range = row.exact
      ? 'deterministic'
      : row.values.length === 1
        ? `(1)`
        : `${fmt(Math.min(...row.values), row.digits)} – ${fmt(Math.max(...row.values), row.digits)} (${row.values.length})`;
    console.log(`| ${row.figure} | ${n(row.sets)} | ${fmt(median(row.values), row.digits)} | ${range} |`);
  }
}

async function main(): Promise<void> {
  const { options, argument, usageError } = scriptArgs<
    {
      quick: boolean | undefined;
      breakdown: boolean | undefined;
      host: boolean | undefined;
      case: CaseKind | undefined;
      sessionsAtOnce: number | undefined;
      pretenuring: boolean | undefined;
    },
    number
  >({
    script: 'bench:devices',
    summary: 'device sets at fleet scale on the VirtualClock: memory per idle set and transitions per second',
    options: {
      quick: { flags: '--quick', description: 'one run of each case, no 50,000-set case' },
      breakdown: {
        flags: '--breakdown',
        description: "also: where an idle set's heap goes, from two V8 heap snapshots",
      },
      host: {
        flags: '--host',
        description: 'only the request path: commands, member and host (with --quick: one run each)',
      },
      pretenuring: {
        flags: '--pretenuring',
        description:
          "keep V8's allocation-site pretenuring (its default) in the cases, for comparison; without it they run as smets1 emulate does, with it off (a --case run too)",
      },
      case: {
        flags: '--case <kind>',
        description: 'one case, one run, of [sets] sets: its JSON figures',
        choices: CASE_KINDS,
      },
      sessionsAtOnce: {
        flags: '--sessions-at-once <k>',
        description: `with --case host: sessions run at once, one request outstanding each (default ${HOST_SESSIONS_AT_ONCE.toLocaleString('en-GB')}, the most; a run without --case sweeps ${HOST_SWEEP.join(', ')})`,
        parse: integer(1, HOST_SESSIONS_AT_ONCE),
      },
    },
    argument: { name: '[sets]', description: 'with --case: how many device sets', parse: integer(1, 1_000_000) },
    examples: [
      'npm run bench:devices -- --quick',
      'npm run bench:devices -- --host',
      'npm run bench:devices -- --host --pretenuring',
      'node --expose-gc --import tsx bench/device-sets.ts --case commands 2000',
      'node --expose-gc --import tsx bench/device-sets.ts --case host 500 --sessions-at-once 12',
    ],
  });
  if (options.sessionsAtOnce !== undefined && options.case !== 'host')
    return usageError('--sessions-at-once goes with --case host only (a run without --case sweeps the levels itself)');
  if (options.case !== undefined) {
    if (argument === undefined) return usageError('--case needs its set count after the kind: --case commands 2000');
    // checked before any set is made: the heap figures need forced collections (the parent case runs pass the flag)
    if (typeof (globalThis as { gc?: unknown }).gc !== 'function')
      return usageError('--case needs node --expose-gc: node --expose-gc --import tsx bench/device-sets.ts --case …');
    // before any set is made, as smets1 emulate does it
    if (options.pretenuring !== true) withoutPretenuring();
    console.log(JSON.stringify(await runCase(options.case, argument, options.sessionsAtOnce ?? HOST_SESSIONS_AT_ONCE)));
    return;
  }
  if (argument !== undefined)
    usageError(`unexpected argument ${JSON.stringify(argument)}: a set count goes with --case only`);
  const pretenuring = options.pretenuring === true;
  const quick = options.quick === true;
  const hostOnly = options.host === true;
  const repeats = quick ? 1 : 3;
  const xstateVersion = (createRequire(import.meta.url)('xstate/package.json') as { version: string }).version;
  const began = performance.now();
  const load = os.loadavg()[0]!;

  const results: CaseResult[] = [];
  const notes: string[] = [];
  const run = (kind: CaseKind, sets: number, times: number, options?: Parameters<typeof runInChild>[3]) => {
    const out: CaseResult[] = [];
    for (let i = 0; i < times; i++) {
      const at = options?.sessionsAtOnce !== undefined ? `, ${options.sessionsAtOnce} at once` : '';
      progress(`running ${kind} × ${sets.toLocaleString('en-GB')}${at} (${i + 1}/${times}) ...`);
      const result = runInChild(kind, sets, pretenuring, options);
      if (result.error) notes.push(`${kind} × ${n(sets)}${at}: ${result.error}`);
      else out.push(result);
    }
    results.push(...out);
    return out;
  };

  // Interleaved, so a burst of load from another job on the box does not land on one case's every run.
  const idle1k: CaseResult[] = [];
  const commands: CaseResult[] = [];
  const member: CaseResult[] = [];
  const timers: CaseResult[] = [];
  /** The host case's runs by sessions-at-once level, in HOST_SWEEP's order. */
  const host = HOST_SWEEP.map((level) => ({ level, runs: [] as CaseResult[] }));
  for (let i = 0; i < repeats; i++) {
    if (!hostOnly) idle1k.push(...run('idle', 1_000, 1));
    commands.push(...run('commands', 2_000, 1));
    member.push(...run('member', 2_000, 1));
    if (!hostOnly) timers.push(...run('timers', 1_000, 1));
    for (const { level, runs } of host) runs.push(...run('host', 500, 1, { sessionsAtOnce: level }));
  }
  const idle10k = hostOnly ? [] : run('idle', 10_000, quick ? 1 : 2);
  const bare10k = hostOnly ? [] : run('bare', 10_000, 1);
  const aged = hostOnly ? [] : run('aged', 100, 1);

  // 50,000 sets only if the 10,000-set runs say it fits the roadmap's budget: a 2 GB heap and about a minute.
  let idle50k: CaseResult[] = [];
  const probe = idle10k[0];
  if (hostOnly) {
    // the request path only
  } else if (quick) {
    notes.push('50,000 idle sets: skipped (--quick)');
  } else if (!probe) {
    notes.push('50,000 idle sets: skipped (the 10,000-set case failed)');
  } else {
    const projectedHeapMB = (probe.figures.heapMB! * 50_000) / 10_000;
    const projectedSeconds = (5 * (probe.figures.setupMsPerSet! * 10_000 + probe.figures.settleMs!)) / 1000;
    if (projectedHeapMB > 1_800 || projectedSeconds > 75) {
      notes.push(
        `50,000 idle sets: skipped, projected from 10,000: ${fmt(projectedHeapMB, 0)} MB heap, ${fmt(projectedSeconds, 0)} s set-up (budget 1,800 MB, 75 s)`,
      );
    } else {
      idle50k = run('idle', 50_000, 1, { maxHeapMB: 2_048, timeoutMs: 120_000 });
      if (idle50k.length === 0) notes.push('50,000 idle sets: did not finish within a 2 GB heap and 120 s (see above)');
    }
  }
  const breakdown = options.breakdown ? run('breakdown', 2_000, 1) : [];

  const rows: Row[] = [];
  for (const group of [idle1k, idle10k, idle50k]) {
    if (group[0])
      rows.push({
        figure: 'heap per idle device set, KB (retained after GC)',
        sets: group[0].sets,
        values: values(group, 'kbPerSet'),
        digits: 1,
      });
  }
  if (bare10k[0]) {
    rows.push({
      figure: '… of which XState actors alone (bare set: the same actors, no device state), KB',
      sets: 10_000,
      values: values(bare10k, 'kbPerSet'),
      digits: 1,
    });
    if (idle10k.length) {
      const state = idle10k.map((r) => r.figures.kbPerSet! - bare10k[0]!.figures.kbPerSet!);
      rows.push({
        figure: '… device state (contexts, snapshots, timers: idle − bare), KB',
        sets: 10_000,
        values: state,
        digits: 1,
      });
    }
  }
  for (const group of [idle1k, idle10k, idle50k]) {
    if (group[0])
      rows.push({
        figure: 'set-up time per set (create + start), ms',
        sets: group[0].sets,
        values: values(group, 'setupMsPerSet'),
        digits: 3,
      });
  }
  if (idle1k[0])
    rows.push({
      figure: '… CPU time per set (user + system, GC threads included), ms',
      sets: idle1k[0].sets,
      values: values(idle1k, 'setupCpuMsPerSet'),
      digits: 3,
    });
  for (const group of [idle10k, idle50k]) {
    if (group[0])
      rows.push({ figure: 'process peak RSS, MB', sets: group[0].sets, values: values(group, 'peakRssMB'), digits: 0 });
  }
  const idleAny = [...idle1k, ...idle10k];
  if (idleAny[0]) {
    const { actorsPerSet, pendingTimersPerSet } = idleAny[0].figures;
    rows.push({
      figure: `actors per set (pending timers per idle set: ${fmt(pendingTimersPerSet!, 2)})`,
      sets: 'one',
      values: [actorsPerSet!],
      digits: 0,
      exact: true,
    });
    rows.push({
      figure: 'persisted snapshot of one set, JSON bytes: Itron',
      sets: 'one',
      values: values(idleAny.slice(0, 1), 'snapshotItron'),
      digits: 0,
      exact: true,
    });
    rows.push({
      figure: 'persisted snapshot of one set, JSON bytes: Elster',
      sets: 'one',
      values: values(idleAny.slice(0, 1), 'snapshotElster'),
      digits: 0,
      exact: true,
    });
    rows.push({
      figure: '… without the credential slots (certificates): Itron',
      sets: 'one',
      values: values(idleAny.slice(0, 1), 'snapshotItronNoCred'),
      digits: 0,
      exact: true,
    });
    rows.push({
      figure: '… without the credential slots (certificates): Elster',
      sets: 'one',
      values: values(idleAny.slice(0, 1), 'snapshotElsterNoCred'),
      digits: 0,
      exact: true,
    });
  }
  if (aged[0]) {
    const a = aged[0].figures;
    rows.push({
      figure: `heap per set after 30 virtual days (ESME network data full: ${fmt(a.networkDataRecords!, 0)} records), KB`,
      sets: aged[0].sets,
      values: values(aged, 'kbPerSet'),
      digits: 1,
    });
    rows.push({
      figure: `persisted snapshot after 30 days, JSON bytes: Itron (${fmt(a.snapshotItronNoCred!, 0)} without the credential slots)`,
      sets: 'one',
      values: values(aged, 'snapshotItron'),
      digits: 0,
      exact: true,
    });
  }
  if (commands[0]) {
    const c = commands[0].figures;
    rows.push(
      ...figureRows(commands, [
        [`commands/s sent straight to set actors (${COMMANDS_PER_SET} per set)`, 'sendsPerSec', 0],
        [
          `XState events/s (@xstate.event, ${fmt(c.eventsPerSession!, 0)} per session, children included)`,
          'eventsPerSec',
          0,
        ],
        [
          `microsteps/s (${fmt(c.microstepsPerSession!, 0)} per session; actions run: ${fmt(c.actionsPerSession!, 0)}, assigns not counted)`,
          'microstepsPerSec',
          0,
        ],
        ['µs per command, direct', 'usPerSend', 1],
        ['… CPU µs per command (user + system, GC threads included)', 'cpuUsPerSend', 1],
      ]),
    );
  }
  if (member[0]) {
    const m = member[0].figures;
    rows.push(
      ...figureRows(member, [
        [
          `commands/s direct via the host's path (DeviceSetActor, to the member: ${fmt(m.eventsPerSession!, 0)} XState events, ${fmt(m.microstepsPerSession!, 0)} microsteps per session)`,
          'sendsPerSec',
          0,
        ],
        ["µs per command, direct via the host's path", 'usPerSend', 1],
        ['… CPU µs per command (user + system, GC threads included)', 'cpuUsPerSend', 1],
      ]),
    );
  }
  if (timers[0]) {
    rows.push(
      ...figureRows(timers, [
        [
          `timers fired/s, idle sets, one 24 h advanceBySync (${fmt(timers[0].figures.firedPerSetPerDay!, 0)} per set)`,
          'timersPerSec',
          0,
        ],
        ['virtual-to-real speed-up over 24 h', 'speedUp', 0],
        ['heap growth per set over 24 h (network data), KB', 'growthKbPerSetPerDay', 2],
      ]),
    );
  }
  for (const { runs } of host) {
    if (!runs[0]) continue;
    const atOnce = `${n(runs[0].figures.sessionsAtOnce!)} sessions at once`;
    rows.push(
      ...figureRows(runs, [
        [`requests/s through DeviceHost + loopback (codec, link layer, BenchClient), ${atOnce}`, 'requestsPerSec', 0],
        [
          `… frames/s on the loopback (${fmt(runs[0].figures.framesPerRequest!, 2)} per request, acks and alerts included)`,
          'framesPerSec',
          0,
        ],
        ['… µs per request, end to end', 'usPerRequest', 1],
        ['… CPU µs per request (user + system, GC threads included)', 'cpuUsPerRequest', 1],
      ]),
    );
  }
  progress('');
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB; node ${process.version}, xstate ${xstateVersion}; load average at start ${load.toFixed(2)}`,
  );
  console.log(
    `VirtualClock; half Itron, half Elster sets, each CH + ESME + GSME + PPMID; median and range of ${repeats} run(s) per throughput case`,
  );
  console.log(
    pretenuring
      ? "V8's allocation-site pretenuring on in the case processes (V8's default: --pretenuring)"
      : "V8's allocation-site pretenuring off in the case processes (withoutPretenuring), as smets1 emulate runs; --pretenuring keeps it",
  );
  console.log(
    `warm-up, not counted: commands, member and host ${n(THROUGHPUT_WARM_UP_SETS)} sets (a whole session each; host at its level of sessions at once), idle and bare ${n(THROUGHPUT_WARM_UP_SETS)} sets (made and settled), timers the first ${TIMERS_WARM_UP_MS / 3_600_000} virtual hours, aged ${WARM_UP_SETS} sets\n`,
  );
  printTable(rows);
  const measuredLevels = host.filter(({ runs }) => runs.length > 0);
  if (measuredLevels.length > 0) {
    console.log(`\nrequests/s end to end (median) against issue 16's ${n(HOST_TARGET_PER_SEC)}:`);
    for (const { runs } of measuredLevels) {
      const rate = median(values(runs, 'requestsPerSec'));
      const verdict = rate >= HOST_TARGET_PER_SEC ? 'met' : `${fmt(HOST_TARGET_PER_SEC / rate, 2)}× short`;
      console.log(`  ${n(runs[0]!.figures.sessionsAtOnce!)} sessions at once: ${fmt(rate, 0)}/s, ${verdict}`);
    }
  }
  if (member[0] && measuredLevels.length > 0) {
    // the like path: the host sends each command to the member of a DeviceSetActor, as the member case does
    const direct = median(values(member, 'usPerSend'));
    const directCpu = median(values(member, 'cpuUsPerSend'));
    const viaSet = commands[0]
      ? `; through the set's command event instead: CPU ${fmt(median(values(commands, 'cpuUsPerSend')), 1)} µs`
      : '';
    console.log(
      `\na request end to end against a command direct via the host's path (CPU ${fmt(directCpu, 1)} µs a command, wall ${fmt(direct, 1)} µs${viaSet}):`,
    );
    for (const { runs } of measuredLevels) {
      const wired = median(values(runs, 'usPerRequest'));
      const wiredCpu = median(values(runs, 'cpuUsPerRequest'));
      console.log(
        `  ${n(runs[0]!.figures.sessionsAtOnce!)} sessions at once: CPU ${fmt(wiredCpu, 1)} µs end to end, ${fmt(wiredCpu - directCpu, 1)} more (the wire, the host and requests waiting beside each other); wall ${fmt(wired / direct, 1)}× the direct command (the device work ${fmt((100 * direct) / wired, 0)}% of it)`,
      );
    }
  }
  for (const [name, group] of [
    ['direct', commands],
    ["direct via the host's path", member],
    ...measuredLevels.map(({ runs }) => [`host, ${n(runs[0]!.figures.sessionsAtOnce!)} at once`, runs] as const),
  ] as const) {
    const shares = values(group, 'busyShare');
    if (shares.length)
      console.log(
        `${name}: ${fmt(100 * median(shares), 2)}% of responses were \`busy\` (GSME HAN losses, seeded; the rest ok)`,
      );
  }
  for (const note of notes) console.log(`note: ${note}`);
  for (const result of breakdown) if (result.text) console.log(`\n${result.text}`);
  console.log(`\ntotal ${((performance.now() - began) / 1000).toFixed(0)} s`);
}

await main();
