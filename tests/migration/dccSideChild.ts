/**
 * The DCC side of a migration as its own process, for the kill -9 test: a DUIS bench (gateway, DSP, S1SP) connected
 * over TCP to `smets1 emulate --state`, running migrate() with a file journal, on the wall clock (no pacing).
 * argv: PORT JOURNAL VENDOR KIND [STALL_AT]. Prints `step <attempt> <name> <device> <role>` before each step; at
 * the step named by STALL_AT (`credentialSwap A1 3`) it prints `stalled` and waits to be killed. At the end it
 * prints `result <json>`.
 */
import { DuisBench } from '../../harness/bench/duisBench';
import { benchInstallation, migrationRegistrationData } from '../../harness/migration/installation';
import { FileJournal } from '../../harness/migration/journal';
import { migrate } from '../../harness/migration/orchestrator';
import { dccParties } from '../../harness/migration/parties';

const [port, journalPath, vendor, kind, stallAt] = process.argv.slice(2);
const installation = benchInstallation({ vendor: vendor as 'itron' | 'elster', kind: kind as 'dormant' | 'active' });
const bench = await DuisBench.start({
  vendor: vendor as 'itron' | 'elster',
  link: `tcp:127.0.0.1:${port}`,
  registration: migrationRegistrationData(installation),
  keyParties: dccParties(1),
  s1sp: { fixes: new Set(['response-code-always']) },
});
const result = await migrate(bench, {
  installation,
  journal: new FileJournal(journalPath),
  beforeStep: async (hook) => {
    const where = `${hook.name} ${hook.device?.slice(-2) ?? '-'} ${hook.role ?? '-'}`;
    process.stdout.write(`step ${hook.attempt} ${where}\n`);
    if (stallAt !== undefined && where === stallAt) {
      process.stdout.write('stalled\n');
      setInterval(() => undefined, 60_000);
      await new Promise(() => undefined);
    }
  },
});
const smi = Object.fromEntries(
  installation.devices.map((d) => [d.deviceId, bench.registration.device(d.deviceId)?.smiStatus]),
);
process.stdout.write(
  `result ${JSON.stringify({ outcome: result.outcome, attempts: result.attempts, failedAttempts: result.failedAttempts, recovered: result.recovered, smi })}\n`,
);
await bench.close();
process.exit(0);
