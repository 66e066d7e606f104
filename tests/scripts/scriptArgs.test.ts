import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { integer } from '../../harness/cli/optionTable';
import { integerList, parseScriptArgs, type ScriptCommandLine } from '../../scripts/scriptArgs';

interface Options {
  volumes: number[];
  ratioSize: number;
  threads: number | undefined;
  mode: string;
  quick: boolean | undefined;
}

const LINE: ScriptCommandLine<Options> = {
  script: 'bench:example',
  summary: 'an example bench',
  options: {
    volumes: { flags: '--volumes <list>', description: 'rows to run', parse: integerList(1, 1000), default: [10, 20] },
    ratioSize: { flags: '--ratio-size <n>', description: 'the ratio row', parse: integer(0, 1000), default: 200 },
    threads: { flags: '--threads <n>', description: 'worker threads', parse: integer(1, 8) },
    mode: { flags: '--mode <mode>', description: 'which mode', choices: ['fast', 'slow'], default: 'fast' },
    quick: { flags: '--quick', description: 'one run each' },
  },
  examples: ['npm run bench:example -- --volumes 10 --quick'],
};

const parse = (...argv: string[]) => parseScriptArgs(LINE, argv);
const refusal = (...argv: string[]) => {
  const result = parse(...argv);
  expect(result.kind).toBe('usageError');
  return result.kind === 'usageError' ? result.message : '';
};

describe('parseScriptArgs', () => {
  it('gives the defaults for an empty command line and the values given otherwise', () => {
    expect(parse()).toEqual({
      kind: 'run',
      options: { volumes: [10, 20], ratioSize: 200, mode: 'fast' },
      argument: undefined,
    });
    expect(parse('--volumes', '5,7', '--ratio-size', '0', '--threads', '2', '--mode', 'slow', '--quick')).toEqual({
      kind: 'run',
      options: { volumes: [5, 7], ratioSize: 0, threads: 2, mode: 'slow', quick: true },
      argument: undefined,
    });
  });

  it('refuses an unknown option, suggesting the near one', () => {
    expect(refusal('--volume', '50')).toBe("unknown option '--volume'\n(Did you mean --volumes?)");
    expect(refusal('--bogus')).toBe("unknown option '--bogus'");
  });

  it('refuses a positional word the script does not take', () => {
    expect(refusal('--quick', 'stray')).toBe('unexpected argument "stray": only options here');
  });

  it('refuses an option given twice, a switch as well as a value', () => {
    expect(refusal('--threads', '2', '--threads', '3')).toBe('--threads given 2 times');
    expect(refusal('--quick', '--quick')).toBe('--quick given 2 times');
  });

  it('refuses a value-taking option without its value, at the end or before another option', () => {
    expect(refusal('--volumes')).toBe("option '--volumes <list>' argument missing");
    expect(refusal('--volumes', '--ratio-size', '0')).toBe(
      "option '--volumes <list>' argument '--ratio-size' is invalid. --volumes needs a value, not the option --ratio-size",
    );
    expect(refusal('--threads', '-h')).toContain('--threads needs a value, not the option -h');
    expect(refusal('--mode', '--quick')).toContain("option '--mode <mode>' argument '--quick' is invalid");
  });

  it("refuses a bad value with the checker's reason", () => {
    expect(refusal('--volumes', '10,x')).toBe(
      "option '--volumes <list>' argument '10,x' is invalid. \"x\" is not a whole number from 1 to 1000",
    );
    expect(refusal('--mode', 'medium')).toContain('Allowed choices are fast, slow');
  });

  it('answers --help and -h with the options table and the examples', () => {
    for (const help of ['--help', '-h']) {
      const result = parse('--volumes', '10', help);
      expect(result.kind).toBe('help');
      const text = result.kind === 'help' ? result.text : '';
      expect(text).toContain('Usage: npm run bench:example -- [options]');
      expect(text).toContain('an example bench');
      expect(text).toMatch(/--volumes <list> +rows to run \(default: \[10,20\]\)/);
      expect(text).toMatch(/--quick +one run each/);
      expect(text).toContain('Examples:\n  npm run bench:example -- --volumes 10 --quick');
    }
  });

  it('takes the one positional word a script declares, converted, and no second', () => {
    const withCount: ScriptCommandLine<{ quick: boolean | undefined }, number> = {
      script: 'bench:counted',
      summary: 'counted',
      options: { quick: { flags: '--quick', description: 'quick' } },
      argument: { name: '[sets]', description: 'how many sets', parse: integer(1, 50) },
    };
    expect(parseScriptArgs(withCount, ['--quick', '12'])).toEqual({
      kind: 'run',
      options: { quick: true },
      argument: 12,
    });
    expect(parseScriptArgs(withCount, [])).toEqual({ kind: 'run', options: {}, argument: undefined });
    expect(parseScriptArgs(withCount, ['12', '13'])).toEqual({
      kind: 'usageError',
      message: 'unexpected argument "13": one word only here',
    });
    expect(parseScriptArgs(withCount, ['99'])).toEqual({
      kind: 'usageError',
      message: "command-argument value '99' is invalid for argument 'sets'. \"99\" is not a whole number from 1 to 50",
    });
  });
});

describe('scriptArgs in a process of its own', () => {
  const TINY = fileURLToPath(new URL('./fixtures/tinyScript.ts', import.meta.url));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', TINY, ...args], { encoding: 'utf8', timeout: 20_000 });

  it('prints the usage on --help and exits 0 before doing anything', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: npm run tiny -- [options]');
    expect(result.stdout).toContain('npm run tiny -- --count 5 --quick');
    expect(result.stdout).not.toContain('"options"');
    expect(result.stderr).toBe('');
  }, 20_000);

  it('exits 2 on bad usage with a message naming the script and the option, no stack trace, no work', () => {
    const result = run('--count', '5', '--cuont', '6');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      "tiny: unknown option '--cuont'\n(Did you mean --count?)\n(npm run tiny -- --help lists the options)\n",
    );
  }, 20_000);

  it('runs with the options given', () => {
    const result = run('--count', '5', '--quick');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ options: { count: 5, quick: true } });
  }, 20_000);
});
