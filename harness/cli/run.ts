/**
 * `smets1 run PACK|DIR…`: every scenario of the packs through the one executor (harness/run/executor.ts), the
 * console summary, and reports (junit.xml, report.html, duis/) in --out. Exit 0 all passed, 1 a scenario failed or
 * could not run, 2 bad input (a pack that does not load: its file:line:column problems, no stack; or a serial:/tcp:
 * far end the pre-flight finds is not the bench the packs want, each mismatch with its place in the pack).
 * `smets1 packs [DIR…]`: the packs with their descriptions.
 */
import { relative } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, CommanderError } from 'commander';
import { parseLinkSpec } from '../../emulator/links/linkSpec';
import { loadPack, PackError, type Pack } from '../packs';
import { ConsoleReporter } from '../reports/consoleReporter';
import type { RunResult, ScenarioResult } from '../reports/runResult';
import { writeReports } from '../reports/writeReports';
import { DuisBench } from '../bench/duisBench';
import { runScenario } from '../run/executor';
import { preflight } from '../run/preflight';
import { BUILTIN_PACK_DIRS, inShard, packFiles, parseShard } from '../run/packFiles';
import { addOptions, type OptionTable } from './optionTable';

export interface RunOptions {
  link: string | undefined;
  clock: 'wall' | 'harness' | undefined;
  shard: { index: number; count: number } | undefined;
  reporter: string[];
  out: string;
  preflight: boolean;
}

const REPORTERS = ['console', 'junit', 'html'] as const;

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
      'checked at pre-flight and reset to its start before each scenario, docs/bench.md)',
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
    description: `reporters (repeatable): ${REPORTERS.join(', ')}; junit or html writes junit.xml, report.html and duis/ in --out`,
    default: [],
    parse: (text, previous) => {
      if (!(REPORTERS as readonly string[]).includes(text)) throw new Error(`no reporter "${text}" (${REPORTERS.join(', ')})`);
      return [...previous, text];
    },
  },
  out: { flags: '--out <dir>', description: 'where reports are written', default: 'reports' },
  preflight: {
    flags: '--no-preflight',
    description:
      'skip the pre-flight of a serial: or tcp: far end (before the first scenario, its devices and what `smets1 emulate` says of itself are ' +
      'checked against every scenario\'s bench, and a mismatch refuses the run, exit 2): for a far end that cannot answer. The report says the run was not pre-flighted',
    default: true,
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

type Work = { pack: Pack; scenario: Pack['scenarios'][number] };

/**
 * The pre-flight (harness/run/preflight.ts) of each serial:/tcp: far end the chosen scenarios run on, before any of
 * them: a mismatch refuses the run (exit 2, each on its own line with its place in the pack). Returns the far ends
 * that are our emulator (each scenario on them starts with benchReset) and what the report says of them.
 */
async function checkFarEnds(work: readonly Work[], options: RunOptions): Promise<{ emulators: Set<string>; report?: string }> {
  const byLink = new Map<string, Work[]>();
  for (const item of work) {
    const link = options.link ?? item.scenario.bench.linkText;
    if (!/^(serial|tcp):/.test(link)) continue;
    byLink.set(link, [...(byLink.get(link) ?? []), item]);
  }
  const emulators = new Set<string>();
  if (byLink.size === 0) return { emulators };
  if (!options.preflight) {
    // on the harness clock the far end can only be our emulator: it is still reset between scenarios
    if (options.clock === 'harness') for (const link of byLink.keys()) emulators.add(link);
    return { emulators, report: `not pre-flighted (--no-preflight): nothing checked that ${[...byLink.keys()].join(', ')} is the bench the packs want` };
  }
  const problems: string[] = [];
  const said: string[] = [];
  for (const [link, items] of byLink) {
    const packs = [...new Set(items.map((item) => item.pack))].map((pack) => ({ ...pack, scenarios: items.filter((item) => item.pack === pack).map((item) => item.scenario) }));
    const first = items[0]!.scenario.bench;
    let bench: DuisBench;
    try {
      bench = await DuisBench.start({ vendor: first.vendor, seed: first.seed, link, clock: 'wall' });
    } catch (error) {
      throw new CommanderError(1, 'smets1.farEnd', `smets1 run: pre-flight of ${link}: ${(error as Error).message}`);
    }
    try {
      const result = await preflight(packs, (eui, command) => bench.command(eui, command), { clock: options.clock ?? 'wall', link });
      problems.push(...result.problems);
      if (result.emulator) emulators.add(link);
      said.push(result.emulator ? `${link} is smets1 emulate, pre-flighted, reset before each scenario` : `${link} pre-flighted (${result.notes.join('; ')})`);
    } finally {
      await bench.close();
    }
  }
  if (problems.length > 0) throw new CommanderError(2, 'smets1.preflight', `smets1 run: the far end is not the bench the packs want (pre-flight; --no-preflight skips it):\n${problems.join('\n')}`);
  return { emulators, report: said.join('; ') };
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
    .description('run regression packs (YAML, docs/packs.md) and write reports; exit 0 all passed, 1 a scenario failed, 2 bad input or a far end the pre-flight refuses')
    .argument('<packs...>', 'pack files or directories of them')
    .addHelpText('after', '\nExamples:\n  smets1 run packs/defects packs/links packs/migration packs/rtds --link mock   # npm start\n  smets1 run packs/defects/91342-elster.yaml --link pty     # a child emulator, in lockstep\n  smets1 run packs/defects/91342-elster.yaml --link tcp:127.0.0.1:7000 --clock harness\n  smets1 run packs --shard 1/2 --reporter junit --out reports-1');
  addOptions(command, runOptions);
  command.action(async (paths: string[], options: RunOptions) => {
    if (options.clock === 'harness' && options.link !== undefined && !/^(serial|tcp):/.test(options.link)) {
      throw new CommanderError(2, 'smets1.usage', `smets1 run: --clock harness is for a serial: or tcp: link to \`smets1 emulate --clock harness\`; --link ${options.link} ${options.link === 'pty' ? 'already runs its child on the harness clock' : 'runs its devices in this process on virtual time'}`);
    }
    const packs = loadAll(paths);
    const reporters = options.reporter.length > 0 ? options.reporter : [...REPORTERS];
    const work: Work[] = [];
    for (const pack of packs) for (const scenario of pack.scenarios) work.push({ pack, scenario });
    const chosen = work.filter((_, k) => inShard(k, options.shard));
    const farEnd = await checkFarEnds(chosen, options);
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
        ...(farEnd.emulators.has(options.link ?? scenario.bench.linkText) ? { resetFarEnd: true } : {}),
      });
      results.push(result);
      reporter?.scenarioFinished(result);
    }
    const run: RunResult = {
      startedAt: new Date().toISOString(),
      seed: packs[0]!.bench.seed,
      packs: packs.map((p) => p.file),
      scenarios: results,
      ...(farEnd.report !== undefined ? { preflight: farEnd.report } : {}),
    };
    reporter?.runFinished(run);
    if (reporters.includes('junit') || reporters.includes('html')) {
      const written = writeReports(run, options.out);
      out(`reports: ${written.junit}, ${written.html}, ${written.duis.length} DUIS document(s) under ${options.out}/duis`);
    }
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
