/**
 * Which files `smets1 run PACK|DIR…` runs and how `--shard i/n` splits the scenarios: sorted at every depth, the
 * same split on every machine, every scenario in exactly one shard.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_PACK_DIRS, inShard, packFiles, parseShard } from '../../harness/run/packFiles';

const dir = mkdtempSync(join(tmpdir(), 'smets1-packs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pack files', () => {
  it('a directory gives its .yaml and .yml files at any depth, sorted by name; a file is taken as given', () => {
    mkdirSync(join(dir, 'b'));
    for (const file of ['z.yaml', 'a.yml', 'notes.txt', 'b/c.yaml']) writeFileSync(join(dir, file), '');
    expect(packFiles([dir]).map((f) => f.slice(dir.length + 1))).toEqual(['a.yml', 'b/c.yaml', 'z.yaml']);
    expect(packFiles([join(dir, 'notes.txt')])).toEqual([join(dir, 'notes.txt')]);
  });

  it('a path that does not exist is named', () => {
    expect(() => packFiles([join(dir, 'missing')])).toThrow(`${join(dir, 'missing')}: no such pack file or directory`);
  });
});

describe('--shard i/n', () => {
  it('scenario k is in shard (k mod n) + 1', () => {
    const shard = parseShard('2/3');
    expect(shard).toEqual({ index: 2, count: 3 });
    expect([0, 1, 2, 3, 4, 5, 6].filter((k) => inShard(k, shard))).toEqual([1, 4]);
    expect([0, 1, 2].filter((k) => inShard(k, undefined))).toEqual([0, 1, 2]);
  });

  it('every scenario is in exactly one shard', () => {
    const count = 4;
    for (let k = 0; k < 20; k++) {
      expect([1, 2, 3, 4].filter((index) => inShard(k, { index, count })).length).toBe(1);
    }
  });

  it.each(['0/2', '3/2', '1/0', '1', 'a/b', '1/2/3', ' 1/2'])('refuses %j', (text) => {
    expect(() => parseShard(text)).toThrow(`"${text}" is not a shard i/n with 1 ≤ i ≤ n (e.g. 2/4)`);
  });
});

describe('the built-in pack tests', () => {
  it('one tests/packs/builtin*.test.ts runs each directory of BUILTIN_PACK_DIRS, so a new directory is not left out', () => {
    const dirs = readdirSync('tests/packs')
      .filter((name) => /^builtin.*\.test\.ts$/.test(name))
      .map((name) => /builtinPackSuite\('([^']+)'\)/.exec(readFileSync(`tests/packs/${name}`, 'utf8'))?.[1])
      .sort();
    expect(dirs).toEqual([...BUILTIN_PACK_DIRS].sort());
  });
});
