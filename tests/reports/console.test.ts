/**
 * The console reporter's exact text, written out by hand from the fixture run (not computed by the reporter's
 * helpers): scenario lines, the table, and the progress line only on a terminal.
 */
import { describe, expect, it } from 'vitest';
import { ConsoleReporter, type ConsoleOutput } from '../../harness/reports/consoleReporter';
import { formatVirtualDuration, formatWallMs } from '../../harness/reports/durations';
import { fixtureRun } from './fixtureRun';

class Captured implements ConsoleOutput {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns = 80,
  ) {}
  write(text: string): void {
    this.text += text;
  }
}

function report(out: Captured): string {
  const reporter = new ConsoleReporter(out);
  reporter.runStarted(fixtureRun.scenarios.length, 2);
  for (const scenario of fixtureRun.scenarios) {
    reporter.scenarioStarted(scenario);
    reporter.scenarioFinished(scenario);
  }
  reporter.runFinished(fixtureRun);
  return out.text;
}

const expectedLog = `running 4 scenarios from 2 packs
[1/4] ✓ defects/91342 › fix on: join period 300 s accepted  (virtual 5m 00.5s, wall 12ms)
[2/4] ✗ defects/91342 › fix off: join period 300 s refused  (virtual 1h 00m 02s, wall 16ms)
    expect #3 at packs/defects/91342.yaml:27:7: response code: expected E3, got I0
      expected: response code E3 (Elster CH refuses joinPeriod > 255)
      actual:   response code I0
[3/4] ✗ migration/itron-dormant › credential replacement SMSO → DCC [error]  (virtual 2h 03m 07.25s, wall 7ms)
    migrate at packs/migration/itron-dormant.yaml:14: link to the CH closed mid-request
[4/4] - migration/itron-dormant › gas retry after GT01 [skipped]  (virtual 0ms, wall 0ms)
    bench at packs/migration/itron-dormant.yaml: bench has no gas meter

┌─────────────────────────┬───────────┬────────┬────────┬────────┬─────────┬───────────────┬──────┐
│ pack                    │ scenarios │ passed │ failed │ errors │ skipped │       virtual │ wall │
├─────────────────────────┼───────────┼────────┼────────┼────────┼─────────┼───────────────┼──────┤
│ defects/91342           │         2 │      1 │      1 │      0 │       0 │  1h 05m 02.5s │ 28ms │
│ migration/itron-dormant │         2 │      0 │      0 │      1 │       1 │ 2h 03m 07.25s │  7ms │
├─────────────────────────┼───────────┼────────┼────────┼────────┼─────────┼───────────────┼──────┤
│ total                   │         4 │      1 │      1 │      1 │       1 │ 3h 08m 09.75s │ 35ms │
└─────────────────────────┴───────────┴────────┴────────┴────────┴─────────┴───────────────┴──────┘

failed (2):
  ✗ defects/91342 › fix off: join period 300 s refused
    expect #3 at packs/defects/91342.yaml:27:7: response code: expected E3, got I0
  ✗ migration/itron-dormant › credential replacement SMSO → DCC [error]
    migrate at packs/migration/itron-dormant.yaml:14: link to the CH closed mid-request

FAILED: 4 scenarios, 1 passed, 1 failed, 1 errored, 1 skipped (seed 42)
`;

describe('console reporter', () => {
  it('writes one line a scenario, reasons under the failed ones, and the table; no control codes off a terminal', () => {
    expect(report(new Captured(false))).toBe(expectedLog);
  });

  it('on a terminal shows a progress line, cut to the width, and erases it before each result line', () => {
    const text = report(new Captured(true, 40));
    const clear = '\r\x1b[2K';
    expect(text.startsWith(`running 4 scenarios from 2 packs\n${clear}[1/4] defects/91342 › fix on: join per…${clear}[1/4] ✓ defects/91342 › fix on`)).toBe(true);
    expect(text).toContain(`${clear}[2/4] defects/91342 › fix off: join pe…${clear}[2/4] ✗ defects/91342 › fix off`);
    expect(text).toContain(`${clear}[4/4] migration/itron-dormant › gas re…${clear}[4/4] - migration/itron-dormant`);
    // Without the progress lines and erasures it is exactly the log.
    expect(text.replace(/\r\x1b\[2K(\[\d\/4\][^\r\n]*(?=\r))?/g, '')).toBe(expectedLog);
  });

  it('on a pty that reports 0 columns (no window size) the progress line keeps 80 columns, not 20', () => {
    const text = report(new Captured(true, 0));
    expect(text).toContain('\r\x1b[2K[2/4] defects/91342 › fix off: join period 300 s refused\r\x1b[2K');
  });

  it('an interrupted run says so in its verdict', () => {
    const out = new Captured(false);
    new ConsoleReporter(out).runFinished({ ...fixtureRun, scenarios: [fixtureRun.scenarios[0]], interrupted: { signal: 'SIGINT', planned: 4 } });
    expect(out.text.endsWith('┘\nINTERRUPTED: 1 scenarios, 1 passed, 0 failed, 0 errored, 0 skipped (seed 42) — interrupted by SIGINT after 1 of 4 scenarios\n')).toBe(true);
  });

  it('says PASSED when nothing failed or errored', () => {
    const out = new Captured(false);
    new ConsoleReporter(out).runFinished({ ...fixtureRun, scenarios: [fixtureRun.scenarios[0]] });
    expect(out.text.endsWith('PASSED: 1 scenarios, 1 passed, 0 failed, 0 errored, 0 skipped (seed 42)\n')).toBe(true);
  });
});

describe('wall durations', () => {
  it.each([
    [12.4, '12ms'],
    [999.4, '999ms'],
    [999.6, '1s'],
    [1_234, '1.2s'],
    [644_103, '10m 44.1s'],
    [3_723_000, '1h 02m 03s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatWallMs(ms)).toBe(text);
  });
});

describe('virtual durations', () => {
  it.each([
    [0, '0ms'],
    [999.4, '999ms'],
    [999.6, '1s'],
    [12_500, '12.5s'],
    [59_999, '59.999s'],
    [60_000, '1m 00s'],
    [61_050, '1m 01.05s'],
    [3_600_000, '1h 00m 00s'],
    [90_061_001, '25h 01m 01.001s'],
    [-1_500, '-1.5s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatVirtualDuration(ms)).toBe(text);
  });
});
