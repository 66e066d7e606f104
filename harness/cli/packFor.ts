/**
 * `smets1 simulate --pack-for K`: installation K of the population written as a pack (harness/fleet/installationPack.ts)
 * that `smets1 run` migrates as the simulator does, instead of a fleet run. The installation is migrated once here to
 * learn the re-runs a day apart the fleet makes of it (a gas retry, a pending rollback's finish), which a pack lists.
 */
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { replaceFile } from '../../emulator/persistence/atomicFile';
import type { FleetConfig } from '../fleet/config';
import { installationPack } from '../fleet/installationPack';
import { migrateInstallation } from '../fleet/installationRun';
import { fleetInstallation } from '../fleet/population';
import { RULES, type RulesYear } from '../fleet/rules';

/** Writes `<out>/installation-K.yaml` and returns its path. */
export async function writeInstallationPack(
  index: number,
  config: FleetConfig,
  seed: number,
  year: RulesYear,
  out: string,
): Promise<string> {
  const size = config.population.size.value;
  if (index >= size)
    throw new CommanderError(
      2,
      'smets1.usage',
      `smets1 simulate: --pack-for ${index}: the population has ${size} installation(s) (0 to ${size - 1})`,
    );
  const spec = fleetInstallation(config, seed, index);
  const rules = RULES[year];
  const { record, reruns } = await migrateInstallation(spec, config, rules);
  const text = installationPack(spec, config, { year, rules }, seed, { outcome: record.outcome, reruns });
  const file = join(out, `installation-${index}.yaml`);
  replaceFile(file, [text]);
  return file;
}
