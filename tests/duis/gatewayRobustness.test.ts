import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccessControl } from '../../harness/dsp/accessControl';
import { rtdsRegistrationData } from '../../harness/dsp/registrationData';
import { DuisGateway } from '../../harness/duis/gateway';
import { DuisValidator } from '../../harness/duis/validator';

const require = createRequire(import.meta.url);
const TEMPLATE_DIR = join(dirname(require.resolve('@smartdcc/duis-templates/package.json')), 'templates');
const SOURCES = [
  'CCS01_8.11_SUCCESS_REQUEST_DUIS.XML',
  'ECS29a_6.5_SUCCESS_REQUEST_DUIS.XML',
  'CS02bNOByNO_6.15.1_SUCCESS_REQUEST_DUIS.XML',
].map((n) => readFileSync(join(TEMPLATE_DIR, n), 'utf8'));
const schemaText = readFileSync(new URL('../../harness/duis/schema/DUIS-Schema-V5.4.xsd', import.meta.url), 'utf8');
const RESPONSE_CODES = new Set(
  [
    .../<xs:simpleType name="ResponseCode">([\s\S]*?)<\/xs:simpleType>/
      .exec(schemaText)![1]
      .matchAll(/value="([^"]+)"/g),
  ].map((m) => m[1]),
);

/** A template with one edit: a character replaced, a range deleted, or a range repeated. */
const mutated = fc
  .record({
    source: fc.integer({ min: 0, max: SOURCES.length - 1 }),
    kind: fc.constantFrom('replace', 'delete', 'repeat'),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 40 }),
    char: fc.constantFrom('<', '>', '&', '"', '/', ':', '-', '9', 'x', ' ', '\u00e9'),
  })
  .map(({ source, kind, at, length, char }) => {
    const xml = SOURCES[source];
    const i = at % xml.length;
    if (kind === 'replace') return xml.slice(0, i) + char + xml.slice(i + 1);
    if (kind === 'delete') return xml.slice(0, i) + xml.slice(i + length);
    return xml.slice(0, i + length) + xml.slice(i, i + length) + xml.slice(i + length);
  });

describe('DuisGateway on damaged requests', () => {
  it('never throws: every one of 150 seeded mutations is admitted or refused with a schema code and a valid response', async () => {
    const inputs = fc.sample(mutated, { seed: 9342, numRuns: 150 });
    const validator = DuisValidator.load();
    const gateway = new DuisGateway({
      validator,
      accessControl: new AccessControl(rtdsRegistrationData(), { slotCheck: 'slot-certificate' }),
      now: () => new Date('2025-06-02T10:00:00.000Z'),
    });
    const admissions = await gateway.admitAll(inputs);
    const responses = admissions.map((a, i) => ({ name: `mutation ${i}`, xml: a.ok ? a.acknowledgement : a.response }));
    for (const a of admissions) if (!a.ok) expect(RESPONSE_CODES.has(a.code), a.code).toBe(true);
    expect((await validator.validate(responses)).filter((r) => !r.valid)).toEqual([]);
    // the mutations are not all harmless: most are refused, and more than one kind of fault is found
    const kinds = new Set(admissions.filter((a) => !a.ok).map((a) => (a.ok ? '' : a.kind)));
    expect(kinds.size).toBeGreaterThanOrEqual(3);
  });
});
