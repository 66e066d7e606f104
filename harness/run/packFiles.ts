/**
 * Which pack files `smets1 run PACK|DIR…` means: a file as given, a directory's *.yaml / *.yml files at any depth,
 * sorted, so a run's scenario order (and so `--shard`) is the same on every machine.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function packFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) files.push(path);
    }
  };
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new Error(`${path}: no such pack file or directory`);
    }
    if (isDir) walk(path);
    else files.push(path);
  }
  return files;
}

/** `i/n` (1-based): scenario k of the run (0-based, in run order) belongs to shard (k mod n) + 1. */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!(count >= 1 && index >= 1 && index <= count))
    throw new Error(`"${text}" is not a shard i/n with 1 ≤ i ≤ n (e.g. 2/4)`);
  return { index, count };
}

export function inShard(position: number, shard: { index: number; count: number } | undefined): boolean {
  return shard === undefined || position % shard.count === shard.index - 1;
}

/** The built-in packs `npm start` and tests/packs/builtin*.test.ts run (packs/examples holds the docs' examples). */
export const BUILTIN_PACK_DIRS = ['packs/defects', 'packs/links', 'packs/migration', 'packs/rtds'] as const;
