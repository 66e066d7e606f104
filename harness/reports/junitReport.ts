/**
 * JUnit XML for CI, in one of two forms (`smets1 run --junit-form`):
 * - `testsuite` (default): one <testsuite> document element holding every scenario (classname = the pack), with the
 *   run's facts (seed, start, packs, an interruption, every assumed value its benches used) as <properties>. Valid against both strict consumers: the
 *   Jenkins xUnit plugin's junit-10.xsd (which it validates a file against before reading it, skipping an invalid
 *   one) and Maven Surefire's report schema (one <testsuite> root, no <testsuites>). Neither allows `file`/`line`
 *   on a testcase, so the scenario's file goes in its <system-out>.
 * - `testsuites`: one <testsuite> per pack under <testsuites> with totals and timestamps, and `file`/`line` on each
 *   testcase, which GitLab and GitHub use to annotate the pack line; Jenkins' JUnit plugin reads it too.
 * In both, a failed scenario has one <failure> whose message is its first failed expectation and whose text lists
 * every one with its step, file:line:column, expected and actual; an errored one has <error>, a skipped one
 * <skipped>; <system-out> holds the scenario's virtual duration and its event log on virtual time. Built with
 * fast-xml-parser's XMLBuilder, which escapes text and attributes.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { formatVirtualDuration, formatVirtualInstant } from './durations';
import type { Failure, RunResult, ScenarioResult } from './runResult';
import { byPack, failureLocation, interruptionText, oneLine, tally, type Tally } from './tally';

export const JUNIT_FORMS = ['testsuite', 'testsuites'] as const;
export type JunitForm = (typeof JUNIT_FORMS)[number];

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

const DECLARATION = { '@_version': '1.0', '@_encoding': 'UTF-8' };

export function junitXml(run: RunResult, form: JunitForm = 'testsuite'): string {
  const document = form === 'testsuite' ? singleSuite(run) : suitePerPack(run);
  return builder.build({ '?xml': DECLARATION, ...document }) as string;
}

function singleSuite(run: RunResult): Record<string, unknown> {
  const properties = [
    property('seed', String(run.seed)),
    property('timestamp', run.startedAt),
    property('packs', run.packs.join(', ')),
    ...interruptionProperty(run),
    ...farEndProperty(run),
    ...assumedProperties(run),
  ];
  return {
    testsuite: {
      '@_name': 'smets1 run',
      ...counts(tally(run.scenarios)),
      properties: { property: properties },
      testcase: run.scenarios.map((scenario) => testcase(scenario, false)),
    },
  };
}

function suitePerPack(run: RunResult): Record<string, unknown> {
  const suites = [...byPack(run.scenarios)].map(([pack, scenarios]) => ({
    '@_name': xmlText(pack),
    ...counts(tally(scenarios)),
    '@_timestamp': run.startedAt,
    properties: { property: [property('seed', String(run.seed)), ...interruptionProperty(run), ...farEndProperty(run)] },
    testcase: scenarios.map((scenario) => testcase(scenario, true)),
  }));
  return { testsuites: { '@_name': 'smets1 run', ...counts(tally(run.scenarios)), '@_timestamp': run.startedAt, testsuite: suites } };
}

function counts(t: Tally): Record<string, unknown> {
  return { '@_tests': t.scenarios, '@_failures': t.failed, '@_errors': t.error, '@_skipped': t.skipped, '@_time': seconds(t.wallMs) };
}

function property(name: string, value: string): Record<string, string> {
  return { '@_name': name, '@_value': attributeText(value) };
}

/** Each assumed value the run used, as `assumed:<name>` = `<value> (<source>)`: CI shows what a verdict rests on. */
function assumedProperties(run: RunResult): Record<string, string>[] {
  return (run.assumptions ?? []).map((a) => property(`assumed:${a.name}`, `${a.value} (${a.source})`));
}

/** What was checked of a far end the run did not start (docs/bench.md "Pre-flight"), when there was one. */
function farEndProperty(run: RunResult): Record<string, string>[] {
  return run.preflight === undefined ? [] : [property('far-end', run.preflight)];
}

function interruptionProperty(run: RunResult): Record<string, string>[] {
  const text = interruptionText(run);
  return text === undefined ? [] : [property('interrupted', text)];
}

function testcase(scenario: ScenarioResult, withPlace: boolean): Record<string, unknown> {
  const first = scenario.failures[0];
  const element: Record<string, unknown> = { '@_name': xmlText(scenario.name), '@_classname': xmlText(scenario.pack) };
  if (withPlace) element['@_file'] = xmlText(scenario.file);
  element['@_time'] = seconds(scenario.wallMs);
  // GitLab and GitHub annotations place the result at this line.
  if (withPlace && first?.line !== undefined && scenario.verdict !== 'passed') element['@_line'] = first.line;
  if (scenario.verdict === 'failed') {
    element.failure = { '@_message': attributeText(first ? first.message : 'failed'), '@_type': 'expectation', '#text': failureText(scenario) };
  } else if (scenario.verdict === 'error') {
    element.error = { '@_message': attributeText(first ? first.message : 'error'), '@_type': 'error', '#text': failureText(scenario) };
  } else if (scenario.verdict === 'skipped') {
    element.skipped = first ? { '@_message': attributeText(first.message) } : '';
  }
  element['system-out'] = systemOut(scenario);
  return element;
}

/** The scenario's file, its virtual duration and its events on virtual time, one a line. */
function systemOut(scenario: ScenarioResult): string {
  const duration = formatVirtualDuration(scenario.virtualEndMs - scenario.virtualStartMs);
  const lines = [
    `file: ${scenario.file}`,
    `virtual duration: ${duration} (${formatVirtualInstant(scenario.virtualStartMs)} to ${formatVirtualInstant(scenario.virtualEndMs)} UTC)`,
    ...scenario.timeline.map((event) => {
      const span = event.end === undefined ? '' : ` to ${formatVirtualInstant(event.end)}`;
      const detail = event.detail === undefined ? '' : `: ${event.detail}`;
      return `${formatVirtualInstant(event.at)}${span}  ${event.lane.padEnd(9)}  ${oneLine(`${event.label}${detail}`)}${event.failed ? '  ✗' : ''}`;
    }),
  ];
  return xmlText(lines.join('\n'));
}

/** Every failure, a paragraph each. */
function failureText(scenario: ScenarioResult): string {
  return xmlText(scenario.failures.map((f) => failureParagraph(scenario.file, f)).join('\n\n'));
}

function failureParagraph(file: string, failure: Failure): string {
  return [
    `${failure.step} at ${failureLocation(file, failure.line, failure.column)}`,
    failure.message,
    `expected: ${failure.expected}`,
    `actual: ${failure.actual}`,
  ].join('\n');
}

/** Wall ms as JUnit's seconds, three decimals (Surefire's schema allows no more). */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** An attribute holds one line: a parser would fold the newlines anyway. */
function attributeText(text: string): string {
  return xmlText(oneLine(text));
}

/**
 * XML 1.0 cannot carry most control characters even escaped; a device's actual value may hold them (a raw byte
 * string), so each becomes a visible `\xNN` (`\uFFFE`, `\uFFFF`) rather than making the file unreadable.
 */
function xmlText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, (c) =>
    c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16)}`,
  );
}
