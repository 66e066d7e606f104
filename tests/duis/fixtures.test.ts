import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESPONSE_CODE_PROFILE, PUBLIC_CODES, provenanceOf } from '../../harness/duis/responseCodes';
import { DuisValidator } from '../../harness/duis/validator';

const SCHEMA_DIR = new URL('../../harness/duis/schema/', import.meta.url);
const FIXTURES = new URL('../fixtures/duis/', import.meta.url);
const validator = DuisValidator.load();

describe('vendored DUIS 5.4 schema', () => {
  it('is byte-for-byte the files the schema README lists (hashes written there by hand at vendoring)', () => {
    const readme = readFileSync(new URL('README.md', SCHEMA_DIR), 'utf8');
    for (const file of ['DUIS-Schema-V5.4.xsd', 'MMC-Schema-V5.4.xsd', 'xmldsig-core-schema.xsd']) {
      const hash = createHash('sha256')
        .update(readFileSync(new URL(file, SCHEMA_DIR)))
        .digest('hex');
      expect(readme).toContain(`${hash}  ${file}`);
    }
  });

  it('imports the renamed MMC file (the one change from the original)', () => {
    const duis = readFileSync(new URL('DUIS-Schema-V5.4.xsd', SCHEMA_DIR), 'utf8');
    expect(duis).toContain('schemaLocation="MMC-Schema-V5.4.xsd"');
  });

  it('lists in its ResponseCode enumeration every code the gateway can choose', () => {
    const duis = readFileSync(new URL('DUIS-Schema-V5.4.xsd', SCHEMA_DIR), 'utf8');
    const block = /<xs:simpleType name="ResponseCode">([\s\S]*?)<\/xs:simpleType>/.exec(duis)![1];
    const codes = new Set([...block.matchAll(/value="([^"]+)"/g)].map((m) => m[1]));
    const p = DEFAULT_RESPONSE_CODE_PROFILE;
    const chosen = [
      ...Object.values(PUBLIC_CODES),
      p.malformedXml,
      p.schemaInvalid,
      p.bodyMismatch,
      p.unsupportedBySmets1,
      p.counterNotIncreasing,
      p.signatureMissing,
      p.signatureInvalid,
      p.outOfRangeDefault,
      ...Object.values(p.outOfRangeBySrv),
    ];
    for (const code of chosen) expect(codes.has(code), code).toBe(true);
  });
});

describe('response code provenance', () => {
  it('labels the public table, the inferred choice and the assumed settings', () => {
    expect(provenanceOf('role-not-permitted')).toBe('public');
    expect(provenanceOf('unknown-device')).toBe('public');
    expect(provenanceOf('unsupported-by-smets1')).toBe('inferred');
    expect(provenanceOf('schema-invalid')).toBe('assumed');
    expect(provenanceOf('counter-not-increasing')).toBe('assumed');
  });
});

describe('the twelve DUIS response examples (fixtures)', () => {
  it('all validate in one batch', async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml'));
    expect(files).toHaveLength(12);
    const results = await validator.validate(
      files.map((name) => ({ name, xml: readFileSync(new URL(name, FIXTURES), 'utf8') })),
    );
    expect(results.map((r) => [r.name, r.valid])).toEqual(files.map((f) => [f, true]));
  });
});

describe('DuisValidator', () => {
  const ack = readFileSync(new URL('01-ack-I99-8.11.xml', FIXTURES), 'utf8');

  it('reports each document of a batch on its own: valid, schema-invalid with the line, not well-formed', async () => {
    const [good, badCode, malformed, undeclared] = await validator.validate([
      { name: 'good', xml: ack },
      { name: 'bad code', xml: ack.replace('>I99<', '>I7<') },
      { name: 'malformed', xml: '<a><b></a>' },
      { name: 'undeclared prefix', xml: '<x:a/>' },
    ]);
    expect(good).toEqual({ name: 'good', wellFormed: true, valid: true, problems: [] });
    expect(badCode.wellFormed).toBe(true);
    expect(badCode.valid).toBe(false);
    expect(badCode.problems[0].line).toBe(6);
    expect(badCode.problems[0].message).toContain("'I7' is not an element of the set");
    expect(malformed).toMatchObject({ wellFormed: false, valid: false });
    expect(malformed.problems[0].message).toContain('not well-formed XML');
    expect(undeclared.valid).toBe(false);
  });

  it('refuses a document above the size bound without reading it', async () => {
    const huge = `<a>${'x'.repeat(8 * 1024 * 1024)}</a>`;
    const [result] = await validator.validate([{ name: 'huge', xml: huge }]);
    expect(result).toMatchObject({ wellFormed: false, valid: false });
    expect(result.problems[0].message).toBe('document larger than 8388608 bytes');
  });
});
