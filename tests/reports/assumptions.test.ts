/**
 * Assumed values where users look: the one registry (common/assumptions.ts), the values in force on a bench
 * (harness/bench/assumptionsInForce.ts), and where they show: report.html's section, junit.xml's properties (still
 * valid for Jenkins xUnit and Surefire), `smets1 run`'s reports and `smets1 repro`'s report (its printed form: tests/cli/duisCommands.test.ts). Expected values are
 * written from the profiles' and settings' documented figures, not read from the registry.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { assumed, assumption } from '../../common/assumptions';
import { assumptionsOfBenches, assumptionsInForce, type BenchFacts } from '../../harness/bench/assumptionsInForce';
import { repro91342 } from '../../harness/bench/repro91342';
import { DEFAULT_RESPONSE_CODE_PROFILE } from '../../harness/duis/responseCodes';
import { reportHtml } from '../../harness/reports/htmlReport';
import { junitXml } from '../../harness/reports/junitReport';
import type { RunResult } from '../../harness/reports/runResult';
import { s1spSettings } from '../../harness/s1sp/harnessQuirks';
import { fixtureRun } from './fixtureRun';
import { smets1Printed } from '../support/cli';

const names = (facts: BenchFacts) => assumptionsInForce(facts).map((a) => a.name);
const bench = (overrides: Partial<BenchFacts> = {}): BenchFacts => ({ vendor: 'itron', emulatedDevices: true, s1sp: s1spSettings(), migrated: false, ...overrides });

describe('the registry of assumed values', () => {
  it('returns the value it registers, and the code reads that registration', () => {
    expect(assumed('test.registry.answer', 42, 'a test')).toBe(42);
    expect(assumption('test.registry.answer')).toEqual({ name: 'test.registry.answer', value: 42, source: 'a test' });
    expect(s1spSettings().missingResponseCodeRate).toBe(0.02);
    expect(assumption('s1sp.missingResponseCodeRate').value).toBe(0.02);
    expect(DEFAULT_RESPONSE_CODE_PROFILE.counterNotIncreasing).toBe('E42');
    expect(assumption('duis.responseCode.counterNotIncreasing').value).toBe('E42');
  });

  it('refuses a second registration with another value, and names an unknown one', () => {
    assumed('test.registry.twice', 1, 'first');
    expect(assumed('test.registry.twice', 1, 'first')).toBe(1);
    expect(() => assumed('test.registry.twice', 2, 'first')).toThrow('assumed value test.registry.twice registered twice with different values: 1 and 2');
    expect(() => assumption('test.registry.nothing')).toThrow('no assumed value is registered as test.registry.nothing');
  });
});

describe('the assumed values in force on a bench', () => {
  it("lists the Itron ESME's risk-11 thresholds only on an Itron bench with emulated devices", () => {
    const itron = assumptionsInForce(bench());
    expect(itron.find((a) => a.name === 'itron.esme.voltageDefaults.averageOverThreshold')?.value).toBe(236.9);
    expect(itron.find((a) => a.name === 'itron.esme.powerFactorThreshold')?.value).toBe(0.95);
    expect(names(bench()).some((n) => n.startsWith('elster.'))).toBe(false);
    const elster = names(bench({ vendor: 'elster' }));
    expect(elster).toContain('elster.joinWindowMax');
    expect(elster.some((n) => n.startsWith('itron.'))).toBe(false);
    expect(names(bench({ emulatedDevices: false })).some((n) => n.startsWith('itron.'))).toBe(false);
  });

  it("takes the S1SP's rates only while they are the assumed ones", () => {
    expect(names(bench())).toEqual(expect.arrayContaining(['s1sp.missingResponseCodeRate', 's1sp.alertThrottle']));
    expect(names(bench({ s1sp: s1spSettings({ fixes: new Set(['response-code-always']) }) }))).not.toContain('s1sp.missingResponseCodeRate');
    expect(names(bench({ s1sp: s1spSettings({ missingResponseCodeRate: 0 }) }))).not.toContain('s1sp.missingResponseCodeRate');
    expect(names(bench({ s1sp: s1spSettings({ throttle: { windowMs: 60_000, maxPerWindow: 11 } }) }))).not.toContain('s1sp.alertThrottle');
  });

  it("adds the SMSO's inventory and the migration's product list, durations and retry wait for the bench's vendor when it migrated", () => {
    expect(names(bench()).some((n) => n.startsWith('migration.'))).toBe(false);
    expect(names(bench({ vendor: 'elster', migrated: true })).filter((n) => n.startsWith('migration.'))).toEqual([
      'migration.smsoInventory.elster',
      'migration.eligibleProducts.elster',
      'migration.phaseDurations.elster',
      'migration.retryIntervalMs',
    ]);
  });

  it('writes each value once, as text', () => {
    const values = assumptionsOfBenches([assumptionsInForce(bench()), assumptionsInForce(bench({ migrated: true }))]);
    expect(values.filter((v) => v.name === 'itron.joinWindowMax')).toHaveLength(1);
    expect(values.find((v) => v.name === 'migration.retryIntervalMs')).toMatchObject({ value: '86400000' });
    expect(values.find((v) => v.name === 's1sp.alertThrottle')).toMatchObject({ value: '{"windowMs":60000,"maxPerWindow":10}' });
    expect(values.find((v) => v.name === 'itron.devices.ESME.firmwareVersion')).toMatchObject({ value: 'ITRON-ESME-02.11.00' });
  });
});

const withAssumptions: RunResult = {
  ...fixtureRun,
  assumptions: [
    { name: 'itron.esme.voltageDefaults.swellThreshold', value: '239.2', source: 'Itron pre-migration threshold, not public' },
    { name: 'duis.responseCode.outOfRangeBySrv', value: '{"8.11":"E081101"}', source: 'meanings <not> public & assumed' },
  ],
};

describe('report.html', () => {
  it('lists the assumed values in their own section, escaped, linked from the header', () => {
    const html = reportHtml(withAssumptions);
    expect(html).toContain('<a href="#assumptions">2 assumed values</a>');
    expect(html).toContain('<section id="assumptions">\n<h2>Assumed values</h2>');
    expect(html).toContain(
      '<tr><td class="where">itron.esme.voltageDefaults.swellThreshold</td><td class="where">239.2</td><td>Itron pre-migration threshold, not public</td></tr>',
    );
    expect(html).toContain('<td class="where">{&quot;8.11&quot;:&quot;E081101&quot;}</td><td>meanings &lt;not&gt; public &amp; assumed</td>');
  });

  it('has no such section for a run without assumptions', () => {
    expect(reportHtml(fixtureRun)).not.toContain('id="assumptions"');
  });
});

const SCHEMAS = {
  jenkins: readFileSync(new URL('../fixtures/junit/junit-10.xsd', import.meta.url), 'utf8'),
  surefire: readFileSync(new URL('../fixtures/junit/surefire-test-report-3.0.xsd', import.meta.url), 'utf8'),
};

describe('junit.xml', () => {
  it('carries each assumed value as an assumed:<name> property of the default form', () => {
    expect(junitXml(withAssumptions)).toContain(
      '    <property name="packs" value="packs/defects/91342.yaml, packs/migration/itron-dormant.yaml"/>\n' +
        '    <property name="assumed:itron.esme.voltageDefaults.swellThreshold" value="239.2 (Itron pre-migration threshold, not public)"/>\n' +
        '    <property name="assumed:duis.responseCode.outOfRangeBySrv" value="{&quot;8.11&quot;:&quot;E081101&quot;} (meanings &lt;not&gt; public &amp; assumed)"/>\n' +
        '  </properties>',
    );
  });

  it.each(['jenkins', 'surefire'] as const)('still validates against the %s schema', async (schema) => {
    const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: junitXml(withAssumptions) }], schema: [{ fileName: `${schema}.xsd`, contents: SCHEMAS[schema] }] });
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
  });
});

describe('smets1 run and smets1 repro', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smets1-assumed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("smets1 run's junit.xml and report.html name what an Elster bench with response-code-always assumed", async () => {
    const pack = join(dir, 'pack.yaml');
    writeFileSync(pack, 'name: p\nbench: { vendor: elster, fixes: { response-code-always: true } }\nscenarios:\n  - name: s\n    steps:\n      - sr: { template: ECS45_7.4_SUCCESS }\n      - expect: { response: I0 }\n');
    const out = join(dir, 'reports');
    const result = await smets1Printed('run', pack, '--reporter', 'junit', '--reporter', 'html', '--out', out);
    expect(result.status, result.stderr).toBe(0);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('<property name="assumed:elster.ppmid.joinRetryInterval" value="60 (seconds from a failed join attempt to the next');
    expect(junit).toContain('<property name="assumed:elster.esme.voltageDefaults.swellThreshold" value="258.8 (230 V +12.5%)"/>');
    expect(junit).toContain('<property name="assumed:duis.responseCode.malformedXml" value="E40 (assumed: the DUIS response-code table publishes I0-E30');
    expect(junit).not.toContain('assumed:itron.');
    expect(junit).not.toContain('assumed:s1sp.missingResponseCodeRate');
    expect(junit).not.toContain('assumed:migration.');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<td class="where">elster.esme.voltageDefaults.swellThreshold</td><td class="where">258.8</td>');
  });

  it('repro 91342 reports the Elster values its runs used, and not the response-code rate it switched off', async () => {
    const report = await repro91342('elster', 1);
    const byName = new Map(report.assumptions.map((a) => [a.name, a]));
    expect(byName.get('elster.joinWindowMax')?.value).toBe('255');
    expect(byName.get('elster.ppmid.joinRetryInterval')?.value).toBe('60');
    expect(byName.has('s1sp.missingResponseCodeRate')).toBe(false);
    expect([...byName.keys()].some((n) => n.startsWith('itron.'))).toBe(false);
  });
});
