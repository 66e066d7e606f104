/**
 * `smets1 merge DIR… --out DIR`: the shards of one `smets1 simulate` (each DIR holding a shard's run.json and
 * installations.jsonl) scheduled together exactly as the whole run schedules its own records, so fleet.json is the
 * unsharded run's byte for byte. The shards must be of one run (same seed, rules, days, volume, calibration) and
 * together be shards 1..n of n. Exit 0 done, 2 bad input (a missing, foreign or incomplete shard).
 */

import { isDeepStrictEqual } from 'node:util';
import { Command, CommanderError } from 'commander';
import { fleetSummary, writeFleetOutputs, type FleetParameters } from '../fleet/fleetOutputs';
import type { InstallationRecord } from '../fleet/installationRun';
import { readRecords } from '../fleet/recordsFile';
import { readRunFile, reachableInstallations, scheduleRecords } from '../fleet/simulation';
import { makeDirectory } from '../../common/makeDirectory';

function bad(message: string): CommanderError {
  return new CommanderError(2, 'smets1.badShards', `smets1 merge: ${message}`);
}

/** What makes two shards parts of one run. */
function runKey(p: FleetParameters) {
  return { seed: p.seed, rules: p.rules, days: p.days, volume: p.volume ?? null, calibration: p.calibration };
}

export function mergeCommand(out: (line: string) => void): Command {
  return new Command('merge')
    .description(
      'merge the shards of one `smets1 simulate --shard i/n` into its fleet.json, fleet.csv and fleet.html; exit 0 done, 2 bad shards',
    )
    .argument('<dirs...>', "the shards' output directories")
    .option('--out <dir>', 'where the merged outputs are written', 'fleet')
    .action((dirs: string[], options: { out: string }) => {
      const shards = dirs.map((dir) => {
        try {
          return { dir, ...readRunFile(dir) };
        } catch (error) {
          throw bad((error as Error).message);
        }
      });
      const first = shards[0];
      for (const s of shards) {
        if (s.shard === undefined) throw bad(`${s.dir} is a whole run, not a shard`);
        if (!isDeepStrictEqual(runKey(s.parameters), runKey(first.parameters)))
          throw bad(
            `${s.dir} is a shard of another run than ${first.dir} (seed, rules, days, volume or calibration differ)`,
          );
      }
      const count = first.shard!.count;
      const seen = shards.map((s) => s.shard!);
      if (seen.some((s) => s.count !== count))
        throw bad(`the shards do not agree on n: ${seen.map((s) => `${s.index}/${s.count}`).join(', ')}`);
      const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.some((s) => s.index === i));
      const twice = seen.filter((s, k) => seen.findIndex((o) => o.index === s.index) !== k);
      if (missing.length > 0) throw bad(`shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing`);
      if (twice.length > 0) throw bad(`shard ${twice[0].index}/${count} given twice`);
      const records = new Map<number, InstallationRecord>();
      for (const s of shards) {
        let mine: InstallationRecord[];
        try {
          mine = readRecords(s.dir);
        } catch (error) {
          throw bad((error as Error).message);
        }
        for (const record of mine) {
          if (record.index % count !== s.shard!.index - 1)
            throw bad(`${s.dir}: installation ${record.index} is not in shard ${s.shard!.index}/${count}`);
          records.set(record.index, record);
        }
      }
      const expected = reachableInstallations(first.parameters.config, first.parameters.days);
      if (records.size !== expected)
        throw bad(
          `the shards hold ${records.size} installation record(s), the run reaches ${expected}: a shard is incomplete`,
        );
      try {
        makeDirectory(options.out);
      } catch (error) {
        throw new CommanderError(
          2,
          'smets1.usage',
          `smets1 merge: --out ${options.out}: cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        );
      }
      const summary = fleetSummary(first.parameters, scheduleRecords(first.parameters, records));
      writeFleetOutputs(options.out, summary);
      out(
        `merged ${count} shard(s), ${records.size} installation(s): ${options.out}/fleet.json, fleet.csv, fleet.html`,
      );
    });
}
