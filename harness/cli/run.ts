/**
 * `smets1 run PACK|DIR…`: every scenario of the packs through the one executor (harness/run/executor.ts), the
 * console summary, and reports (junit.xml, report.html, duis/) in --out. Exit 0 all passed, 1 a scenario failed or
 * could not run, 2 bad input (a pack that does not load: its file:line:column problems, no stack).
 * `smets1 packs [DIR…]`: the packs with their descriptions.
 */
import { relative } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, CommanderError } from 'commander';
import { parseLinkSpec } from '../../emulator/links/linkSpec';
import { loadPack, PACK_QUIRKS, PackError, type Pack } from '../packs';
import { ConsoleReporter } from '../reports/consoleReporter';
import type { RunResult, ScenarioResult } from '../reports/runResult';
import { Recording } from '../../emulator/recording/recorder';
import { writeJsonReport, writeReports } from '../reports/writeReports';
import { runScenario } from '../run/executor';
import { BUILTIN_PACK_DIRS, inShard, packFiles, parseShard } from '../run/packFiles';
import { addOptions, type OptionTable } from './optionTable';

export interface RunOptions {
  link: string | undefined;
  clock: 'wall' | 'harness' | undefined;
  shard: { index: number; count: number } | undefined;
  reporter: string[];
  out: string;
  quirk: Record<string, boolean>;
  record: string | undefined;
}

const REPORTERS = ['console', 'junit', 'html', 'json'] as const;
/** What a run writes when no --reporter is given: json only when asked for. */
const DEFAULT_REPORTERS = ['console', 'junit', 'html'] as const;

export const runOptions: OptionTable<RunOptions> = {
  link: {
    flags: '--link <spec>',
    description: "override every pack's link: mock[@BAUD] or loopback (emulated devices in this process, virtual time), pty (`smets1 emulate --link pty --clock harness` started as a child, in lockstep on virtual time), serial:PATH[@BAUD] or tcp:HOST:PORT (an emulator or real bench, wall clock unless --clock harness)",
    example: '--link serial:/dev/ttyUSB0@115200',
    parse: (text) => {
      const spec = parseLinkSpec(text);
      if (spec.kind === 'tcp-listen') throw new Error('tcp-listen serves devices; run connects to them: use tcp:HOST:PORT');
      return text;
    },
  },
  clock: {
    flags: '--clock <clock>',
    description:
      'the time of the devices at the far end of a serial: or tcp: link: wall (default: real hardware, or `smets1 emulate` on the wall clock; ' +
      'waits take real time) or harness (`smets1 emulate --clock harness` you started: moved in lockstep with the run\'s virtual time, ' +
      'each scenario carrying on from the time and device state the one before left)',
    choices: ['wall', 'harness'],
    example: '--link tcp:127.0.0.1:7000 --clock harness',
  },
  shard: {
    flags: '--shard <i/n>',
    description: 'run only shard i of n: scenario k (0-based, in run order) is in shard (k mod n) + 1',
    example: '--shard 2/4',
    parse: (text) => parseShard(text),
  },
  reporter: {
    flags: '--reporter <name>',
    description: `reporters (repeatable): ${REPORTERS.join(', ')} (default ${DEFAULT_REPORTERS.join(', ')}); junit or html writes junit.xml, report.html and duis/ in --out; json writes run.json there, the run as data for \`smets1 diff\``,
    default: [],
    parse: (text, previous) => {
      if (!(REPORTERS as readonly string[]).includes(text)) throw new Error(`no reporter "${text}" (${REPORTERS.join(', ')})`);
      return [...previous, text];
    },
  },
  out: { flags: '--out <dir>', description: 'where reports are written', default: 'reports' },
  record: {
    flags: '--record <file>',
    description: 'record every frame the harness sends and receives, each scenario after a `# scenario` line (the format of `smets1 emulate --record`: read it with `smets1 trace FILE`, serve it with `smets1 emulate --replay FILE`)',
    example: '--record bench.trace',
  },
  quirk: {
    flags: '--quirk <id=on|off>',
    description: "switch a quirk over every pack's bench (repeatable; ids: `smets1 quirks` and the S1SP/WAN ones of docs/packs.md)",
    example: '--quirk 91342=off',
    default: {},
    parse: (text, previous) => {
      const match = /^([^=]+)=(on|off)$/.exec(text);
      if (!match) throw new Error(`"${text}" is not ID=on or ID=off`);
      if (!PACK_QUIRKS.some((q) => q.id === match[1])) throw new Error(`no quirk "${match[1]}" (${PACK_QUIRKS.map((q) => q.id).join(', ')})`);
      return { ...previous, [match[1]]: match[2] === 'on' };
    },
  },
};

/** Loads every pack first: a broken one stops the run before anything runs (exit 2). */
function loadAll(paths: readonly string[]): Pack[] {
  const problems: string[] = [];
  const packs: Pack[] = [];
  for (const file of packFiles(paths)) {
    try {
      packs.push(loadPack(file));
    } catch (error) {
      if (error instanceof PackError) problems.push(error.message);
      else throw error;
    }
  }
  if (problems.length > 0) throw new CommanderError(2, 'smets1.badPack', problems.join('\n'));
  if (packs.length === 0) throw new CommanderError(2, 'smets1.noPacks', `no pack files (*.yaml) in ${paths.join(', ')}`);
  return packs;
}

/** The operator's Enter on a terminal; without one, a prompt cannot be answered. */
async function terminalPrompt(text: string): Promise<void> {
  if (!process.stdin.isTTY) throw new Error(`operator prompt "${text}": stdin is not a terminal, so no operator can answer it (run on a TTY)`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  await new Promise<void>((resolve) => rl.question(`\n>>> ${text}\n    press Enter when done `, () => resolve()));
  rl.close();
}

export function runCommand(out: (line: string) => void): Command {
  const command = new Command('run')
    .description('run regression packs (YAML, docs/packs.md) and write reports; exit 0 all passed, 1 a scenario failed, 2 bad input')
    .argument('<packs...>', 'pack files or directories of them')
    .addHelpText('after', '\nExamples:\n  smets1 run packs/defects packs/links packs/migration packs/rtds --link mock   # npm start\n  smets1 run packs/defects/91342-elster.yaml --link pty     # a child emulator, in lockstep\n  smets1 run packs/defects/91342-elster.yaml --link tcp:127.0.0.1:7000 --clock harness\n  smets1 run packs --shard 1/2 --reporter junit --out reports-1');
  addOptions(command, runOptions);
  command.action(async (paths: string[], options: RunOptions) => {
    if (options.clock === 'harness' && options.link !== undefined && !/^(serial|tcp):/.test(options.link)) {
      throw new CommanderError(2, 'smets1.usage', `smets1 run: --clock harness is for a serial: or tcp: link to \`smets1 emulate --clock harness\`; --link ${options.link} ${options.link === 'pty' ? 'already runs its child on the harness clock' : 'runs its devices in this process on virtual time'}`);
    }
    const packs = loadAll(paths);
    const reporters: string[] = options.reporter.length > 0 ? options.reporter : [...DEFAULT_REPORTERS];
    const work: { pack: Pack; scenario: Pack['scenarios'][number] }[] = [];
    for (const pack of packs) for (const scenario of pack.scenarios) work.push({ pack, scenario });
    const chosen = work.filter((_, k) => inShard(k, options.shard));
    let recording: Recording | undefined;
    if (options.record !== undefined) {
      try {
        recording = new Recording(options.record, [], { onStop: (reason) => process.stderr.write(`${reason}\n`), carriesOn: 'the run' });
      } catch (error) {
        throw new CommanderError(2, 'smets1.usage', `smets1 run: --record: ${(error as Error).message}`);
      }
    }
    const reporter = reporters.includes('console') ? new ConsoleReporter(process.stdout) : undefined;
    reporter?.runStarted(chosen.length);
    const results: ScenarioResult[] = [];
    for (const { pack, scenario } of chosen) {
      reporter?.scenarioStarted({ pack: pack.name, name: scenario.name });
      const result = await runScenario(pack, scenario, {
        ...(options.link !== undefined ? { link: options.link } : {}),
        ...(options.clock !== undefined ? { clock: options.clock } : {}),
        prompt: terminalPrompt,
        displayFile: relative(process.cwd(), pack.file) || pack.file,
        ...(Object.keys(options.quirk).length > 0 ? { quirks: options.quirk } : {}),
        ...(recording !== undefined ? { recording } : {}),
      });
      results.push(result);
      reporter?.scenarioFinished(result);
    }
    recording?.stop();
    if (options.record !== undefined) out(`recording: ${options.record}`);
    const run: RunResult = { startedAt: new Date().toISOString(), seed: packs[0]!.bench.seed, packs: packs.map((p) => p.file), scenarios: results };
    reporter?.runFinished(run);
    if (reporters.includes('junit') || reporters.includes('html')) {
      const written = writeReports(run, options.out);
      out(`reports: ${written.junit}, ${written.html}, ${written.duis.length} DUIS document(s) under ${options.out}/duis`);
    }
    if (reporters.includes('json')) out(`run as data: ${writeJsonReport(run, options.out)}`);
    if (results.some((r) => r.verdict !== 'passed' && r.verdict !== 'skipped')) throw new CommanderError(1, 'smets1.failed', '');
  });
  return command;
}

export function packsCommand(out: (line: string) => void): Command {
  return new Command('packs')
    .description('list regression packs with their descriptions (default: the built-in packs under packs/)')
    .argument('[dirs...]', 'pack files or directories (default: the built-in packs)', [...BUILTIN_PACK_DIRS])
    .action((paths: string[]) => {
      const packs = loadAll(paths);
      for (const pack of packs) {
        out(`${relative(process.cwd(), pack.file) || pack.file}  (${pack.scenarios.length} scenario${pack.scenarios.length === 1 ? '' : 's'})`);
        out(`  ${pack.name}: ${pack.description ?? ''}`.trimEnd());
      }
    });
}
