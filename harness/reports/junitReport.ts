/**
 * JUnit XML for CI: one <testsuite> per pack, one <testcase> per scenario, in the shape Jenkins, GitLab and
 * GitHub's test reporters read (Ant's XMLJUnitResultFormatter format). A failed scenario has one <failure> whose
 * message is its first failed expectation and whose text lists every one with its step, file:line:column,
 * expected and actual; an errored one has <error>, a skipped one <skipped>. Built with fast-xml-parser's XMLBuilder,
 * which escapes text and attributes.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { Failure, RunResult, ScenarioResult } from './runResult';
import { byPack, failureLocation, tally } from './tally';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

export function junitXml(run: RunResult): string {
  const total = tally(run.scenarios);
  const suites = [...byPack(run.scenarios)].map(([pack, scenarios]) => {
    const t = tally(scenarios);
    return {
      '@_name': xmlText(pack),
      '@_tests': t.scenarios,
      '@_failures': t.failed,
      '@_errors': t.error,
      '@_skipped': t.skipped,
      '@_time': seconds(t.wallMs),
      '@_timestamp': run.startedAt,
      properties: { property: [{ '@_name': 'seed', '@_value': String(run.seed) }, ...(run.preflight === undefined ? [] : [{ '@_name': 'far-end', '@_value': xmlText(run.preflight) }])] },
      testcase: scenarios.map(testcase),
    };
  });
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': 'smets1 run',
      '@_tests': total.scenarios,
      '@_failures': total.failed,
      '@_errors': total.error,
      '@_skipped': total.skipped,
      '@_time': seconds(total.wallMs),
      '@_timestamp': run.startedAt,
      testsuite: suites,
    },
  };
  return builder.build(document) as string;
}

function testcase(scenario: ScenarioResult): Record<string, unknown> {
  const first = scenario.failures[0];
  const element: Record<string, unknown> = {
    '@_name': xmlText(scenario.name),
    '@_classname': xmlText(scenario.pack),
    '@_file': xmlText(scenario.file),
    '@_time': seconds(scenario.wallMs),
  };
  // GitLab and GitHub annotations place the result at this line.
  if (first?.line !== undefined && scenario.verdict !== 'passed') element['@_line'] = first.line;
  if (scenario.verdict === 'failed') {
    element.failure = { '@_message': attributeText(first ? first.message : 'failed'), '@_type': 'expectation', '#text': failureText(scenario) };
  } else if (scenario.verdict === 'error') {
    element.error = { '@_message': attributeText(first ? first.message : 'error'), '@_type': 'error', '#text': failureText(scenario) };
  } else if (scenario.verdict === 'skipped') {
    element.skipped = first ? { '@_message': attributeText(first.message) } : '';
  }
  return element;
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

/** Wall ms as JUnit's seconds, three decimals. */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** An attribute holds one line: a parser would fold the newlines anyway. */
function attributeText(text: string): string {
  return xmlText(text.replace(/\s*[\r\n\t]+\s*/g, ' ').trim());
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
