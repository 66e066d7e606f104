/**
 * Counts of a run, whole and per pack, shared by the console table, the JUnit suites and the HTML summary.
 */
import type { RunResult, ScenarioResult, Verdict } from './runResult';

export interface Tally {
  readonly scenarios: number;
  readonly passed: number;
  readonly failed: number;
  readonly error: number;
  readonly skipped: number;
  readonly wallMs: number;
  /** Sum of the scenarios' virtual durations. */
  readonly virtualMs: number;
}

export function tally(scenarios: readonly ScenarioResult[]): Tally {
  const count = (verdict: Verdict): number => scenarios.filter((s) => s.verdict === verdict).length;
  return {
    scenarios: scenarios.length,
    passed: count('passed'),
    failed: count('failed'),
    error: count('error'),
    skipped: count('skipped'),
    wallMs: scenarios.reduce((sum, s) => sum + s.wallMs, 0),
    virtualMs: scenarios.reduce((sum, s) => sum + (s.virtualEndMs - s.virtualStartMs), 0),
  };
}

/** Scenarios grouped by pack, packs in the order they first appear. */
export function byPack(scenarios: readonly ScenarioResult[]): Map<string, ScenarioResult[]> {
  const groups = new Map<string, ScenarioResult[]>();
  for (const scenario of scenarios) {
    const group = groups.get(scenario.pack);
    if (group) group.push(scenario);
    else groups.set(scenario.pack, [scenario]);
  }
  return groups;
}

/** `file:line:column`, as far as it is known. */
export function failureLocation(file: string, line?: number, column?: number): string {
  if (line === undefined) return file;
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

/** What every report says of a run cut short: `interrupted by SIGINT after 2 of 5 scenarios`; undefined if it was not. */
export function interruptionText(run: RunResult): string | undefined {
  if (run.interrupted === undefined) return undefined;
  return `interrupted by ${run.interrupted.signal} after ${run.scenarios.length} of ${run.interrupted.planned} scenarios`;
}

/** Report lines stay lines: newlines and tabs in an expectation or event become spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\t]+\s*/g, ' ').trim();
}
