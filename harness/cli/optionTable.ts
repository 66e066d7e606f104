/**
 * One typed table per command drives parsing, `--help` and defaults (vitest's CLI idiom): adding an option is one
 * row, and the help cannot forget it. Commander does the parsing; the table says what to ask it.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';

export interface OptionRow<T> {
  /** Commander flags, e.g. `--sets <n>`. */
  flags: string;
  description: string;
  /** Shown under the description in --help. */
  example?: string;
  default?: T;
  /** How --help shows the default when the value itself would not say it (a list or map filled in later). */
  defaultDescription?: string;
  choices?: readonly string[];
  /** Converts and checks the text; throws an Error whose message names the problem. */
  parse?: (text: string, previous: T) => T;
}

export type OptionTable<O> = { [K in keyof O]-?: OptionRow<O[K]> };

export function addOptions<O>(command: Command, table: OptionTable<O>): Command {
  for (const row of Object.values(table) as OptionRow<unknown>[]) {
    const description = row.example ? `${row.description}\n  e.g. ${row.example}` : row.description;
    const option = new Option(row.flags, description);
    if (row.choices) option.choices(row.choices);
    if (row.default !== undefined || row.defaultDescription !== undefined)
      option.default(row.default, row.defaultDescription);
    if (row.parse) {
      const parse = row.parse;
      option.argParser((text: string, previous: unknown) => {
        try {
          return parse(text, previous);
        } catch (error) {
          // commander prints: error: option '--sets <n>' argument 'x' is invalid. <message>
          throw new InvalidArgumentError((error as Error).message);
        }
      });
    }
    command.addOption(option);
  }
  return command;
}

/** A decimal whole number from min to max: digits only, so "0x10", "1e3", " 7" and "+7" are refused, not read as 16, 1000, 7. */
export function integer(min: number, max: number) {
  return (text: string): number => {
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max)
      throw new Error(`"${text}" is not a whole number from ${min} to ${max}`);
    return value;
  };
}
