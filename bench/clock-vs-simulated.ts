/**
 * VirtualClock against XState's SimulatedClock on the same workload: N actors, each running three chained
 * `after` delays (tests/clock/chainedDelays.ts), then one 8-hour advance.
 *
 *   npm run bench:clock                # the standard sizes: about 15 s on a 2-core box
 *   npm run bench:clock -- --overflow  # also SimulatedClock at 8,000 actors: ~40 s and ~4 GB until its stack
 *                                      # overflows
 *
 * A script rather than `vitest bench`: each case runs in its own Node process, so heap and peak RSS belong to
 * that case alone and a stack overflow in SimulatedClock cannot take the other cases down with it.
 * Reported per case: actor set-up time; the advance's time; the V8 heap size just after the advance (garbage
 * included) and the heap retained after a GC; the process's peak RSS; how many delays fired and how many
 * actors reached every state at its exact time.
 * The `bare-*` rows run the same chains as plain callbacks, without XState, to isolate the scheduler's cost.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SimulatedClock } from 'xstate';
import { DEFAULT_EPOCH_MS, VirtualClock } from '../emulator/clock/virtualClock';
import { integer } from '../harness/cli/optionTable';
import { scriptArgs } from '../scripts/scriptArgs';
import {
  EIGHT_HOURS_MS,
  chainDelays,
  createChainRecorder,
  inexactActors,
  startChainActors,
  type ChainRecorder,
  type RecordingClock,
} from '../tests/clock/chainedDelays';

/** `bare-*`: VirtualClock with plain callbacks instead of actors, to show the scheduler's own cost. */
const CLOCK_KINDS = ['simulated', 'virtual-sync', 'virtual-async', 'bare-sync', 'bare-async'] as const;
type ClockKind = (typeof CLOCK_KINDS)[number];

interface CaseResult {
  kind: ClockKind;
  actors: number;
  setupMs: number;
  advanceMs: number;
  /** V8 heap size right after the advance, before a GC: how far the advance's garbage made the heap grow. */
  heapSizeMB: number;
  retainedHeapMB: number;
  peakRssMB: number;
  fired: number;
  exactActors: number;
  error?: string;
}

const MB = 1024 * 1024;

async function runCase(kind: ClockKind, actors: number): Promise<CaseResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (npm run bench:clock does)');

  let clock: RecordingClock;
  let advance: () => void | Promise<void>;
  if (kind === 'simulated') {
    const simulated = new SimulatedClock();
    simulated.set(DEFAULT_EPOCH_MS); // same start as VirtualClock, so the expected times are the same
    clock = simulated as unknown as RecordingClock; // SimulatedClock has now() at runtime; its type omits it
    advance = () => simulated.increment(EIGHT_HOURS_MS);
  } else {
    const virtual = new VirtualClock(DEFAULT_EPOCH_MS);
    clock = virtual;
    advance = kind.endsWith('-sync')
      ? () => virtual.advanceBySync(EIGHT_HOURS_MS)
      : () => virtual.advanceBy(EIGHT_HOURS_MS);
  }

  const recorder = createChainRecorder(actors);
  let started = performance.now();
  const refs = kind.startsWith('bare-')
    ? startBareChains(actors, clock, recorder)
    : startChainActors(actors, clock, recorder);
  const setupMs = performance.now() - started;
  gc();

  let error: string | undefined;
  started = performance.now();
  try {
    await advance();
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  const advanceMs = performance.now() - started;
  const heapSizeMB = process.memoryUsage().heapTotal / MB;
  gc();
  const retainedHeapMB = process.memoryUsage().heapUsed / MB;
  const result: CaseResult = {
    kind,
    actors,
    setupMs,
    advanceMs,
    heapSizeMB,
    retainedHeapMB,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    fired: recorder.count - actors, // every actor records its start once; the rest are fired delays
    exactActors: actors - inexactActors(recorder, actors, DEFAULT_EPOCH_MS).length,
    error,
  };
  if (refs.length !== actors) throw new Error('actors were not all created'); // keeps them alive until measured
  return result;
}

/** The same chains as plain timer callbacks, recording exactly as the actors' entry actions do. */
function startBareChains(count: number, clock: RecordingClock, recorder: ChainRecorder): unknown[] {
  const record = (index: number, step: number) => {
    recorder.times[index * 4 + step] = clock.now();
    recorder.count++;
  };
  for (let index = 0; index < count; index++) {
    const [d1, d2, d3] = chainDelays(index);
    record(index, 0);
    clock.setTimeout(() => {
      record(index, 1);
      clock.setTimeout(() => {
        record(index, 2);
        clock.setTimeout(() => record(index, 3), d3);
      }, d2);
    }, d1);
  }
  return new Array(count);
}

function runInChild(kind: ClockKind, actors: number): CaseResult {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--case', kind, String(actors)],
    { encoding: 'utf8', maxBuffer: 16 * MB },
  );
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    const tail = (child.stderr || child.stdout).trim().split('\n').slice(-3).join(' | ');
    return {
      kind,
      actors,
      setupMs: NaN,
      advanceMs: NaN,
      heapSizeMB: NaN,
      retainedHeapMB: NaN,
      peakRssMB: NaN,
      fired: 0,
      exactActors: 0,
      error: tail,
    };
  }
  return JSON.parse(line) as CaseResult;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

function printTable(results: CaseResult[]): void {
  const header = [
    'clock',
    'actors',
    'set-up ms',
    'advance ms',
    'heap size MB',
    'retained heap MB',
    'peak RSS MB',
    'delays fired',
    'exact actors',
  ];
  const rows = results.map((r) => [
    r.kind,
    r.actors.toLocaleString('en-GB'),
    fmt(r.setupMs),
    fmt(r.advanceMs),
    fmt(r.heapSizeMB),
    fmt(r.retainedHeapMB),
    fmt(r.peakRssMB),
    `${r.fired.toLocaleString('en-GB')} / ${(3 * r.actors).toLocaleString('en-GB')}`,
    `${r.exactActors.toLocaleString('en-GB')} / ${r.actors.toLocaleString('en-GB')}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  for (const r of results) if (r.error) console.log(`  ${r.kind} × ${r.actors}: ${r.error}`);
}

function printRatios(results: CaseResult[]): void {
  const find = (kind: ClockKind, actors: number) =>
    results.find((r) => r.kind === kind && r.actors === actors && !r.error);
  const sim = find('simulated', 2_000);
  for (const kind of ['virtual-sync', 'virtual-async'] as const) {
    const ours = find(kind, 2_000);
    if (!sim || !ours) continue;
    console.log(
      `2,000 actors, simulated / ${kind}: advance ${fmt(sim.advanceMs / ours.advanceMs, 1)}× slower, ` +
        `peak RSS ${fmt(sim.peakRssMB / ours.peakRssMB, 1)}×; exact actors ${sim.exactActors} vs ${ours.exactActors}`,
    );
  }
  for (const kind of ['bare-sync', 'bare-async'] as const) {
    const bare = results.find((r) => r.kind === kind && !r.error);
    if (bare)
      console.log(`scheduler alone (${kind}): ${fmt((bare.advanceMs * 1000) / bare.fired, 2)} µs per timer fired`);
  }
}

async function main(): Promise<void> {
  const { options, argument, usageError } = scriptArgs<
    { overflow: boolean | undefined; case: ClockKind | undefined },
    number
  >({
    script: 'bench:clock',
    summary: "VirtualClock against XState's SimulatedClock: N actors x three chained after delays, one 8-hour advance",
    options: {
      overflow: {
        flags: '--overflow',
        description: 'also SimulatedClock at 8,000 actors: ~40 s and ~4 GB until its stack overflows',
      },
      case: {
        flags: '--case <kind>',
        description: 'one case, of [actors] actors: its JSON figures',
        choices: CLOCK_KINDS,
      },
    },
    argument: { name: '[actors]', description: 'with --case: how many actors', parse: integer(1, 10_000_000) },
    examples: ['npm run bench:clock -- --overflow'],
  });
  if (options.case !== undefined) {
    if (argument === undefined) return usageError('--case needs its actor count after the kind: --case simulated 500');
    console.log(JSON.stringify(await runCase(options.case, argument)));
    return;
  }
  if (argument !== undefined) usageError(`unexpected argument ${argument}: an actor count goes with --case only`);
  const cases: [ClockKind, number][] = [
    ['simulated', 500],
    ['simulated', 2_000],
    ['virtual-sync', 2_000],
    ['virtual-async', 2_000],
    ['virtual-sync', 50_000],
    ['virtual-async', 50_000],
    ['bare-sync', 50_000],
    ['bare-async', 50_000],
  ];
  if (options.overflow) cases.push(['simulated', 8_000]);
  console.log(
    `${process.version}, xstate SimulatedClock vs VirtualClock, N actors × 3 chained after delays, one 8 h advance\n`,
  );
  const results: CaseResult[] = [];
  for (const [kind, actors] of cases) {
    if (process.stderr.isTTY) process.stderr.write(`running ${kind} × ${actors} ...\x1b[K\r`);
    results.push(runInChild(kind, actors));
  }
  printTable(results);
  console.log();
  printRatios(results);
}

await main();
