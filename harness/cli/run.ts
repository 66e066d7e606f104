/**
 * `smets1 run PACK|DIR…`: every scenario of the packs through the one executor (harness/run/executor.ts), the
 * console summary, and reports (junit.xml; report.html with duis/) in --out. Exit 0 all passed, 1 a scenario failed
 * or could not run, 2 bad input (a missing pack, one that does not load: its file:line:column problems, no stack;
 * options that do not go together; an --out that cannot be written, checked before anything runs; or a serial:/tcp:
 * far end the pre-flight finds is not the bench the packs want, each mismatch with its place in the pack), 130 Ctrl-C
 * (the scenarios that finished are reported, and the reports say the run was interrupted).
 * `smets1 packs [DIR…]`: the packs with their descriptions.
 */
import { relative } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, CommanderError } from 'commander';
import { parseLinkSpec } from '../../emulator/links/linkSpec';
import { loadPack, PACK_QUIRKS, PackError, reseedPack, type Pack } from '../packs';
import { ConsoleReporter } from '../reports/consoleReporter';
import { JUNIT_FORMS, type JunitForm } from '../reports/junitReport';
import type { RunResult, ScenarioResult } from '../reports/runResult';
import { ensureReportsDir, writeJsonReport, writeReports } from '../reports/writeReports';
import { assumptionsOfBenches } from '../bench/assumptionsInForce';
import { scenarioAssumptions } from '../run/benchFor';
import { DuisBench } from '../bench/duisBench';
import { Recording } from '../../emulator/recording/recorder';
import { runScenario, withRunQuirks } from '../run/executor';
import { preflight } from '../run/preflight';
import { notRun } from '../run/notRun';
import { runOperatorHook } from '../run/operatorHook';
import { linkFaultsNobodyMakes, scenarioNeedsOperator, type OperatorStep } from '../run/operatorSteps';
import { WaitProgress } from '../reports/waitProgress';
import { DURATION_EXPECTED, parseDuration } from '../packs/duration';
import { BUILTIN_PACK_DIRS, inShard, packFiles, parseShard } from '../run/packFiles';
import { watchInterruption } from './interruption';
import { addOptions, integer, type OptionTable } from './optionTable';

export interface RunOptions {
  link: string | undefined;
  clock: 'wall' | 'harness' | undefined;
  shard: { index: number; count: number } | undefined;
  grep: RegExp | undefined;
  seed: number | undefined;
  reporter: string[];
  junitForm: JunitForm;
  out: string;
  preflight: boolean;
  operatorHook: string | undefined;
  bail: boolean | undefined;
  ackTimeout: number | undefined;
  responseTimeout: number | undefined;
  quirk: Record<string, boolean>;
  record: string | undefined;
}

/** A duration option (`--ack-timeout 2s`), in the packs' duration grammar, above zero. */
function timeoutOption(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms === 0) throw new Error(`"${text}" is not ${DURATION_EXPECTED}, above 0`);
  return ms;
}

const REPORTERS = ['console', 'junit', 'html', 'json'] as const;
/** What a run writes when no --reporter is given: json only when asked for. */
const DEFAULT_REPORTERS = ['console', 'junit', 'html'] as const;

export const runOptions: OptionTable<RunOptions> = {
  link: {
    flags: '--link <spec>',
    description:
      "override every pack's link: mock[@BAUD] or loopback (emulated devices in this process, virtual time), pty (`smets1 emulate --link pty --clock harness` started as a child, in lockstep on virtual time), serial:PATH[@BAUD[,8E1][,rtscts|xonxoff]] or tcp:HOST:PORT (an emulator or real bench, wall clock unless --clock harness)",
    example: '--link serial:/dev/ttyUSB0@115200',
    parse: (text) => {
      const spec = parseLinkSpec(text);
      if (spec.kind === 'tcp-listen')
        throw new Error('tcp-listen serves devices; run connects to them: use tcp:HOST:PORT');
      return text;
    },
  },
  clock: {
    flags: '--clock <clock>',
    description:
      'the time of the devices at the far end of a serial: or tcp: link: wall (default: real hardware, or `smets1 emulate` on the wall clock; ' +
      "waits take real time) or harness (`smets1 emulate --clock harness` you started: moved in lockstep with the run's virtual time, " +
      'checked at pre-flight and reset to its start before each scenario, docs/bench.md)',
    choices: ['wall', 'harness'],
    example: '--link tcp:127.0.0.1:7000 --clock harness',
  },
  shard: {
    flags: '--shard <i/n>',
    description: 'run only shard i of n: scenario k (0-based, in run order, after --grep) is in shard (k mod n) + 1',
    example: '--shard 2/4',
    parse: (text) => parseShard(text),
  },
  grep: {
    flags: '-t, --grep <pattern>',
    description: 'run only the scenarios whose name matches the regular expression (as vitest -t)',
    example: '-t "300 s"',
    parse: (text) => {
      try {
        return new RegExp(text);
      } catch (error) {
        throw new Error(`"${text}" is not a regular expression: ${(error as Error).message}`);
      }
    },
  },
  seed: {
    flags: '--seed <n>',
    description: "seed of every random choice, over every pack's bench seed",
    example: '--seed 7',
    parse: integer(0, 4_294_967_295),
  },
  reporter: {
    flags: '--reporter <name>',
    description: `reporters (repeatable): ${REPORTERS.join(', ')}: console; junit (junit.xml in --out); html (report.html and the DUIS documents under duis/ in --out); json (run.json in --out, the run as data for \`smets1 diff\`)`,
    // Empty means the default three; --help says so rather than showing [].
    default: [],
    defaultDescription: DEFAULT_REPORTERS.join(', '),
    parse: (text, previous) => {
      if (!(REPORTERS as readonly string[]).includes(text))
        throw new Error(`no reporter "${text}" (${REPORTERS.join(', ')})`);
      return [...previous, text];
    },
  },
  junitForm: {
    flags: '--junit-form <form>',
    description:
      "testsuite: one <testsuite> of every scenario (classname = pack), valid against the Jenkins xUnit plugin's and Maven Surefire's schemas; " +
      'testsuites: a <testsuite> per pack, with file and line on each testcase (GitLab, GitHub annotations)',
    choices: JUNIT_FORMS,
    default: 'testsuite',
  },
  out: { flags: '--out <dir>', description: 'where reports are written', default: 'reports' },
  preflight: {
    flags: '--no-preflight',
    description:
      'skip the pre-flight of a serial: or tcp: far end (before the first scenario, its devices and what `smets1 emulate` says of itself are ' +
      "checked against every scenario's bench, and a mismatch refuses the run, exit 2): for a far end that cannot answer. The report says the run was not pre-flighted",
    default: true,
  },
  operatorHook: {
    flags: '--operator-hook <cmd>',
    description:
      'carry out each operator step (devices: real) with CMD, run by the shell, instead of a person at the terminal: the stimulus as JSON on stdin; ' +
      'exit 0 done, anything else fails the scenario with its stderr (docs/bench.md)',
    example: '--operator-hook "python3 relays.py --bench 2"',
  },
  bail: {
    flags: '--bail',
    description: 'stop after the first scenario that fails or errors; the reports list the scenarios not run',
  },
  ackTimeout: {
    flags: '--ack-timeout <duration>',
    description:
      "the link layer's wait for an ack before it retransmits (4 tries; default 1s): longer for a slow bench adapter or a radio link",
    example: '--ack-timeout 3s',
    parse: timeoutOption,
  },
  responseTimeout: {
    flags: '--response-timeout <duration>',
    description: "the wait for a device's response once its command is acknowledged (default 30s)",
    example: '--response-timeout 2min',
    parse: timeoutOption,
  },
  record: {
    flags: '--record <file>',
    description:
      'record every frame the harness sends and receives, each scenario after a `# scenario` line (the format of `smets1 emulate --record`: read it with `smets1 trace FILE`, serve it with `smets1 emulate --replay FILE`)',
    example: '--record bench.trace',
  },
  quirk: {
    flags: '--quirk <id=on|off>',
    description:
      "switch a quirk over every pack's bench (repeatable; ids: `smets1 quirks` and the S1SP/WAN ones of docs/packs.md)",
    example: '--quirk 91342=off',
    default: {},
    defaultDescription: "each pack's own quirks",
    parse: (text, previous) => {
      const match = /^([^=]+)=(on|off)$/.exec(text);
      if (!match) throw new Error(`"${text}" is not ID=on or ID=off`);
      if (!PACK_QUIRKS.some((q) => q.id === match[1]))
        throw new Error(`no quirk "${match[1]}" (${PACK_QUIRKS.map((q) => q.id).join(', ')})`);
      return { ...previous, [match[1]]: match[2] === 'on' };
    },
  },
};

/** Loads every pack first: a missing or broken one stops the run before anything runs (exit 2). */
function loadAll(paths: readonly string[]): Pack[] {
  const problems: string[] = [];
  const packs: Pack[] = [];
  let files: string[];
  try {
    files = packFiles(paths);
  } catch (error) {
    throw new CommanderError(2, 'smets1.noPack', (error as Error).message);
  }
  for (const file of files) {
    try {
      packs.push(loadPack(file));
    } catch (error) {
      if (error instanceof PackError) problems.push(error.message);
      else throw error;
    }
  }
  if (problems.length > 0) throw new CommanderError(2, 'smets1.badPack', problems.join('\n'));
  if (packs.length === 0)
    throw new CommanderError(2, 'smets1.noPacks', `no pack files (*.yaml) in ${paths.join(', ')}`);
  return packs;
}

function usageError(message: string): CommanderError {
  return new CommanderError(2, 'smets1.usage', `smets1 run: ${message}`);
}

/** Options that do not go together: one usage error before anything runs, rather than every scenario erroring. */
function checkClock(options: RunOptions, packs: readonly Pack[]): void {
  if (options.clock !== 'harness') return;
  const farEnd = /^(serial|tcp):/;
  if (options.link !== undefined && !farEnd.test(options.link)) {
    throw usageError(
      `--clock harness is for a serial: or tcp: link to \`smets1 emulate --clock harness\`; --link ${options.link} ${options.link === 'pty' ? 'already runs its child on the harness clock' : 'runs its devices in this process on virtual time'}`,
    );
  }
  if (options.link !== undefined) return;
  const local = [
    ...new Set(
      packs.flatMap((pack) =>
        pack.scenarios
          .filter((s) => !farEnd.test(s.bench.linkText))
          .map((s) => `${relative(process.cwd(), pack.file) || pack.file} has link ${s.bench.linkText}`),
      ),
    ),
  ];
  if (local.length > 0) {
    throw usageError(
      `--clock harness is for a serial: or tcp: link to \`smets1 emulate --clock harness\`, and without --link each pack's own link is used: ${local.join(', ')}; give --link tcp:HOST:PORT`,
    );
  }
}

type Work = { pack: Pack; scenario: Pack['scenarios'][number] };

/**
 * The pre-flight (harness/run/preflight.ts) of each serial:/tcp: far end the chosen scenarios run on, before any of
 * them: a mismatch refuses the run (exit 2, each on its own line with its place in the pack). Returns the far ends
 * that are our emulator (each scenario on them starts with benchConfigure, or benchReset where it keeps its sets)
 * and what the report says of them.
 */
async function checkFarEnds(
  work: readonly Work[],
  options: RunOptions,
): Promise<{ emulators: Map<string, 'configure' | 'reset'>; report?: string }> {
  const byLink = new Map<string, Work[]>();
  for (const item of work) {
    const link = options.link ?? item.scenario.bench.linkText;
    if (!/^(serial|tcp):/.test(link)) continue;
    byLink.set(link, [...(byLink.get(link) ?? []), item]);
  }
  const emulators = new Map<string, 'configure' | 'reset'>();
  if (byLink.size === 0) return { emulators };
  if (!options.preflight) {
    // on the harness clock the far end can only be our emulator: it is still reset between scenarios
    if (options.clock === 'harness') for (const link of byLink.keys()) emulators.set(link, 'reset');
    return {
      emulators,
      report: `not pre-flighted (--no-preflight): nothing checked that ${[...byLink.keys()].join(', ')} is the bench the packs want`,
    };
  }
  const problems: string[] = [];
  const said: string[] = [];
  for (const [link, items] of byLink) {
    // the scenarios as they will run: with --quirk switched over, as each will be configured
    const quirks = Object.keys(options.quirk).length > 0 ? options.quirk : undefined;
    const packs = [...new Set(items.map((item) => item.pack))].map((pack) => ({
      ...pack,
      scenarios: items.filter((item) => item.pack === pack).map((item) => withRunQuirks(item.scenario, quirks)),
    }));
    const first = items[0]!.scenario.bench;
    let bench: DuisBench;
    try {
      bench = await DuisBench.start({ vendor: first.vendor, seed: first.seed, link, clock: 'wall' });
    } catch (error) {
      throw new CommanderError(1, 'smets1.farEnd', `smets1 run: pre-flight of ${link}: ${(error as Error).message}`);
    }
    try {
      const result = await preflight(packs, (eui, command) => bench.command(eui, command), {
        clock: options.clock ?? 'wall',
        link,
      });
      problems.push(...result.problems);
      if (result.emulator !== false) emulators.set(link, result.emulator);
      said.push(
        result.emulator === 'configure'
          ? `${link} is smets1 emulate, pre-flighted, made each scenario's bench before it`
          : result.emulator === 'reset'
            ? `${link} is smets1 emulate keeping its sets, pre-flighted, reset before each scenario`
            : `${link} pre-flighted (${result.notes.join('; ')})`,
      );
    } finally {
      await bench.close();
    }
  }
  if (problems.length > 0)
    throw new CommanderError(
      2,
      'smets1.preflight',
      `smets1 run: the far end is not the bench the packs want (pre-flight; --no-preflight skips it):\n${problems.join('\n')}`,
    );
  return { emulators, report: said.join('; ') };
}

/** The operator's Enter on a terminal; without one, a prompt cannot be answered. */
async function terminalPrompt(text: string, _step: OperatorStep, stopped: AbortSignal): Promise<void> {
  if (!process.stdin.isTTY)
    throw new Error(
      `operator prompt "${text}": stdin is not a terminal, so no operator can answer it (run on a TTY, or give --operator-hook)`,
    );
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    await new Promise<void>((resolve, reject) => {
      rl.question(`\n>>> ${text}\n    press Enter when done `, { signal: stopped }, () => resolve());
      stopped.addEventListener(
        'abort',
        () => reject(new Error(`operator prompt "${text}": the scenario was stopped`)),
        { once: true },
      );
    });
  } finally {
    rl.close();
  }
}

/**
 * Nobody to carry out an operator step (no terminal, no hook): refused before anything runs, rather than each such
 * scenario erroring at its first stimulus, hours into an overnight run.
 */
function checkOperator(
  options: RunOptions,
  work: readonly { pack: Pack; scenario: Pack['scenarios'][number] }[],
): void {
  if (options.operatorHook !== undefined || process.stdin.isTTY) return;
  const needing = work
    .filter(({ scenario }) => scenarioNeedsOperator(scenario, options.link))
    .map(({ pack, scenario }) => `${pack.name} › ${scenario.name}`);
  if (needing.length === 0) return;
  throw usageError(
    `${needing.length} scenario(s) have operator steps (devices: real, or a prompt): ${needing.join(', ')}; stdin is not a terminal and no --operator-hook was given, so nobody can carry them out: run on a TTY, or give --operator-hook CMD`,
  );
}

/**
 * A `linkFault` step on a link whose faults nobody can make (operatorSteps.ts linkFaultsNobodyMakes): neither the
 * mock line in this process nor `smets1 emulate` at the far end (`emulators`: what the pre-flight found), as real
 * hardware has no linkFault control. Refused before anything runs (exit 2), each step named at its place, rather
 * than each such scenario erroring.
 */
function checkLinkFaults(options: RunOptions, work: readonly Work[], emulators: ReadonlyMap<string, unknown>): void {
  const steps = work.flatMap(({ pack, scenario }) => {
    const link = options.link ?? scenario.bench.linkText;
    const file = relative(process.cwd(), pack.file) || pack.file;
    return linkFaultsNobodyMakes(scenario, link, emulators.has(link)).map(
      (step) =>
        `${file}:${step.position.line}:${step.position.column}: ${pack.name} › ${scenario.name}: linkFault on ${link}`,
    );
  });
  if (steps.length === 0) return;
  throw new CommanderError(
    2,
    'smets1.linkFault',
    `smets1 run: a linkFault cuts or damages the device line, and nothing on this link can: the mock line is cut in this process, and smets1 emulate at the far end of a serial: or tcp: link cuts its side (the linkFault control), but the pre-flight found no smets1 emulate there (real hardware has no such control; with --no-preflight, only --clock harness says it is one): run these on --link mock or against smets1 emulate, or give each step a prompt for an operator who pulls the cable:\n${steps.join('\n')}`,
  );
}

export function runCommand(out: (line: string) => void): Command {
  const command = new Command('run')
    .description(
      'run regression packs (YAML, docs/packs.md) and write reports; exit 0 all passed, 1 a scenario failed, 2 bad input or a far end the pre-flight refuses, 130 interrupted',
    )
    .argument('<packs...>', 'pack files or directories of them')
    .addHelpText(
      'after',
      '\nExamples:\n  smets1 run packs/defects packs/links packs/migration packs/rtds --link mock   # npm start\n  smets1 run packs/defects/91342-elster.yaml --link pty     # a child emulator, in lockstep\n  smets1 run packs/defects/91342-elster.yaml --link tcp:127.0.0.1:7000 --clock harness\n  smets1 run packs --shard 1/2 --reporter junit --out reports-1\n  smets1 run packs/defects -t "300 s" --seed 7',
    );
  addOptions(command, runOptions);
  command.action(async (paths: string[], options: RunOptions) => {
    const reporters = options.reporter.length > 0 ? options.reporter : [...DEFAULT_REPORTERS];
    const files = {
      junit: reporters.includes('junit') ? options.junitForm : false,
      html: reporters.includes('html'),
    } as const;
    const loaded = loadAll(paths);
    const packs = options.seed === undefined ? loaded : loaded.map((pack) => reseedPack(pack, options.seed!));
    checkClock(options, packs);
    const work: Work[] = [];
    for (const pack of packs)
      for (const scenario of pack.scenarios)
        if (options.grep?.test(scenario.name) ?? true) work.push({ pack, scenario });
    if (work.length === 0) throw usageError(`no scenario name matches -t ${options.grep}`);
    if (files.junit !== false || files.html) {
      try {
        ensureReportsDir(options.out);
      } catch (error) {
        throw usageError(`--out: ${(error as Error).message}`);
      }
    }
    const chosen = work.filter((_, k) => inShard(k, options.shard));
    checkOperator(options, chosen);
    const farEnd = await checkFarEnds(chosen, options);
    checkLinkFaults(options, chosen, farEnd.emulators);
    let recording: Recording | undefined;
    if (options.record !== undefined) {
      try {
        recording = new Recording(options.record, [], {
          onStop: (reason) => process.stderr.write(`${reason}\n`),
          carriesOn: 'the run',
        });
      } catch (error) {
        throw usageError(`--record: ${(error as Error).message}`);
      }
    }
    const hook = options.operatorHook;
    const prompt =
      hook === undefined
        ? terminalPrompt
        : (_text: string, step: OperatorStep, stopped: AbortSignal) => runOperatorHook(hook, step, stopped);
    const waits = reporters.includes('console') ? new WaitProgress(process.stdout) : undefined;
    let bailedAfter: ScenarioResult | undefined;
    const reporter = reporters.includes('console') ? new ConsoleReporter(process.stdout) : undefined;
    const results: ScenarioResult[] = [];
    const interruption = watchInterruption((signal) =>
      process.stderr.write(
        `\nsmets1 run: ${signal}: stopping; reporting the ${results.length} scenario(s) that finished (again to quit at once)\n`,
      ),
    );
    const startedAt = new Date().toISOString();
    try {
      reporter?.runStarted(chosen.length, new Set(chosen.map((w) => w.pack)).size);
      for (const { pack, scenario } of chosen) {
        reporter?.scenarioStarted({ pack: pack.name, name: scenario.name });
        const running = runScenario(pack, scenario, {
          ...(options.link !== undefined ? { link: options.link } : {}),
          ...(options.clock !== undefined ? { clock: options.clock } : {}),
          ...(options.ackTimeout !== undefined ? { ackTimeout: options.ackTimeout } : {}),
          ...(options.responseTimeout !== undefined ? { responseTimeout: options.responseTimeout } : {}),
          ...(waits !== undefined ? { waiting: (what: string, endsAt: number) => waits.begin(what, endsAt) } : {}),
          prompt,
          displayFile: relative(process.cwd(), pack.file) || pack.file,
          ...(farEnd.emulators.has(options.link ?? scenario.bench.linkText)
            ? { farEnd: farEnd.emulators.get(options.link ?? scenario.bench.linkText)! }
            : {}),
          ...(Object.keys(options.quirk).length > 0 ? { quirks: options.quirk } : {}),
          ...(recording !== undefined ? { recording } : {}),
        });
        // An interrupted scenario is left unfinished (the process exits after the reports): it is not reported.
        running.catch(() => undefined);
        const result = await Promise.race([running, interruption.stopped]);
        if (typeof result === 'string') break;
        results.push(result);
        reporter?.scenarioFinished(result);
        if (options.bail && (result.verdict === 'failed' || result.verdict === 'error')) {
          bailedAfter = result;
          break;
        }
      }
    } finally {
      interruption.dispose();
    }
    recording?.stop();
    if (options.record !== undefined) out(`recording: ${options.record}`);
    if (bailedAfter !== undefined) {
      const reason = `not run: --bail stopped the run after ${bailedAfter.pack} › ${bailedAfter.name} ${bailedAfter.verdict === 'error' ? 'errored' : 'failed'}`;
      for (const { pack, scenario } of chosen.slice(results.length)) {
        const skipped = notRun(pack, scenario, reason, relative(process.cwd(), pack.file) || pack.file);
        results.push(skipped);
        reporter?.scenarioFinished(skipped);
      }
    }
    const signal = interruption.signal();
    // results[k] is chosen[k]'s (they finish in order)
    const ran = results.map((_, k) => scenarioAssumptions(chosen[k]!.scenario));
    const run: RunResult = {
      startedAt,
      seed: packs[0]!.bench.seed,
      packs: packs.map((p) => p.file),
      scenarios: results,
      assumptions: assumptionsOfBenches(ran),
      ...(signal !== undefined ? { interrupted: { signal, planned: chosen.length } } : {}),
      ...(farEnd.report !== undefined ? { preflight: farEnd.report } : {}),
    };
    reporter?.runFinished(run);
    if (files.junit !== false || files.html) {
      const written = writeReports(run, options.out, files);
      const duis =
        written.duis === undefined ? [] : [`${written.duis.length} DUIS document(s) under ${options.out}/duis`];
      out(
        `reports${signal !== undefined ? ` of the ${results.length} scenario(s) that finished` : ''}: ${[written.junit, written.html, ...duis].filter(Boolean).join(', ')}`,
      );
    }
    if (reporters.includes('json')) out(`run as data: ${writeJsonReport(run, options.out)}`);
    if (signal !== undefined)
      throw new CommanderError(
        interruption.exitCode(),
        'smets1.interrupted',
        `smets1 run: interrupted by ${signal} after ${results.length} of ${chosen.length} scenarios`,
      );
    if (results.some((r) => r.verdict !== 'passed' && r.verdict !== 'skipped'))
      throw new CommanderError(1, 'smets1.failed', '');
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
        out(
          `${relative(process.cwd(), pack.file) || pack.file}  (${pack.scenarios.length} scenario${pack.scenarios.length === 1 ? '' : 's'})`,
        );
        out(`  ${pack.name}: ${pack.description ?? ''}`.trimEnd());
      }
    });
}
