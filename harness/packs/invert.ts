/**
 * The pack with every expectation inverted: an expectation that held now fails and one that failed now holds. A
 * pack that passes must fail inverted (issue 10): the proof that its expectations can fail at all.
 */
import type { Pack } from './model';

export function invertPack(pack: Pack): Pack {
  return {
    ...pack,
    scenarios: pack.scenarios.map((scenario) => ({
      ...scenario,
      steps: scenario.steps.map((step) =>
        step.kind === 'expect'
          ? {
              ...step,
              expectations: step.expectations.map((expectation) => ({
                ...expectation,
                inverted: !expectation.inverted,
              })),
            }
          : step,
      ),
    })),
  };
}
