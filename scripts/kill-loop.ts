/**
 * `kill -9` loop (issue 8, "Done means"): a real `smets1 emulate --state DIR --link pty` (or tcp-listen on
 * 127.0.0.1 with --tcp) under a stream of changes, killed with SIGKILL at a pseudo-random moment, restarted on the
 * same DIR, 20 times. After every kill it checks, and exits 1 on the first failure:
 *
 *   - no acknowledged change lost: every set's ESME power thresholds in DIR are at least the last value the
 *     harness got an `ok` for (the value only grows), and every HAN log entry acknowledged as added is there;
 *   - no temporary file left in DIR once the next emulator has started;
 *   - no orphaned helper: every process the killed emulator started (socat and its watcher, tsx's esbuild) is gone.
 *
 * It also counts alerts delivered more than once across restarts (README: the alert-duplicate rule).
 *
 *   npm run soak:kill                      # 20 kills, 2 sets, --link pty (socat), ~1 min
 *   npm run soak:kill -- --kills 5 --tcp
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random, seedRandom } from '../common/random';
import { WallClock } from '../emulator/clock/wallClock';
import { alive, descendantsOf } from './processTree';
import { setEuis } from '../emulator/host/benchConfig';
import type { ByteLink } from '../emulator/links/byteLink';
import { SerialLink } from '../emulator/links/serialLink';
import { TcpClientLink } from '../emulator/links/tcpLink';
import { StateStore } from '../emulator/persistence/stateStore';
import { BenchClient } from '../protocols/benchClient';
import { HARNESS_EUI } from '../protocols/constants';
import { MessageEndpoint } from '../protocols/endpoint';
import { integer } from '../harness/cli/optionTable';
import { scriptArgs } from './scriptArgs';

const { options } = scriptArgs<{ kills: number; tcp: boolean | undefined }>({
  script: 'soak:kill',
  summary: 'kill -9 loop: a real smets1 emulate --state DIR under a stream of changes, killed and restarted',
  options: {
    kills: {
      flags: '--kills <n>',
      description: 'kills (SIGKILL) before the end',
      parse: integer(0, 10_000),
      default: 20,
    },
    tcp: { flags: '--tcp', description: 'tcp-listen on 127.0.0.1 instead of --link pty (socat)' },
  },
  examples: ['npm run soak:kill -- --kills 5 --tcp'],
});
const KILLS = options.kills;
const TCP = options.tcp === true;
const SETS = 2;
const BIN = new URL('../bin/smets1.mjs', import.meta.url).pathname;
const DEADLINE = Date.now() + 10 * 60_000; // bounded in time as well as in count

/** Kill times from the project's seeded generator: reproducible. */
const generator = new Random(seedRandom(12345));
const random = () => generator.next();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Emulator {
  child: ChildProcess;
  output: string[];
  peer: string;
  exited: Promise<unknown>;
}

async function startEmulator(state: string): Promise<Emulator> {
  const link = TCP ? 'tcp-listen:127.0.0.1:0' : 'pty';
  const child = spawn(process.execPath, [BIN, 'emulate', '--link', link, '--sets', String(SETS), '--state', state], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let text = '';
  child.stderr!.on('data', (chunk: Buffer) => output.push(`stderr: ${chunk}`));
  const peer = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (!/^ready$/m.test(text)) return;
      output.push(...text.split('\n'));
      const found = TCP ? /^listening: tcp-listen:127\.0\.0\.1:(\d+)$/m.exec(text) : /^harness end: (\S+)$/m.exec(text);
      if (found) resolve(found[1]);
      else reject(new Error(`no harness end in:\n${text}`));
    });
    void exited.then(() => reject(new Error(`emulate exited before it was ready:\n${text}\n${output.join('\n')}`)));
  });
  return { child, output, peer, exited };
}

async function connect(peer: string): Promise<{ client: BenchClient; close(): Promise<void>; alerts: string[] }> {
  const clock = new WallClock();
  const link: ByteLink & { open(): Promise<void>; close(): Promise<void> } = TCP
    ? new TcpClientLink({ host: '127.0.0.1', port: Number(peer), clock, reconnect: false })
    : new SerialLink({ path: peer, clock, reconnect: false });
  const endpoint = new MessageEndpoint({
    side: 'harness',
    clock,
    localEui: HARNESS_EUI,
    transmit: (bytes) => link.write(bytes),
    dialectOf: () => 'itron',
    ackTimeout: 500,
  });
  link.on('data', (bytes) => endpoint.receive(bytes));
  await link.open();
  endpoint.setConnected(true);
  const client = new BenchClient({ endpoint, clock, responseTimeout: 5_000 });
  const alerts: string[] = [];
  client.on('alert', (alert) => alerts.push(`${alert.source} ${alert.alert.code} ${alert.alert.at}`));
  return {
    client,
    alerts,
    async close() {
      client.close();
      endpoint.close();
      await link.close().catch(() => {});
    },
  };
}

const state = mkdtempSync(join(tmpdir(), 'smets1-kill-loop-'));
const thresholds = Array.from({ length: SETS }, () => 0); // last acknowledged lowMediumThreshold per set
const added = new Set<string>(); // HAN log entries acknowledged as added (never removed here)
const alertsSeen = new Set<string>(); // source, code and time of every alert a harness session received
let alertsReceived = 0;
let alertsRepeated = 0;
let counter = 0;
let failures = 0;
const fail = (why: string) => {
  failures++;
  console.log(`FAIL: ${why}`);
};

console.log(`kill -9 loop: ${KILLS} kills, ${SETS} sets, --link ${TCP ? 'tcp-listen' : 'pty'}, state in ${state}`);
for (let kill = 1; kill <= KILLS && Date.now() < DEADLINE && failures === 0; kill++) {
  const emulator = await startEmulator(state);
  const tmp = readdirSync(state).filter((name) => name.endsWith('.tmp'));
  if (tmp.length > 0) fail(`temporaries left after start ${kill}: ${tmp.join(', ')}`);
  const harness = await connect(emulator.peer);
  const killAt = Date.now() + 150 + random() * 1200;
  let stopped = false;
  const stream = (async () => {
    while (!stopped) {
      const set = counter % SETS;
      counter++;
      const { ESME, CH } = setEuis(set, true);
      const value = 1000 + counter;
      try {
        if (counter % 5 === 0) {
          const deviceId = `00-DB-12-34-56-${(counter >> 8).toString(16).padStart(2, '0').toUpperCase()}-${(counter & 0xff).toString(16).padStart(2, '0').toUpperCase()}-F${set}`;
          const r = await harness.client.request(CH, {
            type: 'hanLogAdd',
            deviceId,
            installCode: '00112233445566778899aabbccddeeff',
            joinPeriod: 200,
          });
          if (r.status === 'ok') added.add(`${set} ${deviceId}`);
        } else {
          const r = await harness.client.request(ESME, {
            type: 'powerThresholds',
            lowMediumThreshold: value,
            mediumHighThreshold: 900_000,
          });
          if (r.status === 'ok') thresholds[set] = Math.max(thresholds[set], value);
        }
      } catch {
        return; // the emulator was killed mid-request: that change was never acknowledged
      }
    }
  })();
  while (Date.now() < killAt) await sleep(10);
  const helpers = descendantsOf(emulator.child.pid!);
  emulator.child.kill('SIGKILL');
  stopped = true;
  await emulator.exited;
  await stream;
  await harness.close();
  // An alert a previous session already received, delivered again after the restart.
  const session = new Set(harness.alerts);
  alertsReceived += harness.alerts.length;
  for (const alert of session) if (alertsSeen.has(alert)) alertsRepeated++;
  for (const alert of session) alertsSeen.add(alert);

  // Helpers die with the emulator.
  const deadline = Date.now() + 3000;
  while (helpers.some(alive) && Date.now() < deadline) await sleep(20);
  const orphans = helpers.filter(alive);
  if (orphans.length > 0) fail(`kill ${kill}: helper process(es) still running: ${orphans.join(', ')}`);

  // Every acknowledged change is in the state directory.
  const loaded = new StateStore(state).load()!;
  loaded.snapshots.forEach((snapshot, set) => {
    const children = (snapshot as { children: Record<string, { snapshot: { context: Record<string, any> } }> })
      .children;
    const { ESME, CH } = setEuis(set, true);
    const low = children[ESME].snapshot.context.powerThresholds.lowMediumThreshold as number;
    if (low < thresholds[set])
      fail(`kill ${kill}: set ${set} thresholds ${low} < last acknowledged ${thresholds[set]}`);
    const log = new Set(
      (children[CH].snapshot.context.deviceLog as { deviceId: string }[]).map((entry) => `${set} ${entry.deviceId}`),
    );
    for (const entry of added)
      if (entry.startsWith(`${set} `) && !log.has(entry))
        fail(`kill ${kill}: acknowledged HAN log entry ${entry} lost`);
  });
  console.log(
    `kill ${String(kill).padStart(2)}: ${counter} requests so far; thresholds ${thresholds.join(', ')}; ${added.size} log entries; ${loaded.pendingAlerts.length} alert(s) queued; helpers gone: ${helpers.length}`,
  );
}

// A last start: temporaries swept, then a clean stop.
const last = await startEmulator(state);
const tmp = readdirSync(state).filter((name) => name.endsWith('.tmp'));
if (tmp.length > 0) fail(`temporaries left after the last start: ${tmp.join(', ')}`);
last.child.kill('SIGTERM');
await last.exited;
if (existsSync(join(state, 'emulator.lock'))) fail('the lock file outlived a clean stop');
console.log(
  `alerts received: ${alertsReceived}; received again after a restart (acknowledged, but the kill came before the acknowledgement was written): ${alertsRepeated}`,
);
rmSync(state, { recursive: true, force: true });
console.log(
  failures === 0
    ? 'kill -9 loop: no acknowledged change lost, no stale temporary, no orphaned helper'
    : `kill -9 loop: ${failures} failure(s)`,
);
process.exit(failures === 0 ? 0 : 1);
