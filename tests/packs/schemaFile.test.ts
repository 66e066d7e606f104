/**
 * packs/pack.schema.json is the schema the loader uses, written out; editors read it. The test reads the file from
 * disk and checks it with its own ajv: a stale file fails here, and the examples are valid against what editors see.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { packSchemaJson } from '../../harness/packs/schemaFile';
import { packFiles } from '../../harness/run/packFiles';

const published = readFileSync('packs/pack.schema.json', 'utf8');
/** Every pack under packs/ (the built-in ones and the docs' examples). */
const examples = packFiles(['packs']);

describe('packs/pack.schema.json', () => {
  it('is the loader schema as written by scripts/write-pack-schema.ts (run it when this fails)', () => {
    expect(published).toBe(packSchemaJson());
  });

  it('is draft-07 and accepts every built-in pack, and refuses a pack with an unknown step kind', () => {
    const schema = JSON.parse(published) as Record<string, unknown>;
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const file of examples) {
      const valid = validate(parse(readFileSync(file, 'utf8')));
      expect([file, valid, validate.errors ?? null]).toEqual([file, true, null]);
    }
    expect(
      validate({ name: 'p', bench: { vendor: 'itron' }, scenarios: [{ name: 's', steps: [{ sleep: '1s' }] }] }),
    ).toBe(false);
  });

  it('every built-in pack names it for the YAML language server', () => {
    for (const file of examples) {
      expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../pack.schema.json');
    }
  });
});
