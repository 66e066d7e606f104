/**
 * The golden summary of a run of the built-in packs (tests/golden/builtin-run.json, written by
 * scripts/golden-update.ts from what `npm start` runs): per scenario, what a change that trades no accuracy leaves as
 * it is — the verdict, each expectation's outcome, every alert (device, code, time after the scenario's start on the
 * virtual clock) and every DUIS document, request, response and alert alike (its name, which carries a response's
 * code or an alert's, and the sha256 of its exact bytes).
 *
 * Nothing in a document is normalised, because nothing in one varies: two runs of `npm start`'s packs, the second
 * with the wall clock moved 400 days and 3.4 hours on and in another time zone (TZ=Asia/Kolkata), gave run.json files
 * alike in every field but the run's `startedAt` and each scenario's `wallMs` (every time in a document is on the
 * virtual clock, and the signatures over them came out alike too). Those two fields are the only ones left out.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ScenarioResult } from '../../harness/reports/runResult';

export const GOLDEN_FILE = join(import.meta.dirname, 'builtin-run.json');

export interface ScenarioSummary {
  /** The pack file, relative to the repository root (how each tests/packs/builtin*.test.ts finds its share). */
  readonly file: string;
  readonly verdict: string;
  /** Virtual time from the scenario's start to its end. */
  readonly virtualDuration: string;
  /** `expect #4 alert: held: 1 such alert …`, in step order. */
  readonly expectations: readonly string[];
  /** `+90.000 s 00-DB-12-34-56-78-90-A2 0x8F48`: time after the scenario's start, originator, code. */
  readonly alerts: readonly string[];
  /** `003 response 8.11 Update HAN Device Log I0 sha256:…`: position, name (with its code), digest of the bytes. */
  readonly duis: readonly string[];
}

export interface GoldenRun {
  /** How it was made and when it may be made again (README "Tests"). */
  readonly about: string;
  /** The `smets1 run` arguments it was made with: `npm start`'s, with the run written as data. */
  readonly command: string;
  /** By scenario id, in run order. */
  readonly scenarios: Readonly<Record<string, ScenarioSummary>>;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

export function summariseScenario(scenario: ScenarioResult): ScenarioSummary {
  return {
    file: scenario.file,
    verdict: scenario.verdict,
    virtualDuration: seconds(scenario.virtualEndMs - scenario.virtualStartMs),
    expectations: (scenario.expectations ?? []).map((e) => `${e.step}: ${e.passed ? 'held' : 'NOT held'}: ${e.actual}`),
    alerts: scenario.timeline
      .filter((event) => event.lane === 'alerts')
      .map((event) => `+${seconds(event.at - scenario.virtualStartMs)} ${event.device ?? '?'} ${event.code ?? '?'}`),
    duis: scenario.duis.map(
      (doc, k) =>
        `${String(k + 1).padStart(3, '0')} ${doc.name} sha256:${createHash('sha256').update(doc.xml, 'utf8').digest('hex')}`,
    ),
  };
}

export function goldenRun(scenarios: readonly ScenarioResult[], command: string): GoldenRun {
  return {
    about:
      'What the built-in packs give, per scenario, as `npm start` runs them: made by `npm run golden:update`, compared by tests/packs/builtin*.test.ts. ' +
      'Made again only for a deliberate change of behaviour, explained in the commit that changes this file.',
    command,
    scenarios: Object.fromEntries(scenarios.map((scenario) => [scenario.id, summariseScenario(scenario)])),
  };
}

/** One line per item, so that a change of one verdict, alert or document is one line of a diff. */
export function goldenText(golden: GoldenRun): string {
  return `${JSON.stringify(golden, null, 1)}\n`;
}
