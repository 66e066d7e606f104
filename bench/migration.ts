/**
 * The DUIS path at fleet speed: whole migrations (docs/migration.md: DuisBench.start + migrate, every request
 * admitted by the gateway, checked by the DSP, carried by the S1SP over the codec and link layer to the devices) in
 * one process, on one event loop.
 *
 *   npm run bench:migration                        # 3 migrations of each kind, sequential, then 8 in flight
 *   npm run bench:migration -- --n 10 --in-flight 16
 *   npm run bench:migration -- --validation every-request   # only those rows (see below)
 *
 * Kinds: Itron and Elster, dormant and active; an Itron active installation whose gas meter is out of reach at the
 * HAN pre-check (GT01: electricity only); an Itron dormant one whose swap fails half-way (the GSME drops off the HAN
 * for its first slot: rollback, and the retry a day later migrates). Each migration is a new bench of its own
 * (seed = its index), closed afterwards; every outcome is checked against the kind's expected outcome, so a broken
 * path cannot produce a fast figure.
 *
 * Rows: sequential (one migration at a time) and K in flight (K benches interleaved on the event loop), each with
 * the gateway's default validation (`trust-built`: the orchestrator's requests, built from the DCC's templates in
 * shapes a test proves valid, skip libxml2) and with validation forced on every request (`every-request`: each goes
 * through libxml2; requests of benches in flight share runs). The ratio of the two is printed. Peak RSS is the
 * process's maximum so far. "CPU ms/migration" is the process's CPU time (process.cpuUsage: user + system, the
 * validator's thread included) over the row, per migration: on a box shared with other work it moves far less than
 * the wall figures, so before/after comparisons on a loaded machine use it.
 */
import { DuisBench, duisValidator } from '../harness/bench/duisBench';
import { RTDS_DEVICES } from '../harness/dsp/registrationData';
import { benchInstallation, migrationRegistrationData, type InstallationKind } from '../harness/migration/installation';
import { migrate, type MigrateOptions, type MigrationOutcome } from '../harness/migration/orchestrator';
import { dccParties, migrationParties } from '../harness/migration/parties';
import { scriptArgs } from '../scripts/scriptArgs';

type Validation = 'trust-built' | 'every-request';

interface Kind {
  readonly name: string;
  readonly vendor: 'itron' | 'elster';
  readonly installation: InstallationKind;
  readonly outcome: MigrationOutcome;
  /** Faults put on the bench before the migration starts. */
  readonly before?: (bench: DuisBench) => Promise<unknown>;
  readonly beforeStep?: MigrateOptions['beforeStep'];
}

const gasReach = (bench: DuisBench, lost: boolean) =>
  bench.command(RTDS_DEVICES.gsme, { type: 'injectFault', fault: 'hanFailureRate', value: lost ? 1 : 0 });

const KINDS: readonly Kind[] = [
  { name: 'itron dormant', vendor: 'itron', installation: 'dormant', outcome: 'migrated' },
  { name: 'itron active', vendor: 'itron', installation: 'active', outcome: 'migrated' },
  { name: 'elster dormant', vendor: 'elster', installation: 'dormant', outcome: 'migrated' },
  { name: 'elster active', vendor: 'elster', installation: 'active', outcome: 'migrated' },
  {
    name: 'itron active GT01',
    vendor: 'itron',
    installation: 'active',
    outcome: 'migrated-electricity-only',
    before: (bench) => gasReach(bench, true),
  },
  {
    name: 'itron dormant rollback',
    vendor: 'itron',
    installation: 'dormant',
    outcome: 'migrated',
    beforeStep: async (hook) => {
      if (hook.attempt === 1 && hook.name === 'credentialSwap' && hook.device === RTDS_DEVICES.gsme && hook.role === 2)
        await gasReach(hook.bench, true);
      if (hook.name === 'rollback') await gasReach(hook.bench, false);
    },
  },
];

interface Tally {
  migrations: number;
  requests: number;
  frames: number;
}

async function oneMigration(kind: Kind, seed: number, validation: Validation, tally: Tally): Promise<void> {
  const installation = benchInstallation({ vendor: kind.vendor, kind: kind.installation });
  const parties = migrationParties(seed);
  const bench = await DuisBench.start({
    vendor: kind.vendor,
    seed,
    migrationState: 'smso',
    registration: migrationRegistrationData(installation),
    keyParties: dccParties(seed, undefined, parties),
    s1sp: { fixes: new Set(['response-code-always']) },
    validation,
  });
  try {
    await kind.before?.(bench);
    const result = await migrate(bench, {
      installation,
      seed,
      parties,
      ...(kind.beforeStep === undefined ? {} : { beforeStep: kind.beforeStep }),
    });
    if (result.outcome !== kind.outcome)
      throw new Error(
        `${kind.name} (seed ${seed}) ended ${result.outcome}, not ${kind.outcome}: ${result.failures.join('; ')}`,
      );
    tally.migrations += 1;
    for (const step of result.steps) {
      tally.requests += step.duis.length;
      tally.frames += step.frames.length;
    }
  } finally {
    await bench.close();
  }
}

/** Every kind n times, interleaved so each in-flight group mixes kinds; at most `inFlight` at once. */
async function workload(
  n: number,
  inFlight: number,
  validation: Validation,
): Promise<Tally & { ms: number; cpuMs: number }> {
  const jobs = Array.from({ length: n * KINDS.length }, (_, i) => ({
    kind: KINDS[i % KINDS.length],
    seed: 1 + Math.floor(i / KINDS.length),
  }));
  const tally: Tally = { migrations: 0, requests: 0, frames: 0 };
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, jobs.length) }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        await oneMigration(job.kind, job.seed, validation, tally);
      }
    }),
  );
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { ...tally, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const args = scriptArgs('bench:migration');

async function main(): Promise<void> {
  const n = args.whole('n', 3, 1);
  const inFlight = args.whole('in-flight', 8, 1);
  const only = args.option('validation') ?? 'both';
  if (!['both', 'trust-built', 'every-request'].includes(only)) {
    args.usageError(`--validation is trust-built, every-request or both, not ${JSON.stringify(only)}`);
  }
  const modes: Validation[] = only === 'both' ? ['trust-built', 'every-request'] : [only as Validation];
  // warm-up: module loading, the validator's thread, JIT; not counted
  await workload(1, 1, 'every-request');
  console.log(`${n} migration(s) of each of ${KINDS.length} kinds (${KINDS.map((k) => k.name).join(', ')})`);
  console.log(
    '| validation | in flight | migrations | wall s | migrations/s | ms/migration | CPU ms/migration | DUIS requests/s | device frames/s | peak RSS MiB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const rates: Record<string, number> = {};
  for (const mode of modes) {
    for (const k of [1, inFlight]) {
      const r = await workload(n, k, mode);
      const s = r.ms / 1000;
      rates[`${mode} ${k}`] = r.migrations / s;
      const rssMiB = process.resourceUsage().maxRSS / 1024;
      console.log(
        `| ${mode} | ${k} | ${r.migrations} | ${s.toFixed(2)} | ${(r.migrations / s).toFixed(2)} | ${(r.ms / r.migrations).toFixed(0)} | ${(r.cpuMs / r.migrations).toFixed(0)} | ${(r.requests / s).toFixed(1)} | ${(r.frames / s).toFixed(1)} | ${rssMiB.toFixed(0)} |`,
      );
    }
  }
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
