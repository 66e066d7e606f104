/**
 * JUnit XML: the exact document for the fixture run (written out by hand), valid against the JUnit shape
 * (tests/reports/junit.xsd, checked by libxml2 through xmllint-wasm), parsed back to the counts a CI server reads,
 * and still well-formed when a device's actual value holds control characters.
 */
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { junitXml } from '../../harness/reports/junitReport';
import type { RunResult } from '../../harness/reports/runResult';
import { fixtureRun } from './fixtureRun';

const expectedXml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="smets1 run" tests="4" failures="1" errors="1" skipped="1" time="0.035" timestamp="2026-11-30T20:00:00.000Z">
  <testsuite name="defects/91342" tests="2" failures="1" errors="0" skipped="0" time="0.028" timestamp="2026-11-30T20:00:00.000Z">
    <properties>
      <property name="seed" value="42"/>
    </properties>
    <testcase name="fix on: join period 300 s accepted" classname="defects/91342" file="packs/defects/91342.yaml" time="0.012"/>
    <testcase name="fix off: join period 300 s refused" classname="defects/91342" file="packs/defects/91342.yaml" time="0.016" line="27">
      <failure message="response code: expected E3, got I0" type="expectation">expect #3 at packs/defects/91342.yaml:27:7
response code: expected E3, got I0
expected: response code E3 (Elster CH refuses joinPeriod &gt; 255)
actual: response code I0</failure>
    </testcase>
  </testsuite>
  <testsuite name="migration/itron-dormant" tests="2" failures="0" errors="1" skipped="1" time="0.007" timestamp="2026-11-30T20:00:00.000Z">
    <properties>
      <property name="seed" value="42"/>
    </properties>
    <testcase name="credential replacement SMSO → DCC" classname="migration/itron-dormant" file="packs/migration/itron-dormant.yaml" time="0.007" line="14">
      <error message="link to the CH closed mid-request" type="error">migrate at packs/migration/itron-dormant.yaml:14
link to the CH closed mid-request
expected: a migration step result
actual: link closed</error>
    </testcase>
    <testcase name="gas retry after GT01" classname="migration/itron-dormant" file="packs/migration/itron-dormant.yaml" time="0.000">
      <skipped message="bench has no gas meter"/>
    </testcase>
  </testsuite>
</testsuites>
`;

const schema = readFileSync(new URL('./junit.xsd', import.meta.url), 'utf8');

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: schema }] });
  return result.errors.map((e) => e.rawMessage);
}

describe('JUnit XML', () => {
  it('is exactly the expected document for the fixture run', () => {
    expect(junitXml(fixtureRun)).toBe(expectedXml);
  });

  it('validates against the JUnit schema shape', async () => {
    expect(await schemaErrors(junitXml(fixtureRun))).toEqual([]);
  });

  it('the schema check can fail: a testcase without its classname is refused', async () => {
    const broken = junitXml(fixtureRun).replace(' classname="defects/91342" file="packs/defects/91342.yaml" time="0.012"', ' file="x" time="0.012"');
    const errors = await schemaErrors(broken);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("The attribute 'classname' is required but missing");
  });

  it('parses back to the suites, cases and outcomes a CI server reads', () => {
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(
      junitXml(fixtureRun),
    );
    const suites = parsed.testsuites.testsuite;
    expect(suites.map((s: { name: string }) => s.name)).toEqual(['defects/91342', 'migration/itron-dormant']);
    expect(suites[0].testcase.map((c: { name: string }) => c.name)).toEqual(['fix on: join period 300 s accepted', 'fix off: join period 300 s refused']);
    expect(suites[0].testcase[1].failure.message).toBe('response code: expected E3, got I0');
    expect(suites[1].testcase[0].error.type).toBe('error');
    expect(suites[1].testcase[1].skipped.message).toBe('bench has no gas meter');
  });

  it('a run against a far end says what was checked of it, as a property of every suite', async () => {
    const xml = junitXml({ ...fixtureRun, preflight: 'not pre-flighted (--no-preflight): nothing checked that tcp:127.0.0.1:7000 is the bench the packs want' });
    expect(xml.match(/<property name="far-end" value="not pre-flighted \(--no-preflight\): nothing checked that tcp:127.0.0.1:7000 is the bench the packs want"\/>/g)).toHaveLength(2);
    expect(await schemaErrors(xml)).toEqual([]);
  });

  it('writes control characters of an actual value as visible escapes and folds a multi-line message', async () => {
    const base = fixtureRun.scenarios[1];
    const run: RunResult = {
      ...fixtureRun,
      scenarios: [{ ...base, failures: [{ ...base.failures[0], message: 'frame mismatch\nsee below', actual: 'bytes \x00\x1b[0m\x7f end' }] }],
    };
    const xml = junitXml(run);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<failure message="frame mismatch see below" type="expectation">');
    expect(xml).toContain('actual: bytes \\x00\\x1b[0m\x7f end</failure>');
    expect(await schemaErrors(xml)).toEqual([]);
  });
});
