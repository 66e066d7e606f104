/** The `smets1` command line. Returns the process exit code: 0 done, 1 failed, 2 bad usage. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { alertsCommand } from './alerts';
import { diffCommand } from './diff';
import { emulateCommand } from './emulate';
import { mergeCommand } from './merge';
import { quirksCommand } from './quirks';
import { reproCommand } from './repro';
import { packsCommand, runCommand } from './run';
import { sendCommand } from './send';
import { simulateCommand } from './simulate';
import { templatesCommand } from './templates';
import { traceCommand } from './trace';

export async function main(argv: string[], out: (line: string) => void = (line) => console.log(line)): Promise<number> {
  const program = new Command('smets1')
    .description('SMETS1 device emulator and test harness (Itron, Honeywell Elster)')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .addCommand(emulateCommand(out))
    .addCommand(traceCommand(out))
    .addCommand(quirksCommand(out))
    .addCommand(sendCommand(out))
    .addCommand(templatesCommand(out))
    .addCommand(reproCommand(out))
    .addCommand(runCommand(out))
    .addCommand(packsCommand(out))
    .addCommand(alertsCommand(out))
    .addCommand(simulateCommand(out))
    .addCommand(mergeCommand(out))
    .addCommand(diffCommand(out));
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed by commander.
      // `run` ends with its own codes: 1 a scenario failed, 2 a pack that does not load (its problems printed here).
      if (error.code.startsWith('smets1.')) {
        if (error.message !== '') process.stderr.write(`${error.message}\n`);
        return error.exitCode;
      }
      return error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`smets1: ${(error as Error).message}\n`);
    return 1;
  }
}

/** The version package.json gives, as `smets1 --version` prints it. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
}
