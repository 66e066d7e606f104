/**
 * fleet.html in headless chromium: the page of a small schedule (hand-made records, so no migration runs here)
 * loads from file:// with no console error and no request but its own file, and each chart is drawn by Graph2d
 * with the points the figures give: bars for the outcomes and alerts, lines for right-first-time, durations, backlog.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetSummary, writeFleetOutputs } from '../../harness/fleet/fleetOutputs';
import type { InstallationRecord } from '../../harness/fleet/installationRun';
import { scheduleRecords } from '../../harness/fleet/simulation';
import { launchChromium, openWatchedPage, needsChromium, type Chromium } from '../support/chromium';
import { testConfig } from './support';

const haveChromium = needsChromium('tests/fleet/browserReport.test.ts: the fleet.html browser tests');
const H = 3_600_000;

describe.runIf(haveChromium)('fleet.html in headless chromium', () => {
  let dir: string;
  let browser: Chromium;
  let page: Page;
  let problems: string[];
  let requests: string[];
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smets1-fleet-page-'));
    // 4 installations over 2 days (cap 2): day 1 an Itron migrated in 3 h and an Elster rejected (split supplier),
    // day 2 an Elster migrated in 2 h raising 0x8014, and an Itron excluded after failing
    const records = new Map<number, InstallationRecord>([
      [
        0,
        {
          index: 0,
          vendor: 'itron',
          kind: 'dormant',
          outcome: 'migrated',
          attempts: [{ startMs: 0, endMs: 3 * H, result: 'migrated', gas: false }],
          alerts: [],
          endMs: 3 * H,
        },
      ],
      [
        1,
        {
          index: 1,
          vendor: 'elster',
          kind: 'active',
          outcome: 'rejected',
          rejection: 'split-supplier',
          attempts: [],
          alerts: [],
          endMs: 0,
        },
      ],
      [
        2,
        {
          index: 2,
          vendor: 'elster',
          kind: 'dormant',
          outcome: 'migrated',
          attempts: [{ startMs: 0, endMs: 2 * H, result: 'migrated', gas: false }],
          alerts: [{ code: '8014', atMs: 2 * H }],
          endMs: 2 * H,
        },
      ],
      [
        3,
        {
          index: 3,
          vendor: 'itron',
          kind: 'dormant',
          outcome: 'excluded',
          attempts: [{ startMs: 0, endMs: H, result: 'failed', gas: false }],
          alerts: [],
          endMs: H,
        },
      ],
    ]);
    const config = testConfig({
      population: { size: { value: 4, source: 'assumed', note: 't' } },
      pacing: { stages: { value: [{ cap: 2, days: 1 }], source: 'assumed', note: 't' } },
    });
    const parameters = { seed: 1, rules: '2020' as const, days: 2, calibration: {}, config };
    writeFleetOutputs(dir, fleetSummary(parameters, scheduleRecords(parameters, records)));
    url = pathToFileURL(join(dir, 'fleet.html')).href;
    browser = await launchChromium();
    ({ page, problems, requests } = await openWatchedPage(browser, url, 'body[data-ready="true"]'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads without console errors and fetches nothing but itself', () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it('draws every chart with the points of the figures', async () => {
    const points = await page.$$eval('.chart', (charts) =>
      charts.map((c) => [c.id, (c as unknown as { dataset: { points: string } }).dataset.points]),
    );
    // outcomes: 5 series × 2 days; right first time: both days (100 %, then 50 %: the excluded one failed first);
    // durations: itron mean and p95 day 1, elster day 2; alerts: the 5 codes the seeds name (0x8014 among them)
    // × 2 days; backlog and cap × 2 days
    expect(points).toEqual([
      ['chart-outcomes', '10'],
      ['chart-rft', '2'],
      ['chart-durations', '4'],
      ['chart-alerts', '10'],
      ['chart-backlog', '4'],
    ]);
    const drawn = await page.$$eval('.chart', (charts) =>
      charts.map((c) => [
        c.id,
        c.querySelectorAll('svg rect.vis-bar').length > 0,
        c.querySelectorAll('svg path.vis-graph-group0, svg path[class*="vis-graph-group"]').length > 0,
      ]),
    );
    expect(drawn).toEqual([
      ['chart-outcomes', true, false],
      ['chart-rft', false, true],
      ['chart-durations', false, true],
      ['chart-alerts', true, false],
      ['chart-backlog', false, true],
    ]);
  });

  it('shows the totals and a row a day', async () => {
    expect(await page.$$eval('#days tr', (rows) => rows.length)).toBe(3);
    expect(
      await page.$eval('#totals tr:nth-child(2)', (row) =>
        Array.from(row.querySelectorAll('td'))
          .slice(0, 7)
          .map((td) => td.textContent),
      ),
    ).toEqual(['4', '3', '2', '0', 'split-supplier 1', '1', '1']);
  });
});
