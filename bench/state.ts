/**
 * What `--state` costs: requests answered per second by a real `smets1 emulate` over TCP on 127.0.0.1, with and
 * without `--state`, at 1 and 1,000 device sets. One harness, one request at a time (stop and wait), round robin
 * over the sets:
 *
 *   changes   hanLogAdd then hanLogRemove of a made-up device on each set's CH (every one changes the set; the
 *             add raises an alert, which the harness acknowledges)
 *   reads     readDeviceInfo on each set's ESME (changes nothing: with --state nothing should be written)
 *
 *   npm run bench:state                        # this checkout, both kinds, 1 and 1,000 sets (~2 min)
 *   npm run bench:state -- --bin ../other/bin/smets1.mjs --sync none   # another checkout (e.g. main, no --state-sync)
 *   npm run bench:state -- --sets 1,2000 --seconds 5
 *
 * Each case runs for --seconds (default 5) or 2,000 answers, whichever comes first, after 20 warm-up requests.
 * The target (issue 8 item 12): with --state, at least half the rate without it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WallClock } from '../emulator/clock/wallClock';
import { setEuis } from '../emulator/host/benchConfig';
import { TcpClientLink } from '../emulator/links/tcpLink';
import { BenchClient } from '../protocols/benchClient';
import { HARNESS_EUI } from '../protocols/constants';
import { MessageEndpoint } from '../protocols/endpoint';
import { integer } from '../harness/cli/optionTable';
import { integerList, scriptArgs } from '../scripts/scriptArgs';

const { options } = scriptArgs<{ bin: string; sets: number[]; seconds: number; sync: string }>({
  script: 'bench:state',
  summary: 'what --state costs: requests answered per second by a real smets1 emulate over TCP, with and without it',
  options: {
    bin: {
      flags: '--bin <file>',
      description: "the smets1 to measure (another checkout's bin/smets1.mjs)",
      default: new URL('../bin/smets1.mjs', import.meta.url).pathname,
      defaultDescription: "this checkout's",
    },
    sets: {
      flags: '--sets <list>',
      description: 'device set counts, comma-separated',
      parse: integerList(1, 100_000),
      default: [1, 1000],
      defaultDescription: '1,1000',
    },
    seconds: {
      flags: '--seconds <n>',
      description: 'each case, or 2,000 answers, whichever comes first',
      parse: integer(1, 3600),
      default: 5,
    },
    sync: {
      flags: '--sync <modes>',
      description: '--state-sync modes to measure, comma-separated; none: an older emulator without the option',
      parse: (text) => {
        for (const mode of text.split(','))
          if (!['flush', 'os', 'none'].includes(mode))
            throw new Error(`a mode is flush, os or none, not ${JSON.stringify(mode)}`);
        return text;
      },
      default: 'flush,os',
    },
  },
  examples: [
    'npm run bench:state -- --bin ../other/bin/smets1.mjs --sync none',
    'npm run bench:state -- --sets 1,2000 --seconds 5',
  ],
});
const BIN = options.bin;
const SET_COUNTS = options.sets;
const SECONDS = options.seconds;
const MAX_ANSWERS = 2000;
/** --state-sync modes to measure (an older emulator without the option: --sync none). */
const SYNC_MODES = options.sync.split(',').filter((mode) => mode !== 'none');
const WARM_UP = 20;

interface Emulator {
  child: ChildProcess;
  port: number;
}

async function startEmulator(sets: number, state: string | undefined, sync: string | undefined): Promise<Emulator> {
  const stateArgs = state ? ['--state', state, ...(sync ? ['--state-sync', sync] : [])] : [];
  const child = spawn(
    process.execPath,
    [BIN, 'emulate', '--link', 'tcp-listen:127.0.0.1:0', '--sets', String(sets), ...stateArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /^listening: tcp-listen:127\.0\.0\.1:(\d+)$/m.exec(output);
      if (listening && /^ready$/m.test(output)) resolve(Number(listening[1]));
    });
    child.once('exit', (code) =>
      reject(new Error(`emulate exited (${code}) before it was ready:\n${output.slice(-2000)}`)),
    );
  });
  return { child, port };
}

async function measure(
  port: number,
  sets: number,
  kind: 'changes' | 'reads',
): Promise<{ rate: number; answers: number }> {
  const clock = new WallClock();
  const link = new TcpClientLink({ host: '127.0.0.1', port, clock, reconnect: false });
  const endpoint = new MessageEndpoint({
    side: 'harness',
    clock,
    localEui: HARNESS_EUI,
    transmit: (bytes) => link.write(bytes),
    dialectOf: () => 'itron',
    ackTimeout: 2000,
  });
  link.on('data', (bytes) => endpoint.receive(bytes));
  await link.open();
  const client = new BenchClient({ endpoint, clock, responseTimeout: 30_000 });
  let n = 0;
  const next = () => {
    const set = n % sets;
    const round = Math.floor(n / sets);
    n++;
    const { CH, ESME } = setEuis(set, true);
    if (kind === 'reads') return client.request(ESME, { type: 'readDeviceInfo' });
    const deviceId = '00-DB-12-34-56-78-FF-F0';
    return round % 2 === 0
      ? client.request(CH, {
          type: 'hanLogAdd',
          deviceId,
          installCode: '00112233445566778899aabbccddeeff',
          joinPeriod: 200,
        })
      : client.request(CH, { type: 'hanLogRemove', deviceId });
  };
  for (let i = 0; i < WARM_UP; i++) await next();
  const started = performance.now();
  let answers = 0;
  while (answers < MAX_ANSWERS && performance.now() - started < SECONDS * 1000) {
    const response = await next();
    if (response.status !== 'ok') throw new Error(`${kind}: status ${response.status}`);
    answers++;
  }
  const seconds = (performance.now() - started) / 1000;
  client.close();
  endpoint.close();
  await link.close();
  return { rate: answers / seconds, answers };
}

async function runCase(sets: number, withState: boolean, kind: 'changes' | 'reads', sync?: string): Promise<number> {
  const state = withState ? mkdtempSync(join(tmpdir(), 'smets1-bench-state-')) : undefined;
  const emulator = await startEmulator(sets, state, sync);
  try {
    const { rate, answers } = await measure(emulator.port, sets, kind);
    const label = withState ? `--state${sync ? ` --state-sync ${sync}` : ''}` : '';
    console.log(
      `  ${String(sets).padStart(5)} sets  ${kind.padEnd(7)}  ${label.padEnd(29)}  ${rate.toFixed(0).padStart(6)} answers/s  (${answers} answers)`,
    );
    return rate;
  } finally {
    emulator.child.kill('SIGTERM');
    await new Promise((resolve) => emulator.child.once('exit', resolve));
    if (state) rmSync(state, { recursive: true, force: true });
  }
}

console.log(
  `bench/state.ts: ${BIN}, ${SECONDS} s or ${MAX_ANSWERS} answers per case, one request at a time over TCP on 127.0.0.1`,
);
const verdicts: string[] = [];
for (const sets of SET_COUNTS) {
  for (const kind of ['changes', 'reads'] as const) {
    const without = await runCase(sets, false, kind);
    for (const sync of SYNC_MODES.length > 0 ? SYNC_MODES : [undefined]) {
      const withState = await runCase(sets, true, kind, sync);
      const ratio = withState / without;
      verdicts.push(
        `${sets} set(s), ${kind}, --state${sync ? ` --state-sync ${sync}` : ''}: ${(ratio * 100).toFixed(0)}% of the rate without --state ${ratio >= 0.5 ? '(meets the 50% target)' : '(BELOW the 50% target)'}`,
      );
    }
  }
}
console.log(verdicts.join('\n'));
