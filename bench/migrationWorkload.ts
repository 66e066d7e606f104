/**
 * The workload of bench/migration.ts, in one place for the main thread and its worker threads (migrationThread.ts):
 * the six kinds of migration, one migration on a bench of its own with its outcome checked, and a row's share of the
 * jobs run K in flight.
 */
import { DuisBench, duisValidator } from '../harness/bench/duisBench';
import { RTDS_DEVICES } from '../harness/dsp/registrationData';
import { benchInstallation, migrationRegistrationData, type InstallationKind } from '../harness/migration/installation';
import {
  migrate,
  type MigrateOptions,
  type MigrationOutcome,
  type MigrationResult,
} from '../harness/migration/orchestrator';
import type { DuisOutput } from '../harness/s1sp/adapter';
import { dccParties } from '../harness/migration/parties';

export type Validation = 'trust-built' | 'every-request';

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

export const KINDS: readonly Kind[] = [
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
  /** DUIS documents whose text was read (`--read-responses`), and their characters. */
  texts: number;
  textChars: number;
}

/**
 * Reads the text of every DUIS document of the migration, as `smets1 run` does when it writes them under
 * reports/duis/ (harness/run/executor.ts): each request, every response and alert the S1SP sent. A document whose
 * text is written when first read (signed responses) pays for it here, once: what a run that keeps its documents pays
 * and the fleet, which reads none of them, does not.
 */
function readEveryText(result: MigrationResult, bench: DuisBench, tally: Tally): void {
  const outputs = new Set<DuisOutput>(bench.alerts);
  for (const step of result.steps) {
    for (const exchange of step.duis) {
      tally.texts += 1;
      tally.textChars += exchange.request.length;
      for (const output of [...exchange.responses, ...exchange.alerts]) outputs.add(output);
    }
  }
  for (const output of outputs) {
    tally.texts += 1;
    tally.textChars += output.xml.length;
  }
}

/** How a row runs its migrations: the gateway's validation, and whether every document's text is read afterwards. */
export interface RowMode {
  readonly validation: Validation;
  readonly readResponses: boolean;
}

/**
 * The bench's one PKI (DuisBench `pkiSeed`): as in the fleet, one SMSO, one DCC and one S1SP serve every installation,
 * each of which keeps its own bench seed. A PKI per migration's seed cost a PKI's keys and certificates (and their
 * parsing on every device) once a round, and once a migration's kind when the seeds outgrew the PKIs remembered.
 */
const PKI_SEED = 1;

async function oneMigration(kind: Kind, seed: number, mode: RowMode, tally: Tally): Promise<void> {
  const installation = benchInstallation({ vendor: kind.vendor, kind: kind.installation });
  const bench = await DuisBench.start({
    vendor: kind.vendor,
    seed,
    pkiSeed: PKI_SEED,
    migrationState: 'smso',
    registration: migrationRegistrationData(installation),
    keyParties: dccParties(PKI_SEED),
    s1sp: { fixes: new Set(['response-code-always']) },
    validation: mode.validation,
  });
  try {
    await kind.before?.(bench);
    const result = await migrate(bench, {
      installation,
      seed,
      pkiSeed: PKI_SEED,
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
    if (mode.readResponses) readEveryText(result, bench, tally);
  } finally {
    await bench.close();
  }
}

/** A row's figures: what its migrations did, its wall time and the process's CPU time over it. */
export type RowTally = Tally & { ms: number; cpuMs: number };

/**
 * Which of a row's jobs one runner takes: job i (round r = floor(i / kinds), kind i mod kinds) when (i + r) mod
 * `count` is `index`. The row's jobs are the same whatever the number of threads, so the rows compare; the share is
 * fixed in advance, so a thread's work does not depend on how fast the others go. The round shifts the deal by one so
 * every thread gets every kind: job i to thread i mod 2 gave one thread the three even kinds and the other the three
 * odd ones, the rollback among them (two attempts a migration), and the row waited on the thread with more work.
 */
export interface Share {
  readonly index: number;
  readonly count: number;
}

/** Every kind n times, interleaved so each in-flight group mixes kinds (seed: 1 + the round): this runner's share. */
export function shareOfJobs(n: number, share: Share): { readonly kind: Kind; readonly seed: number }[] {
  return Array.from({ length: n * KINDS.length }, (_, i) => ({
    kind: KINDS[i % KINDS.length],
    seed: 1 + Math.floor(i / KINDS.length),
  })).filter((_, i) => (i + Math.floor(i / KINDS.length)) % share.count === share.index);
}

/**
 * This runner's share of the row's jobs (shareOfJobs), at most `inFlight` at once. The tally's ms and cpuMs are this runner's own (its thread's wall time, and the
 * whole process's CPU time over it).
 */
export async function workload(
  n: number,
  inFlight: number,
  mode: RowMode,
  share: Share = { index: 0, count: 1 },
): Promise<RowTally> {
  const jobs = shareOfJobs(n, share);
  const tally: Tally = { migrations: 0, requests: 0, frames: 0, texts: 0, textChars: 0 };
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, jobs.length) }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        await oneMigration(job.kind, job.seed, mode, tally);
      }
    }),
  );
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { ...tally, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}
