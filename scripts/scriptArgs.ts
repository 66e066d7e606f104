/**
 * The command line of a script or benchmark run with tsx (`npm run calibrate:fleet -- --population 2000`), from the
 * script's one option table (harness/cli/optionTable.ts, as the CLI's commands; commander parses). Every word is
 * checked before the script does anything: a script that ignored a word it did not know would start a long run with
 * its defaults (`--help`, `--volume` for `--volumes`). `--help`/`-h` prints the usage and exits 0; bad usage (an
 * unknown option, a word the script does not take, an option given twice, an option without its value) exits 2
 * with a message naming the script, never a stack trace.
 */
import { Argument, Command, CommanderError, InvalidArgumentError } from 'commander';
import { addOptions, integer, type OptionRow, type OptionTable } from '../harness/cli/optionTable';

export interface ScriptCommandLine<O, A = string> {
  /** The name in messages: the npm script (`bench:fleet`), or the file when it has none. */
  readonly script: string;
  /** How it is typed, for the usage line; `npm run <script> --` when absent. */
  readonly invocation?: string;
  /** One line: what the script does. */
  readonly summary: string;
  readonly options: OptionTable<O>;
  /** The header comment's example command lines, printed after the options. */
  readonly examples?: readonly string[];
  /** The one positional word the script takes, if any: `[name]` (optional) or `<name>`. */
  readonly argument?: {
    readonly name: string;
    readonly description: string;
    /** Converts and checks the word; throws an Error whose message names the problem. */
    readonly parse: (text: string) => A;
  };
}

export type ScriptArgsParse<O, A = string> =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'usageError'; readonly message: string }
  | { readonly kind: 'run'; readonly options: O; readonly argument: A | undefined };

/** The long name of a row's flags: `--ratio-size <n>` is ratio-size. */
function longName(row: OptionRow<unknown>): string {
  return /--([a-z0-9-]+)/i.exec(row.flags)![1]!;
}

/**
 * The table with every value-taking option refusing a value that is itself an option: commander takes the word after
 * `--volumes` whatever it is, so `--volumes --ratio-size 0` would read "--ratio-size" as the volumes.
 */
function refusingOptionsAsValues<O>(table: OptionTable<O>): OptionTable<O> {
  const rows: Record<string, OptionRow<unknown>> = {};
  for (const [key, row] of Object.entries(table) as [string, OptionRow<unknown>][]) {
    // a switch takes no value; a row with choices refuses any other word already (and a parse would replace that check)
    if (!/[<[]/.test(row.flags) || row.choices) {
      rows[key] = row;
      continue;
    }
    const parse = row.parse;
    rows[key] = {
      ...row,
      parse: (text, previous) => {
        if (/^-(?!\d)/.test(text)) throw new Error(`--${longName(row)} needs a value, not the option ${text}`);
        return parse ? parse(text, previous) : text;
      },
    };
  }
  return rows as OptionTable<O>;
}

/** The command line `argv` (the words after the script's name) read against `line`: help, bad usage or options. */
export function parseScriptArgs<O, A = string>(
  line: ScriptCommandLine<O, A>,
  argv: readonly string[],
): ScriptArgsParse<O, A> {
  let help = '';
  const command = new Command(line.invocation ?? `npm run ${line.script} --`)
    .description(line.summary)
    .exitOverride()
    .allowExcessArguments(true) // refused below, with the word named
    .configureOutput({ writeOut: (text) => (help += text), writeErr: () => {}, outputError: () => {} });
  addOptions(command, refusingOptionsAsValues(line.options));
  if (line.argument) {
    const parse = line.argument.parse;
    command.addArgument(
      new Argument(line.argument.name, line.argument.description).argParser((text: string) => {
        try {
          return parse(text);
        } catch (error) {
          throw new InvalidArgumentError((error as Error).message);
        }
      }),
    );
  }
  if (line.examples?.length)
    command.addHelpText('after', `\nExamples:\n${line.examples.map((e) => `  ${e}`).join('\n')}`);
  const given = new Map<string, number>();
  for (const row of Object.values(line.options) as OptionRow<unknown>[]) {
    const name = longName(row);
    command.on(`option:${name}`, () => given.set(name, (given.get(name) ?? 0) + 1));
  }
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return { kind: 'help', text: help };
    return { kind: 'usageError', message: error.message.replace(/^error: /, '') };
  }
  for (const [name, times] of given)
    if (times > 1) return { kind: 'usageError', message: `--${name} given ${times} times` };
  const taken = line.argument ? 1 : 0;
  if (command.args.length > taken) {
    const word = command.args[taken]!;
    return {
      kind: 'usageError',
      message: `unexpected argument ${JSON.stringify(word)}: ${taken ? 'one word only' : 'only options'} here`,
    };
  }
  return { kind: 'run', options: command.opts() as O, argument: command.processedArgs[0] as A | undefined };
}

export interface ScriptArgs<O, A = string> {
  readonly options: O;
  /** The positional word, when the script takes one and it was given. */
  readonly argument: A | undefined;
  /** Writes `<script>: <message>` to stderr and exits 2 (bad usage): for checks across options, or of a file named. */
  usageError(message: string): never;
}

/**
 * The script's command line, or the end of the process: `--help` prints the usage and exits 0, bad usage prints
 * `<script>: <problem>` and exits 2. Call it before any work.
 */
export function scriptArgs<O, A = string>(
  line: ScriptCommandLine<O, A>,
  argv: readonly string[] = process.argv.slice(2),
): ScriptArgs<O, A> {
  const invocation = line.invocation ?? `npm run ${line.script} --`;
  function usageError(message: string): never {
    process.stderr.write(`${line.script}: ${message}\n(${invocation} --help lists the options)\n`);
    process.exit(2);
  }
  const parsed = parseScriptArgs(line, argv);
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    process.exit(0);
  }
  if (parsed.kind === 'usageError') usageError(parsed.message);
  return { options: parsed.options, argument: parsed.argument, usageError };
}

/** A comma-separated list of whole numbers from min to max (`--volumes 1000,10000`), each checked as `integer` does. */
export function integerList(min: number, max: number) {
  const one = integer(min, max);
  return (text: string): number[] => text.split(',').map((part) => one(part.trim()));
}
