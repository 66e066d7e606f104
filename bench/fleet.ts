/**
 * The fleet simulator at the issue's volumes: one simulated day of N migrations, each a real one (docs/fleet.md),
 * `smets1 simulate --days 1 --volume N --seed 7` in a process of its own, timed; then the same 2,000-migration day
 * with the devices on XState's SimulatedClock instead of our VirtualClock, for the ratio.
 *
 *   npm run bench:fleet                                     # 1,000, 10,000, 50,000, 200,000, then the clock ratio
 *   npm run bench:fleet -- --sizes 1000,10000               # only those rows
 *   npm run bench:fleet -- --sizes 200 --ratio-size 200     # a quick look (the ratio on 200 a day)
 *   npm run bench:fleet -- --ratio-size 0 --threads 2       # no ratio row; the simulator's --threads
 *
 * Per row: wall time, migrations/s, the process's CPU seconds (every thread) and peak RSS, and the load average
 * before and after (the figures mean little on a box other work shares). A row whose run did not start every
 * migration it was asked for is an error, so a broken path cannot produce a fast figure. The targets (issue 19):
 * 50,000 in ≤ 120 s on 2 cores with ≤ 2 GB peak RSS; 200,000 in ≤ 4.5 × the 50,000 time. A script rather than a
 * timed test: the box's load decides the figures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptArgs } from '../scripts/scriptArgs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNNER = fileURLToPath(new URL('./fleetRun.ts', import.meta.url));
const SEED = '7';

interface Row {
  readonly migrations: number;
  readonly wallS: number;
  readonly cpuS: number;
  readonly peakRssMiB: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
  /** fleet.json as written: the outcomes, to compare two clocks' runs. */
  readonly fleetJson: string;
}

const { option, wholeNumber: count } = scriptArgs('bench:fleet');

/** `smets1 simulate` for one day of `volume` in a child (bench/fleetRun.ts); its figures. */
function runDay(volume: number, extra: readonly string[]): Promise<Row> {
  const out = mkdtempSync(join(tmpdir(), 'smets1-bench-fleet-'));
  const args = [
    '--import',
    'tsx',
    RUNNER,
    'simulate',
    '--days',
    '1',
    '--volume',
    String(volume),
    '--seed',
    SEED,
    '--out',
    out,
    ...extra,
  ];
  const loadBefore = loadavg()[0];
  const started = performance.now();
  return new Promise<Row>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      // only the tail is kept: an error message, then the usage line
      stderr = (stderr + chunk.toString()).slice(-8192);
    });
    child.on('error', (error) => reject(new Error(`cannot start ${process.execPath}: ${error.message}`)));
    child.on('exit', (code) => {
      const wallS = (performance.now() - started) / 1000;
      try {
        const usageLine = stderr.split('\n').find((line) => line.startsWith('fleet-bench-usage '));
        if (code !== 0 || usageLine === undefined)
          throw new Error(
            `smets1 simulate --volume ${volume} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`,
          );
        const usage = JSON.parse(usageLine.slice('fleet-bench-usage '.length)) as {
          maxRssKiB: number;
          cpuSeconds: number;
        };
        const fleetJson = readFileSync(join(out, 'fleet.json'), 'utf8');
        const started = (JSON.parse(fleetJson) as { totals: { started: number } }).totals.started;
        if (started !== volume)
          throw new Error(`smets1 simulate --volume ${volume} started ${started} migrations, not ${volume}`);
        resolve({
          migrations: volume,
          wallS,
          cpuS: usage.cpuSeconds,
          peakRssMiB: usage.maxRssKiB / 1024,
          loadBefore,
          loadAfter: loadavg()[0],
          fleetJson,
        });
      } catch (error) {
        reject(error as Error);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
}

function line(label: string, row: Row): string {
  return (
    `${label.padEnd(28)} ${row.wallS.toFixed(1).padStart(9)} s  ${(row.migrations / row.wallS).toFixed(2).padStart(8)}/s  ` +
    `CPU ${row.cpuS.toFixed(1).padStart(9)} s  peak RSS ${row.peakRssMiB.toFixed(0).padStart(6)} MiB  load ${row.loadBefore.toFixed(2)} → ${row.loadAfter.toFixed(2)}`
  );
}

async function benchmark(): Promise<void> {
  const sizes = (option('sizes') ?? '1000,10000,50000,200000')
    .split(',')
    .map((s) => count(s.trim(), '--sizes entry', 1));
  const ratioSize = count(option('ratio-size') ?? '2000', '--ratio-size', 0);
  const threads = option('threads');
  const extra = threads === undefined ? [] : ['--threads', String(count(threads, '--threads', 1))];
  console.log(
    `${process.version}, smets1 simulate --days 1 --volume N --seed ${SEED}${extra.length > 0 ? ` ${extra.join(' ')}` : ''}: one day of N real migrations; ${
      loadavg().length > 0
        ? `load ${loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')}`
        : ''
    }\n`,
  );
  const rows = new Map<number, Row>();
  for (const size of sizes) {
    const row = await runDay(size, extra);
    rows.set(size, row);
    console.log(line(`${size.toLocaleString('en-GB')} a day`, row));
  }
  const at50k = rows.get(50_000);
  const at200k = rows.get(200_000);
  if (at50k !== undefined) {
    console.log(
      `\ntarget 50,000 in ≤ 120 s with ≤ 2 GB peak RSS: ${at50k.wallS.toFixed(1)} s (${(at50k.wallS / 120).toFixed(2)} × the target), ${at50k.peakRssMiB.toFixed(0)} MiB`,
    );
    if (at200k !== undefined)
      console.log(`target 200,000 in ≤ 4.5 × the 50,000 time: ${(at200k.wallS / at50k.wallS).toFixed(2)} ×`);
  }
  if (ratioSize > 0) {
    console.log(`\nthe same ${ratioSize.toLocaleString('en-GB')}-migration day, the devices on each clock:`);
    const ours = await runDay(ratioSize, [...extra, '--device-clock', 'virtual']);
    console.log(line('VirtualClock (ours)', ours));
    const xstate = await runDay(ratioSize, [...extra, '--device-clock', 'xstate-simulated']);
    console.log(line("XState's SimulatedClock", xstate));
    const rate = (row: Row) => row.migrations / row.wallS;
    const cpuRate = (row: Row) => row.migrations / row.cpuS;
    console.log(
      `ratio VirtualClock / SimulatedClock: ${(rate(ours) / rate(xstate)).toFixed(2)} × by wall time, ${(cpuRate(ours) / cpuRate(xstate)).toFixed(2)} × by CPU time; ` +
        `outcomes ${ours.fleetJson === xstate.fleetJson ? 'identical (fleet.json byte for byte)' : 'DIFFERENT (fleet.json differs)'}`,
    );
  }
}

benchmark().catch((error: unknown) => {
  process.stderr.write(`bench:fleet: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
