/**
 * The DUIS path at fleet speed: whole migrations (docs/migration.md: DuisBench.start + migrate, every request
 * admitted by the gateway, checked by the DSP, carried by the S1SP over the codec and link layer to the devices) in
 * one process, on one event loop.
 *
 *   npm run bench:migration                        # 3 migrations of each kind, sequential, then 8 in flight
 *   npm run bench:migration -- --n 10 --in-flight 16
 *   npm run bench:migration -- --validation every-request   # only those rows (see below)
 *   npm run bench:migration -- --n 20 --in-flight 12 --threads 2   # and the in-flight row on 2 worker threads
 *   npm run bench:migration -- --n 20 --in-flight 12 --validation trust-built --read-responses
 *   npm run bench:migration -- --help
 *
 * Kinds: Itron and Elster, dormant and active; an Itron active installation whose gas meter is out of reach at the
 * HAN pre-check (GT01: electricity only); an Itron dormant one whose swap fails half-way (the GSME drops off the HAN
 * for its first slot: rollback, and the retry a day later migrates). Each migration is a new bench of its own
 * (seed = 1 + its round), closed afterwards, on the process's one PKI (pkiSeed 1: a fleet run has one too); every
 * outcome is checked against the kind's expected outcome, so a broken path cannot produce a fast figure.
 *
 * Rows: sequential (one migration at a time) and K in flight (K benches interleaved on the event loop), each with
 * the gateway's default validation (`trust-built`: the orchestrator's requests, built from the DCC's templates in
 * shapes a test proves valid, skip libxml2) and with validation forced on every request (`every-request`: each goes
 * through libxml2; requests of benches in flight share runs). The ratio of the two is printed. Peak RSS is the
 * process's maximum so far. "CPU ms/migration" is the process's CPU time (process.cpuUsage: user + system, the
 * validator's thread included) over the row, per migration: on a box shared with other work it moves far less than
 * the wall figures, so before/after comparisons on a loaded machine use it.
 *
 * `--threads N` adds, per validation, the K-in-flight row run on N worker threads (migrationThread.ts): the row's
 * jobs dealt out by index so each thread gets every kind (migrationWorkload.ts Share), each thread K in flight on its
 * own event loop, all started together once every thread has warmed up on its own share (a warm-up not counted, as
 * the single-loop rows are warm from the rows before them). Its migrations/s is over all threads (the wall time from
 * the go to the last thread's end), its CPU ms/migration the whole process's CPU (every thread) over the row: the
 * figures the "400 migrations/s on 2 cores" target is about. A line after the table gives each thread's own time.
 *
 * V8's allocation-site pretenuring is switched off before anything runs, as the fleet's migration pool does
 * (harness/fleet/pretenuring.ts: a migration's sites that make both lasting and short-lived objects get tenured, and
 * the dead old objects keep young ones alive through every scavenge); a line says so. `--pretenuring` keeps V8's
 * default, to compare. The library never sets it: V8's flags are the process's, a script's to choose
 * (docs/migration.md).
 *
 * `--read-responses` reads the text of every DUIS document of each migration once it is done (each request, every
 * response and alert the S1SP sent), as `smets1 run` does when it writes them under reports/duis/: a text written
 * only when first read (a signed response) is paid for in the row. Without it nothing reads them, as in the fleet.
 * The rows' figures then include that cost, and a line says how many documents and characters were read.
 */
import { Worker } from 'node:worker_threads';
import { duisValidator } from '../harness/bench/duisBench';
import { integer } from '../harness/cli/optionTable';
import { withoutPretenuring } from '../harness/fleet/pretenuring';
import { scriptArgs } from '../scripts/scriptArgs';
import { KINDS, workload, type RowMode, type RowTally, type Validation } from './migrationWorkload';
import type { ThreadJob, ThreadReport } from './migrationThread';

const THREAD_FILE = new URL('./migrationThread.mjs', import.meta.url);

const { options } = scriptArgs<{
  n: number;
  inFlight: number;
  validation: 'both' | Validation;
  threads: number | undefined;
  readResponses: boolean | undefined;
  pretenuring: boolean | undefined;
}>({
  script: 'bench:migration',
  summary: 'whole migrations over the DUIS path, timed (bench/migration.ts)',
  options: {
    n: {
      flags: '--n <n>',
      description: `migrations of each of the ${KINDS.length} kinds a row`,
      parse: integer(1, 100_000),
      default: 3,
    },
    inFlight: {
      flags: '--in-flight <k>',
      description: "the second row's migrations at once on one event loop",
      parse: integer(1, 10_000),
      default: 8,
    },
    validation: {
      flags: '--validation <mode>',
      description: "the gateway's schema checks: trust-built, every-request or both",
      choices: ['both', 'trust-built', 'every-request'],
      default: 'both',
    },
    threads: {
      flags: '--threads <n>',
      description: "also the K-in-flight row on N worker threads (CPU ms: every thread's)",
      parse: integer(1, 256),
    },
    pretenuring: {
      flags: '--pretenuring',
      description:
        "keep V8's allocation-site pretenuring (its default), for comparison; without it the bench runs as the fleet's pool does, with it off",
    },
    readResponses: {
      flags: '--read-responses',
      description:
        "read every DUIS document's text after each migration (requests, responses, alerts), as smets1 run does writing reports/duis/; without it none is read, as in the fleet",
    },
  },
  examples: [
    'npm run bench:migration -- --n 10 --in-flight 16',
    'npm run bench:migration -- --validation every-request',
    'npm run bench:migration -- --n 20 --in-flight 12 --threads 2',
    'npm run bench:migration -- --n 20 --in-flight 12 --validation trust-built --read-responses',
    'npm run bench:migration -- --n 40 --in-flight 12 --validation trust-built --pretenuring',
  ],
});

/** Each threaded row's threads and how long each took, printed after the table. */
const spans: string[] = [];

/** The row's jobs on `threads` worker threads, K in flight each, timed from the go once all have warmed up. */
async function threadedWorkload(n: number, inFlight: number, mode: RowMode, threads: number): Promise<RowTally> {
  const workers = Array.from(
    { length: threads },
    (_, index) =>
      new Worker(THREAD_FILE, {
        workerData: { n, inFlight, mode, share: { index, count: threads } } satisfies ThreadJob,
      }),
  );
  // each thread's reports in order: ready, then its tally
  const reports = workers.map((worker, t) => {
    const queue: ThreadReport[] = [];
    const waiting: ((report: ThreadReport) => void)[] = [];
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure = error;
      for (const wake of waiting.splice(0)) wake({ failed: error.message });
    };
    worker.on('message', (report: ThreadReport) => {
      const wake = waiting.shift();
      if (wake) wake(report);
      else queue.push(report);
    });
    worker.on('error', (error) => fail(new Error(`thread ${t + 1} failed: ${error.message}`)));
    worker.on('exit', (code) => fail(new Error(`thread ${t + 1} exited (code ${code}) before its tally`)));
    return async (): Promise<ThreadReport> => {
      const report =
        queue.shift() ??
        (failure ? { failed: failure.message } : await new Promise<ThreadReport>((wake) => waiting.push(wake)));
      if ('failed' in report) throw new Error(`thread ${t + 1}: ${report.failed}`);
      return report;
    };
  });
  try {
    await Promise.all(reports.map((next) => next()));
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    for (const worker of workers) worker.postMessage('go');
    const tallies = (await Promise.all(reports.map((next) => next()))) as { tally: RowTally }[];
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpuBefore);
    // each thread's own wall time: the row lasts as long as the slowest, so an uneven deal shows here
    spans.push(
      `${inFlight} × ${threads} threads: ${tallies.map(({ tally }, t) => `thread ${t + 1} ${tally.migrations} migrations in ${(tally.ms / 1000).toFixed(2)} s`).join(', ')}`,
    );
    const sum = (field: 'migrations' | 'requests' | 'frames' | 'texts' | 'textChars') =>
      tallies.reduce((a, { tally }) => a + tally[field], 0);
    return {
      migrations: sum('migrations'),
      requests: sum('requests'),
      frames: sum('frames'),
      texts: sum('texts'),
      textChars: sum('textChars'),
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  } finally {
    for (const worker of workers) worker.removeAllListeners('exit');
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

async function main(): Promise<void> {
  const { n, inFlight, validation: only } = options;
  const threads = options.threads ?? 0;
  const modes: Validation[] = only === 'both' ? ['trust-built', 'every-request'] : [only];
  const readResponses = options.readResponses === true;
  // before the warm-up and the worker threads, so every scavenge of the run and every thread has it
  if (options.pretenuring !== true) withoutPretenuring();
  console.log(
    options.pretenuring === true
      ? "V8's allocation-site pretenuring on (V8's default: --pretenuring)"
      : "V8's allocation-site pretenuring off, as the fleet runs (harness/fleet/pretenuring.ts; --pretenuring keeps it)",
  );
  // warm-up: module loading, the validator's thread, JIT; not counted
  await workload(1, 1, { validation: 'every-request', readResponses });
  console.log(`${n} migration(s) of each of ${KINDS.length} kinds (${KINDS.map((k) => k.name).join(', ')})`);
  if (readResponses)
    console.log('--read-responses: every DUIS document of each migration read as text (what smets1 run writes)');
  console.log(
    '| validation | in flight | migrations | wall s | migrations/s | ms/migration | CPU ms/migration | DUIS requests/s | device frames/s | peak RSS MiB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const rates: Record<string, number> = {};
  const texts: string[] = [];
  const row = (mode: Validation, label: string, r: RowTally) => {
    const s = r.ms / 1000;
    rates[`${mode} ${label}`] = r.migrations / s;
    const rssMiB = process.resourceUsage().maxRSS / 1024;
    console.log(
      `| ${mode} | ${label} | ${r.migrations} | ${s.toFixed(2)} | ${(r.migrations / s).toFixed(2)} | ${(r.ms / r.migrations).toFixed(0)} | ${(r.cpuMs / r.migrations).toFixed(1)} | ${(r.requests / s).toFixed(1)} | ${(r.frames / s).toFixed(1)} | ${rssMiB.toFixed(0)} |`,
    );
    if (readResponses) texts.push(`${mode} ${label}: ${r.texts} documents, ${r.textChars} characters read`);
  };
  for (const mode of modes) {
    for (const k of [1, inFlight]) row(mode, String(k), await workload(n, k, { validation: mode, readResponses }));
    if (threads > 0)
      row(
        mode,
        `${inFlight} × ${threads} threads`,
        await threadedWorkload(n, inFlight, { validation: mode, readResponses }, threads),
      );
  }
  for (const line of [...spans, ...texts]) console.log(line);
  if (modes.length === 2) {
    for (const k of [1, inFlight]) {
      console.log(
        `trust-built / every-request, ${k} in flight: ${(rates[`trust-built ${k}`] / rates[`every-request ${k}`]).toFixed(2)}x migrations/s`,
      );
    }
  }
  // the validator's thread is shared by every bench of the process (the gateways' and duisValidator())
  await duisValidator().close();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:migration: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
