/**
 * The console report of a run: one line a scenario as it finishes (✓/✗, name, virtual duration, wall time, and
 * under a failed one where and why), a table per pack at the end. On a terminal a progress line shows the
 * scenario running and is rewritten in place; written to a file or a CI log there is none, so logs stay clean.
 */
import { formatVirtualDuration, formatWallMs } from './durations';
import type { RunResult, ScenarioResult, Verdict } from './runResult';
import { byPack, failureLocation, tally, type Tally } from './tally';

/** Where the report goes: process.stdout, or anything with `write` (tests). */
export interface ConsoleOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const MARK: Record<Verdict, string> = { passed: '✓', failed: '✗', error: '✗', skipped: '-' };
/** Erase the terminal line and return to its start. */
const CLEAR_LINE = '\r\x1b[2K';

export class ConsoleReporter {
  private total = 0;
  private done = 0;
  private progressShown = false;

  constructor(private readonly out: ConsoleOutput = process.stdout) {}

  /** Before the first scenario: how many will run (for the progress line). */
  runStarted(scenarioCount: number): void {
    this.total = scenarioCount;
    this.done = 0;
  }

  /** A scenario begins: on a terminal, the progress line names it. */
  scenarioStarted(scenario: Pick<ScenarioResult, 'pack' | 'name'>): void {
    if (!this.out.isTTY) return;
    const line = `[${this.done + 1}/${this.total}] ${scenario.pack} › ${scenario.name}`;
    const width = Math.max(20, (this.out.columns ?? 80) - 1);
    this.out.write(`${CLEAR_LINE}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
    this.progressShown = true;
  }

  scenarioFinished(result: ScenarioResult): void {
    this.clearProgress();
    this.done += 1;
    this.out.write(scenarioLines(result));
  }

  /** After the last scenario: the table. */
  runFinished(run: RunResult): void {
    this.clearProgress();
    this.out.write(summaryTable(run));
    if (run.preflight !== undefined) this.out.write(`far end: ${run.preflight}\n`);
  }

  private clearProgress(): void {
    if (!this.progressShown) return;
    this.out.write(CLEAR_LINE);
    this.progressShown = false;
  }
}

/** One scenario's line, and under a failed, errored or skipped one each reason with its place in the pack. */
function scenarioLines(result: ScenarioResult): string {
  const verdictNote = result.verdict === 'error' ? ' [error]' : result.verdict === 'skipped' ? ' [skipped]' : '';
  const virtual = formatVirtualDuration(result.virtualEndMs - result.virtualStartMs);
  let text = `${MARK[result.verdict]} ${result.pack} › ${result.name}${verdictNote}  (virtual ${virtual}, wall ${formatWallMs(result.wallMs)})\n`;
  for (const failure of result.failures) {
    text += `    ${failure.step} at ${failureLocation(result.file, failure.line, failure.column)}: ${oneLine(failure.message)}\n`;
    if (result.verdict === 'failed') {
      text += `      expected: ${oneLine(failure.expected)}\n      actual:   ${oneLine(failure.actual)}\n`;
    }
  }
  return text;
}

/** The table at the end: a row per pack, a total row, and the verdict of the run. */
function summaryTable(run: RunResult): string {
  const header = ['pack', 'scenarios', 'passed', 'failed', 'errors', 'skipped', 'virtual', 'wall'];
  const row = (name: string, t: Tally): string[] => [
    name,
    String(t.scenarios),
    String(t.passed),
    String(t.failed),
    String(t.error),
    String(t.skipped),
    formatVirtualDuration(t.virtualMs),
    formatWallMs(t.wallMs),
  ];
  const body = [...byPack(run.scenarios)].map(([pack, scenarios]) => row(pack, tally(scenarios)));
  const total = tally(run.scenarios);
  const rows = [header, ...body, row('total', total)];
  const widths = header.map((_, column) => Math.max(...rows.map((r) => r[column].length)));
  // The pack name is left-aligned, the numbers right-aligned.
  const render = (cells: string[]): string =>
    `│ ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' │ ')} │\n`;
  const rule = (left: string, middle: string, right: string): string =>
    `${left}${widths.map((w) => '─'.repeat(w + 2)).join(middle)}${right}\n`;
  const verdict = total.failed + total.error === 0 ? 'PASSED' : 'FAILED';
  return (
    '\n' +
    rule('┌', '┬', '┐') +
    render(header) +
    rule('├', '┼', '┤') +
    body.map(render).join('') +
    rule('├', '┼', '┤') +
    render(rows[rows.length - 1]) +
    rule('└', '┴', '┘') +
    `${verdict}: ${total.scenarios} scenarios, ${total.passed} passed, ${total.failed} failed, ${total.error} errored, ${total.skipped} skipped (seed ${run.seed})\n`
  );
}

/** Console lines stay lines: newlines and tabs in an expectation become spaces. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\t]+\s*/g, ' ').trim();
}
