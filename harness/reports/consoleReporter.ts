/**
 * The console report of a run: how many scenarios will run, one line a scenario as it finishes (`[k/N]`, ✓/✗, name,
 * virtual duration, wall time, and under a failed one where and why), a table per pack at the end, the failures
 * again under it (as pytest and vitest recap them, so a long log need not be scrolled back) and the verdict last.
 * On a terminal a progress line shows the scenario running and is rewritten in place; written to a file or a CI
 * log there is none, so logs stay clean.
 */
import { formatVirtualDuration, formatWallMs } from './durations';
import type { RunResult, ScenarioResult, Verdict } from './runResult';
import { byPack, failureLocation, interruptionText, oneLine, tally, type Tally } from './tally';

/** Where the report goes: process.stdout, or anything with `write` (tests). */
export interface ConsoleOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const MARK: Record<Verdict, string> = { passed: '✓', failed: '✗', error: '✗', skipped: '-' };
/** Erase the terminal line and return to its start. */
export const CLEAR_LINE = '\r\x1b[2K';

export class ConsoleReporter {
  private total = 0;
  private done = 0;
  private progressShown = false;

  constructor(private readonly out: ConsoleOutput = process.stdout) {}

  /** Before the first scenario: how many will run, from how many packs. */
  runStarted(scenarioCount: number, packCount: number): void {
    this.total = scenarioCount;
    this.done = 0;
    this.out.write(`running ${plural(scenarioCount, 'scenario')} from ${plural(packCount, 'pack')}\n`);
  }

  /** A scenario begins: on a terminal, the progress line names it. */
  scenarioStarted(scenario: Pick<ScenarioResult, 'pack' | 'name'>): void {
    if (!this.out.isTTY) return;
    const line = `${this.counter(this.done + 1)} ${scenario.pack} › ${scenario.name}`;
    // A pty with no window size reports 0 columns: unknown, not zero wide.
    const width = Math.max(20, (this.out.columns || 80) - 1);
    this.out.write(`${CLEAR_LINE}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
    this.progressShown = true;
  }

  scenarioFinished(result: ScenarioResult): void {
    this.clearProgress();
    this.done += 1;
    this.out.write(`${this.counter(this.done)} ${scenarioLines(result)}`);
  }

  /** After the last scenario (or an interruption): the table, the failures again, the verdict. */
  runFinished(run: RunResult): void {
    this.clearProgress();
    const farEnd = run.preflight === undefined ? '' : `far end: ${run.preflight}\n`;
    this.out.write(summaryTable(run) + farEnd + failureRecap(run) + verdictLine(run));
  }

  private counter(k: number): string {
    return `[${k}/${this.total}]`;
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

/** The table at the end: a row per pack and a total row. */
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
  const rows = [header, ...body, row('total', tally(run.scenarios))];
  const widths = header.map((_, column) => Math.max(...rows.map((r) => r[column].length)));
  // The pack name is left-aligned, the numbers right-aligned.
  const render = (cells: string[]): string =>
    `│ ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' │ ')} │\n`;
  const rule = (left: string, middle: string, right: string): string =>
    `${left}${widths.map((w) => '─'.repeat(w + 2)).join(middle)}${right}\n`;
  return (
    '\n' +
    rule('┌', '┬', '┐') +
    render(header) +
    rule('├', '┼', '┤') +
    body.map(render).join('') +
    rule('├', '┼', '┤') +
    render(rows[rows.length - 1]) +
    rule('└', '┴', '┘')
  );
}

/** The failed and errored scenarios once more, each with its first reason, after the table. */
function failureRecap(run: RunResult): string {
  const failed = run.scenarios.filter((s) => s.verdict === 'failed' || s.verdict === 'error');
  if (failed.length === 0) return '';
  const lines = failed.map((s) => {
    const first = s.failures[0];
    const reason = first === undefined ? '' : `\n    ${first.step} at ${failureLocation(s.file, first.line, first.column)}: ${oneLine(first.message)}`;
    return `  ✗ ${s.pack} › ${s.name}${s.verdict === 'error' ? ' [error]' : ''}${reason}\n`;
  });
  return `\nfailed (${failed.length}):\n${lines.join('')}\n`;
}

function verdictLine(run: RunResult): string {
  const total = tally(run.scenarios);
  const interruption = interruptionText(run);
  const verdict = interruption !== undefined ? 'INTERRUPTED' : total.failed + total.error === 0 ? 'PASSED' : 'FAILED';
  const note = interruption === undefined ? '' : ` — ${interruption}`;
  return `${verdict}: ${total.scenarios} scenarios, ${total.passed} passed, ${total.failed} failed, ${total.error} errored, ${total.skipped} skipped (seed ${run.seed})${note}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
