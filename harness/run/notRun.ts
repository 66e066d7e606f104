/**
 * The result of a scenario a run planned and did not run (`--bail` stopped it first): `skipped`, with the reason,
 * so every report lists what was not run rather than leaving it out.
 */
import type { Pack, Scenario } from '../packs/model';
import type { ScenarioResult } from '../reports/runResult';
import { scenarioId } from './executor';

export function notRun(pack: Pack, scenario: Scenario, reason: string, displayFile: string): ScenarioResult {
  return {
    id: scenarioId(pack, scenario),
    pack: pack.name,
    file: displayFile,
    name: scenario.name,
    seed: scenario.bench.seed,
    verdict: 'skipped',
    wallMs: 0,
    virtualStartMs: 0,
    virtualEndMs: 0,
    failures: [
      {
        step: 'run',
        line: scenario.position.line,
        column: scenario.position.column,
        expected: 'the scenario to run',
        actual: reason,
        message: reason,
      },
    ],
    timeline: [],
    duis: [],
  };
}
