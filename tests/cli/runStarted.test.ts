/**
 * `smets1 run`'s RunResult.startedAt is the run's start (issue 17 item 4: it was the end, in the page, its title and
 * every JUnit timestamp): taken before the first scenario runs. The executor is wrapped to note when the first
 * scenario began; the report's JUnit timestamp must not be later.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it, vi } from 'vitest';

const began: string[] = [];
vi.mock('../../harness/run/executor', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../harness/run/executor')>();
  return {
    ...original,
    runScenario: (...args: Parameters<typeof original.runScenario>) => {
      began.push(new Date().toISOString());
      return original.runScenario(...args);
    },
  };
});

const { main } = await import('../../harness/cli/main');
const dir = mkdtempSync(join(tmpdir(), 'smets1-started-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('smets1 run: the run starts before its first scenario', () => {
  it('writes the start time, not the end time, as the JUnit timestamp the report shows', async () => {
    // report-example fails on purpose: exit 1
    expect(
      await main(
        ['run', 'packs/examples/report-example.yaml', '--reporter', 'junit', '--reporter', 'html', '--out', dir],
        () => {},
      ),
    ).toBe(1);
    expect(began).toHaveLength(2);
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(
      readFileSync(join(dir, 'junit.xml'), 'utf8'),
    );
    // the default JUnit form (one testsuite, valid against Jenkins' and Surefire's schemas) carries it as a property
    const properties = [junit.testsuite.properties.property].flat() as { '@name': string; '@value': string }[];
    const timestamp = properties.find((p) => p['@name'] === 'timestamp')!['@value'];
    const page = readFileSync(join(dir, 'report.html'), 'utf8');
    // ISO 8601 strings of the same form order as the instants do; the first scenario ran for well over a millisecond
    expect(timestamp <= began[0]!).toBe(true);
    expect(page).toContain(`<title>smets1 run ${timestamp}</title>`);
  }, 60_000);
});
