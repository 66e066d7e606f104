/**
 * One `smets1` command for bench/fleet.ts, in a process of its own, which on exit writes what the process used as
 * its last stderr line: `fleet-bench-usage {"maxRssKiB":…,"cpuSeconds":…}`. process.resourceUsage() is the whole
 * process's (getrusage RUSAGE_SELF), so the worker threads' memory and CPU are in it.
 */
import { main } from '../harness/cli/main';

const code = await main(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
const usage = process.resourceUsage();
process.stderr.write(
  `fleet-bench-usage ${JSON.stringify({ maxRssKiB: usage.maxRSS, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 })}\n`,
);
process.exit(code);
