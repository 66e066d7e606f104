/**
 * `smets1 diff A.json B.json`: two runs written with `smets1 run --reporter json` compared scenario by scenario
 * (harness/reports/runDiff.ts), in the console and, with --html, as a page. Exit 0 the same (nothing printed), 1
 * different, 2 trouble: a file that cannot be read or is not a run (as diff(1), so a script can tell them apart).
 */
import { writeFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { diffHtml } from '../reports/diffHtml';
import { parseRunJson, type RunDocument } from '../reports/jsonReport';
import { diffRuns } from '../reports/runDiff';
import { readTextBounded } from './boundedFile';
import { addOptions, integer, type OptionTable } from './optionTable';

/** A run.json larger than this is refused unread: the diff holds both runs in memory. */
const MAX_RUN_BYTES = 256 * 1024 * 1024;

export interface DiffCliOptions {
  tolerance: number;
  html: string | undefined;
}

const diffOptions: OptionTable<DiffCliOptions> = {
  tolerance: {
    flags: '--tolerance <ms>',
    description:
      "how far apart (ms) an alert's time from its scenario's start may be in the two runs and still be the same",
    default: 1000,
    parse: integer(0, 86_400_000),
    example: '--tolerance 5000',
  },
  html: {
    flags: '--html <file>',
    description: 'also write the differences as an HTML page',
    example: '--html diff.html',
  },
};

function trouble(message: string): CommanderError {
  return new CommanderError(2, 'smets1.diffInput', `smets1 diff: ${message}`);
}

function readRun(file: string): RunDocument {
  try {
    return parseRunJson(readTextBounded(file, MAX_RUN_BYTES, 'run.json'), file);
  } catch (error) {
    throw trouble((error as Error).message);
  }
}

export function diffCommand(out: (line: string) => void): Command {
  const command = new Command('diff')
    .description(
      'compare two runs (smets1 run --reporter json) scenario by scenario: verdicts, expectations, response codes, alerts and their times, device statuses; exit 0 same, 1 different, 2 a file that is not a run',
    )
    .argument('<a>', 'run.json of the first run (e.g. the lab bench)')
    .argument('<b>', 'run.json of the second run (e.g. the emulator)')
    .addHelpText(
      'after',
      '\nExamples:\n  smets1 run packs/defects/91342-elster.yaml --link serial:/dev/ttyUSB0 --reporter json --out bench\n  smets1 run packs/defects/91342-elster.yaml --reporter json --out emulated\n  smets1 diff bench/run.json emulated/run.json --html diff.html',
    );
  addOptions(command, diffOptions);
  command.action((fileA: string, fileB: string, options: DiffCliOptions) => {
    const a = readRun(fileA);
    const b = readRun(fileB);
    const diff = diffRuns(a.scenarios, b.scenarios, { alertToleranceMs: options.tolerance });
    for (const scenario of diff.scenarios) {
      out(scenario.id);
      for (const d of scenario.differences) {
        out(`  ${d.what}:`);
        out(`    A ${d.a}`);
        out(`    B ${d.b}`);
      }
    }
    if (options.html !== undefined) {
      try {
        writeFileSync(options.html, diffHtml(diff, fileA, fileB));
      } catch (error) {
        throw trouble(
          `cannot write ${options.html}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
    }
    if (diff.scenarios.length > 0) {
      throw new CommanderError(
        1,
        'smets1.different',
        `${diff.scenarios.length} scenario(s) differ (${diff.compared} in both runs)`,
      );
    }
  });
  return command;
}
