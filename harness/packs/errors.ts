/**
 * A pack's problems, each at its place in the file: `FILE:LINE:COLUMN: PATH: what is wrong; expected what`.
 * Every problem of a file is collected (YAML syntax, then the schema, then the checks across fields), so one run
 * shows them all.
 */
import type { SourcePosition } from './positions';

export interface PackProblem extends SourcePosition {
  /** Where in the pack, e.g. `scenarios[0].steps[2].sr.params.JoinTimePeriod`; empty for the file as a whole. */
  readonly path: string;
  /** What is wrong. */
  readonly problem: string;
  /** What was expected instead. */
  readonly expected: string;
}

function formatProblem(problem: PackProblem): string {
  const where = problem.path === '' ? '' : `${problem.path}: `;
  return `${problem.file}:${problem.line}:${problem.column}: ${where}${problem.problem}; expected ${problem.expected}`;
}

/** The message lists this many; `problems` has them all. */
const MAX_PROBLEMS_SHOWN = 50;

/** A pack that cannot be used: every problem found, in file order. */
export class PackError extends Error {
  override readonly name = 'PackError';
  readonly problems: readonly PackProblem[];

  constructor(problems: readonly PackProblem[]) {
    const sorted = sortProblems(problems);
    const shown = sorted.slice(0, MAX_PROBLEMS_SHOWN).map(formatProblem);
    if (sorted.length > MAX_PROBLEMS_SHOWN) shown.push(`… and ${sorted.length - MAX_PROBLEMS_SHOWN} more problems`);
    super(shown.join('\n'));
    this.problems = sorted;
  }
}

function sortProblems(problems: readonly PackProblem[]): PackProblem[] {
  const seen = new Set<string>();
  return [...problems]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .filter((problem) => {
      const text = formatProblem(problem);
      if (seen.has(text)) return false;
      seen.add(text);
      return true;
    });
}

/** A value as a message shows what was found: `the string "abc"`, `the number 300`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'nothing (an empty value)';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return value === '' ? 'an empty string' : `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a map';
}
