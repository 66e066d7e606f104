/**
 * The fleet simulator at the issue's volumes: one simulated day of N migrations, each a real one (docs/fleet.md),
 * `smets1 simulate --days 1 --volume N --seed 7` in a process of its own, timed; then the same 2,000-migration day
 * with the devices on XState's SimulatedClock instead of our VirtualClock, for the ratio.
 *
 *   npm run bench:fleet                                     # 1,000, 10,000, 50,000, 200,000, then the clock ratio
 *   npm run bench:fleet -- --volumes 1000,10000             # only those rows (the others: "not run")
 *   npm run bench:fleet -- --volumes 200 --ratio-size 200   # a quick look (the ratio on 200 a day)
 *   npm run bench:fleet -- --ratio-size 0 --threads 2       # no ratio row; the simulator's --threads
 *
 * Per row: wall time, migrations/s, the process's CPU seconds (every thread), the cores it kept busy (CPU over wall:
 * about 2 on an idle 2-core box when the worker threads never wait), peak RSS, the installations the day started, and
 * the load average before and after (the figures mean little on a box other work shares). A row's run
 * must migrate every one of its N installations (the simulator's own count), so a broken path cannot produce a fast
 * figure; the day starts fewer when the calibration's migration control capacity cannot start them all in working
 * hours (about 90,000 with the shipped 20,000 in flight), and the row says so. Nothing is estimated: a row not run,
 * and a target whose rows were not run, is printed as not run. The targets (issue 19): 50,000 in ≤ 120 s on 2 cores
 * with ≤ 2 GB peak RSS; 200,000 in ≤ 4.5 × the 50,000 time. A script rather than a timed test: the box's load decides
 * the figures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { integer } from '../harness/cli/optionTable';
import { integerList, scriptArgs } from '../scripts/scriptArgs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNNER = fileURLToPath(new URL('./fleetRun.ts', import.meta.url));
const SEED = '7';

/** The issue's rows, always listed; `--volumes` picks which run. */
const ISSUE_VOLUMES = [1_000, 10_000, 50_000, 200_000];

interface Row {
  readonly migrations: number;
  /** Installations the day started (fleet.json totals.started): at most `migrations`. */
  readonly started: number;
  readonly wallS: number;
  readonly cpuS: number;
  readonly peakRssMiB: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
  /** fleet.json as written: the outcomes, to compare two clocks' runs. */
  readonly fleetJson: string;
}

const { options } = scriptArgs<{ volumes: number[]; ratioSize: number; threads: number | undefined }>({
  script: 'bench:fleet',
  summary: 'one simulated day of N real migrations per row (smets1 simulate), timed; then the clock ratio',
  options: {
    volumes: {
      flags: '--volumes <list>',
      description: 'the rows to run, migrations a day, comma-separated (the others: "not run")',
      parse: integerList(1, 10_000_000),
      default: ISSUE_VOLUMES,
      defaultDescription: ISSUE_VOLUMES.join(','),
    },
    ratioSize: {
      flags: '--ratio-size <n>',
      description: "the day's migrations for the VirtualClock/SimulatedClock ratio; 0: no ratio row",
      parse: integer(0, 10_000_000),
      default: 2000,
    },
    threads: { flags: '--threads <n>', description: "the simulator's --threads", parse: integer(1, 256) },
  },
  examples: [
    'npm run bench:fleet -- --volumes 1000,10000',
    'npm run bench:fleet -- --volumes 200 --ratio-size 200',
    'npm run bench:fleet -- --ratio-size 0 --threads 2',
  ],
});

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
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let summary = '';
    child.stdout.on('data', (chunk: Buffer) => {
      // only the tail is kept: the run's summary is its last lines
      summary = (summary + chunk.toString()).slice(-8192);
    });
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
        // the run's summary line: `1 of 1 day(s): … · N migration(s) in …` (harness/cli/simulate.ts)
        const migrated = /^1 of 1 day\(s\):.* · (\d+) migration\(s\) in /m.exec(summary)?.[1];
        if (migrated === undefined || Number(migrated) !== volume)
          throw new Error(
            `smets1 simulate --volume ${volume} migrated ${migrated ?? 'an unknown number of'} installations, not ${volume}`,
          );
        const fleetJson = readFileSync(join(out, 'fleet.json'), 'utf8');
        const started = (JSON.parse(fleetJson) as { totals: { started: number } }).totals.started;
        if (!(started > 0 && started <= volume))
          throw new Error(`smets1 simulate --volume ${volume} started ${started} installations`);
        resolve({
          migrations: volume,
          started,
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

const TABLE_HEAD =
  '| run | wall | migrations/s | CPU (all threads) | CPU ms/migration | cores busy (CPU / wall) | peak RSS | started | load before → after |\n|---|---|---|---|---|---|---|---|---|';

function line(label: string, row: Row | undefined): string {
  if (row === undefined) return `| ${label} | not run | | | | | | | |`;
  const started =
    row.started === row.migrations
      ? row.started.toLocaleString('en-GB')
      : `${row.started.toLocaleString('en-GB')} (migration control capacity; all ${row.migrations.toLocaleString('en-GB')} migrated)`;
  return (
    `| ${label} | ${row.wallS.toFixed(1)} s | ${(row.migrations / row.wallS).toFixed(2)} | ${row.cpuS.toFixed(1)} s | ` +
    `${((row.cpuS * 1000) / row.migrations).toFixed(1)} | ${(row.cpuS / row.wallS).toFixed(2)} | ${row.peakRssMiB.toFixed(0)} MiB | ${started} | ` +
    `${row.loadBefore.toFixed(2)} → ${row.loadAfter.toFixed(2)} |`
  );
}

const dayLabel = (volume: number) => `${volume.toLocaleString('en-GB')} a day`;

async function benchmark(): Promise<void> {
  const { volumes, ratioSize, threads } = options;
  const extra = threads === undefined ? [] : ['--threads', String(threads)];
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
  for (const volume of volumes) {
    const row = await runDay(volume, extra);
    rows.set(volume, row);
    process.stderr.write(`${dayLabel(volume)}: ${row.wallS.toFixed(1)} s\n`);
  }
  console.log(TABLE_HEAD);
  for (const volume of [...ISSUE_VOLUMES, ...[...rows.keys()].filter((v) => !ISSUE_VOLUMES.includes(v))])
    console.log(line(dayLabel(volume), rows.get(volume)));
  const at50k = rows.get(50_000);
  const at200k = rows.get(200_000);
  console.log(
    `\ntarget 50,000 in ≤ 120 s with ≤ 2 GB peak RSS: ${
      at50k === undefined
        ? 'not run'
        : `${at50k.wallS.toFixed(1)} s (${(at50k.wallS / 120).toFixed(2)} × the target), ${at50k.peakRssMiB.toFixed(0)} MiB`
    }`,
  );
  console.log(
    `target 200,000 in ≤ 4.5 × the 50,000 time: ${
      at50k === undefined || at200k === undefined
        ? `not run (${[at50k === undefined ? '50,000' : '', at200k === undefined ? '200,000' : ''].filter(Boolean).join(' and ')} not run)`
        : `${(at200k.wallS / at50k.wallS).toFixed(2)} ×`
    }`,
  );
  if (ratioSize > 0) {
    console.log(`\nthe same ${ratioSize.toLocaleString('en-GB')}-migration day, the devices on each clock:`);
    const ours = await runDay(ratioSize, [...extra, '--device-clock', 'virtual']);
    const xstate = await runDay(ratioSize, [...extra, '--device-clock', 'xstate-simulated']);
    console.log(TABLE_HEAD);
    console.log(line('VirtualClock (ours)', ours));
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
