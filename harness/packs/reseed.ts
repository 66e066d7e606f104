/**
 * The pack on another seed (`smets1 run --seed`): the bench of the pack and of each scenario, whose every random
 * choice comes from it, so a run that failed on one seed can be tried on others without editing the file.
 */
import type { Pack } from './model';

export function reseedPack(pack: Pack, seed: number): Pack {
  return {
    ...pack,
    bench: { ...pack.bench, seed },
    scenarios: pack.scenarios.map((scenario) => ({ ...scenario, bench: { ...scenario.bench, seed } })),
  };
}
