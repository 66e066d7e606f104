/**
 * JUnit XML: the exact documents for the fixture run (written out by hand) in both forms; the default form valid
 * against the real schemas of the two strict consumers, vendored in tests/fixtures/junit/ (the Jenkins xUnit
 * plugin's junit-10.xsd and Maven Surefire's report schema), the per-pack form against the project's own shape
 * (tests/reports/junit.xsd), all checked by libxml2 through xmllint-wasm; parsed back to the counts a CI server
 * reads, and still well-formed when a device's actual value holds control characters.
 */
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { junitXml } from '../../harness/reports/junitReport';
import type { RunResult } from '../../harness/reports/runResult';
import { fixtureRun } from './fixtureRun';

const scenarioLogs = {
  fixOn: `file: packs/defects/91342.yaml
virtual duration: 5m 00.5s (2026-01-01 00:00:00.000 to 2026-01-01 00:05:00.500 UTC)
2026-01-01 00:00:00.000  stimulus   PPMID power on
2026-01-01 00:00:01.000  duis       8.11 request
2026-01-01 00:00:01.200  frames     hanLogAdd → CH: joinPeriod 300
2026-01-01 00:00:01.450  frames     hanLogAdd response ← CH
2026-01-01 00:00:02.000  duis       8.11 response I0
2026-01-01 00:05:00.500  expect     response code I0</system-out>`,
  fixOff: `file: packs/defects/91342.yaml
virtual duration: 1h 00m 02s (2026-01-01 00:00:00.000 to 2026-01-01 01:00:02.000 UTC)
2026-01-01 00:00:01.000  duis       8.11 request
2026-01-01 00:00:01.000 to 2026-01-01 00:30:00.000  migration  WAN pre-check
2026-01-01 00:00:02.000  duis       8.11 response I0
2026-01-01 00:01:00.000  alerts     alert 0x8F3E: &lt;b&gt;not bold&lt;/b&gt; &amp; &quot;quoted&quot;
2026-01-01 01:00:02.000  expect     response code E3: got I0  ✗</system-out>`,
  smso: `file: packs/migration/itron-dormant.yaml
virtual duration: 2h 03m 07.25s (2026-01-01 00:00:00.000 to 2026-01-01 02:03:07.250 UTC)
2026-01-01 00:00:00.000 to 2026-01-01 02:03:07.250  migration  credential replacement</system-out>`,
  gas: `file: packs/migration/itron-dormant.yaml
virtual duration: 0ms (2026-01-01 00:00:00.000 to 2026-01-01 00:00:00.000 UTC)</system-out>`,
};

const fixOffFailure = `<failure message="response code: expected E3, got I0" type="expectation">expect #3 at packs/defects/91342.yaml:27:7
response code: expected E3, got I0
expected: response code E3 (Elster CH refuses joinPeriod &gt; 255)
actual: response code I0</failure>`;
const smsoError = `<error message="link to the CH closed mid-request" type="error">migrate at packs/migration/itron-dormant.yaml:14
link to the CH closed mid-request
expected: a migration step result
actual: link closed</error>`;

/** The default form: one testsuite, nothing either strict schema lacks. */
const expectedSingleSuite = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="smets1 run" tests="4" failures="1" errors="1" skipped="1" time="0.035">
  <properties>
    <property name="seed" value="42"/>
    <property name="timestamp" value="2026-11-30T20:00:00.000Z"/>
    <property name="packs" value="packs/defects/91342.yaml, packs/migration/itron-dormant.yaml"/>
  </properties>
  <testcase name="fix on: join period 300 s accepted" classname="defects/91342" time="0.012">
    <system-out>${scenarioLogs.fixOn}
  </testcase>
  <testcase name="fix off: join period 300 s refused" classname="defects/91342" time="0.016">
    ${fixOffFailure}
    <system-out>${scenarioLogs.fixOff}
  </testcase>
  <testcase name="credential replacement SMSO → DCC" classname="migration/itron-dormant" time="0.007">
    ${smsoError}
    <system-out>${scenarioLogs.smso}
  </testcase>
  <testcase name="gas retry after GT01" classname="migration/itron-dormant" time="0.000">
    <skipped message="bench has no gas meter"/>
    <system-out>${scenarioLogs.gas}
  </testcase>
</testsuite>
`;

/** --junit-form testsuites: a suite per pack, file and line on each testcase, timestamps. */
const expectedSuitePerPack = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="smets1 run" tests="4" failures="1" errors="1" skipped="1" time="0.035" timestamp="2026-11-30T20:00:00.000Z">
  <testsuite name="defects/91342" tests="2" failures="1" errors="0" skipped="0" time="0.028" timestamp="2026-11-30T20:00:00.000Z">
    <properties>
      <property name="seed" value="42"/>
    </properties>
    <testcase name="fix on: join period 300 s accepted" classname="defects/91342" file="packs/defects/91342.yaml" time="0.012">
      <system-out>${scenarioLogs.fixOn}
    </testcase>
    <testcase name="fix off: join period 300 s refused" classname="defects/91342" file="packs/defects/91342.yaml" time="0.016" line="27">
      ${fixOffFailure}
      <system-out>${scenarioLogs.fixOff}
    </testcase>
  </testsuite>
  <testsuite name="migration/itron-dormant" tests="2" failures="0" errors="1" skipped="1" time="0.007" timestamp="2026-11-30T20:00:00.000Z">
    <properties>
      <property name="seed" value="42"/>
    </properties>
    <testcase name="credential replacement SMSO → DCC" classname="migration/itron-dormant" file="packs/migration/itron-dormant.yaml" time="0.007" line="14">
      ${smsoError}
      <system-out>${scenarioLogs.smso}
    </testcase>
    <testcase name="gas retry after GT01" classname="migration/itron-dormant" file="packs/migration/itron-dormant.yaml" time="0.000">
      <skipped message="bench has no gas meter"/>
      <system-out>${scenarioLogs.gas}
    </testcase>
  </testsuite>
</testsuites>
`;

const readSchema = (url: URL) => readFileSync(url, 'utf8');
const SCHEMAS = {
  /** The Jenkins xUnit plugin's (tests/fixtures/junit/ORIGIN.md). */
  jenkins: readSchema(new URL('../fixtures/junit/junit-10.xsd', import.meta.url)),
  /** Maven Surefire's (tests/fixtures/junit/ORIGIN.md). */
  surefire: readSchema(new URL('../fixtures/junit/surefire-test-report-3.0.xsd', import.meta.url)),
  /** The project's own, for the per-pack form. */
  project: readSchema(new URL('./junit.xsd', import.meta.url)),
};

async function schemaErrors(xml: string, schema: keyof typeof SCHEMAS = 'project'): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: `${schema}.xsd`, contents: SCHEMAS[schema] }] });
  return result.errors.map((e) => e.rawMessage);
}

const interrupted: RunResult = { ...fixtureRun, interrupted: { signal: 'SIGINT', planned: 9 } };

describe('JUnit XML', () => {
  it('by default is exactly the one-testsuite document for the fixture run', () => {
    expect(junitXml(fixtureRun)).toBe(expectedSingleSuite);
  });

  it('--junit-form testsuites is exactly the suite-per-pack document', () => {
    expect(junitXml(fixtureRun, 'testsuites')).toBe(expectedSuitePerPack);
  });

  it.each(['jenkins', 'surefire'] as const)('the default form validates against the %s schema, interrupted or not', async (schema) => {
    expect(await schemaErrors(junitXml(fixtureRun), schema)).toEqual([]);
    expect(await schemaErrors(junitXml(interrupted), schema)).toEqual([]);
  });

  it('an interrupted run says so in its properties, in both forms', () => {
    const property = '<property name="interrupted" value="interrupted by SIGINT after 4 of 9 scenarios"/>';
    expect(junitXml(interrupted)).toContain(`<property name="packs" value="packs/defects/91342.yaml, packs/migration/itron-dormant.yaml"/>\n    ${property}\n  </properties>`);
    expect(junitXml(interrupted, 'testsuites').split(property)).toHaveLength(3);
  });

  it('the per-pack form validates against the project\'s JUnit shape', async () => {
    expect(await schemaErrors(junitXml(fixtureRun, 'testsuites'))).toEqual([]);
  });

  it('the strict schemas refuse what the default form leaves out: file and line on a testcase, a testsuites root', async () => {
    const jenkins = await schemaErrors(junitXml(fixtureRun, 'testsuites'), 'jenkins');
    expect(jenkins.some((e) => e.includes("The attribute 'file' is not allowed"))).toBe(true);
    expect(jenkins.some((e) => e.includes("The attribute 'timestamp' is not allowed"))).toBe(true);
    const surefire = await schemaErrors(junitXml(fixtureRun, 'testsuites'), 'surefire');
    expect(surefire.some((e) => e.includes("No matching global declaration available for the validation root"))).toBe(true);
    const withTimestamp = junitXml(fixtureRun).replace('<testsuite name="smets1 run"', '<testsuite timestamp="2026-11-30T20:00:00.000Z" name="smets1 run"');
    expect((await schemaErrors(withTimestamp, 'surefire')).some((e) => e.includes("The attribute 'timestamp' is not allowed"))).toBe(true);
  });

  it('the schema check can fail: a testcase without its classname is refused', async () => {
    const broken = junitXml(fixtureRun, 'testsuites').replace(' classname="defects/91342" file="packs/defects/91342.yaml" time="0.012"', ' file="x" time="0.012"');
    const errors = await schemaErrors(broken);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("The attribute 'classname' is required but missing");
  });

  it('parses back to the suites, cases and outcomes a CI server reads', () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) });
    const single = parser.parse(junitXml(fixtureRun)).testsuite[0];
    expect([single.tests, single.failures, single.errors, single.skipped]).toEqual(['4', '1', '1', '1']);
    expect(single.testcase.map((c: { classname: string }) => c.classname)).toEqual(['defects/91342', 'defects/91342', 'migration/itron-dormant', 'migration/itron-dormant']);
    const suites = parser.parse(junitXml(fixtureRun, 'testsuites')).testsuites.testsuite;
    expect(suites.map((s: { name: string }) => s.name)).toEqual(['defects/91342', 'migration/itron-dormant']);
    expect(suites[0].testcase.map((c: { name: string }) => c.name)).toEqual(['fix on: join period 300 s accepted', 'fix off: join period 300 s refused']);
    expect(suites[0].testcase[1].failure.message).toBe('response code: expected E3, got I0');
    expect(suites[1].testcase[0].error.type).toBe('error');
    expect(suites[1].testcase[1].skipped.message).toBe('bench has no gas meter');
  });

  it('a run against a far end says what was checked of it, as a property of every suite', async () => {
    const run = { ...fixtureRun, preflight: 'not pre-flighted (--no-preflight): nothing checked that tcp:127.0.0.1:7000 is the bench the packs want' };
    const property = /<property name="far-end" value="not pre-flighted \(--no-preflight\): nothing checked that tcp:127.0.0.1:7000 is the bench the packs want"\/>/g;
    expect(junitXml(run).match(property)).toHaveLength(1);
    expect(junitXml(run, 'testsuites').match(property)).toHaveLength(2);
    expect(await schemaErrors(junitXml(run), 'jenkins')).toEqual([]);
    expect(await schemaErrors(junitXml(run), 'surefire')).toEqual([]);
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
    expect(await schemaErrors(xml, 'jenkins')).toEqual([]);
    expect(await schemaErrors(xml, 'surefire')).toEqual([]);
  });
});
