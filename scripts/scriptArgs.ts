/**
 * The command line of a script or benchmark run with tsx (`npm run calibrate:fleet -- --population 2000`): options
 * as `--name value`, and bad usage as exit 2 with a message naming the script, never a stack trace. One place, so
 * every script refuses a bad number alike.
 */
export interface ScriptArgs {
  /** Writes `<script>: <message>` to stderr and exits 2 (bad usage). */
  usageError(message: string): never;
  /** The value after `--name`, undefined when the option is absent; a bare `--name` at the end is bad usage. */
  option(name: string): string | undefined;
  /** `text` as a whole number of at least `min` (decimal digits only: not 1e3, not 0x10), or bad usage naming `what`. */
  wholeNumber(text: string, what: string, min: number): number;
  /** `--name N` as a whole number of at least `min`, or `fallback` when the option is absent. */
  whole(name: string, fallback: number, min?: number): number;
  /** Whether the bare switch `--name` (no value) is given. */
  flag(name: string): boolean;
}

export function scriptArgs(script: string): ScriptArgs {
  const argv = process.argv;
  function usageError(message: string): never {
    process.stderr.write(`${script}: ${message}\n`);
    process.exit(2);
  }
  function option(name: string): string | undefined {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return undefined;
    if (i + 1 >= argv.length) usageError(`--${name} needs a value`);
    return argv[i + 1];
  }
  function wholeNumber(text: string, what: string, min: number): number {
    if (!/^\d+$/.test(text) || Number(text) < min) {
      usageError(`${what} ${JSON.stringify(text)} is not a whole number${min > 0 ? ` ≥ ${min}` : ''}`);
    }
    return Number(text);
  }
  return {
    usageError,
    option,
    wholeNumber,
    whole(name, fallback, min = 0) {
      const text = option(name);
      return text === undefined ? fallback : wholeNumber(text, `--${name}`, min);
    },
    flag: (name) => argv.includes(`--${name}`),
  };
}
