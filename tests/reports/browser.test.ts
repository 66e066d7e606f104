/**
 * report.html in a real headless browser (Debian's chromium through playwright-core): the page generated from the
 * fixture run loads from file:// without console errors, page errors or any request but its own file; it shows
 * each scenario's verdict; the failing expectation is highlighted in its box and on the timeline; the timelines
 * are drawn (on load for the failed and errored scenarios, on opening for the others); DUIS documents open, escaped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../harness/reports/writeReports';
import { launchChromium, openWatchedPage, needsChromium, type Chromium } from '../support/chromium';
import { fixtureRun } from './fixtureRun';

/** The page's own getComputedStyle, in the callbacks that run in the browser (tsconfig has no DOM lib). */
declare const getComputedStyle: (element: unknown) => { backgroundColor: string; borderTopColor: string; borderTopWidth: string; color: string };

const haveChromium = needsChromium('tests/reports/browser.test.ts: the report.html browser tests');

describe.runIf(haveChromium)('report.html in headless chromium', () => {
  let dir: string;
  let browser: Chromium;
  let page: Page;
  let problems: string[];
  let requests: string[];
  let reportUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smets1-report-'));
    reportUrl = pathToFileURL(writeReports(fixtureRun, dir).html).href;
    browser = await launchChromium();
    ({ page, problems, requests } = await openWatchedPage(browser, reportUrl, 'body[data-ready="yes"]'));
    await page.waitForSelector('#scenario-1 .timeline[data-drawn="yes"]', { timeout: 10_000 });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads without console errors and fetches nothing but itself', () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([reportUrl]);
  });

  it("shows each scenario's verdict in the summary and on its section", async () => {
    const summary = await page.$$eval('#summary tbody tr', (rows) =>
      rows.map((row) => [row.querySelector('.verdict')?.textContent, row.querySelectorAll('td')[2]?.textContent]),
    );
    expect(summary).toEqual([
      ['passed', 'fix on: join period 300 s accepted'],
      ['failed', 'fix off: join period 300 s refused'],
      ['error', 'credential replacement SMSO → DCC'],
      ['skipped', 'gas retry after GT01'],
    ]);
    const sections = await page.$$eval('details.scenario', (all) =>
      all.map((s) => [s.getAttribute('data-verdict'), s.querySelector('summary .verdict')?.textContent, s.hasAttribute('open')]),
    );
    expect(sections).toEqual([
      ['passed', 'passed', false],
      ['failed', 'failed', true],
      ['error', 'error', true],
      ['skipped', 'skipped', false],
    ]);
    expect(await page.locator('h1 .run-verdict').textContent()).toBe('failed');
    expect(await page.locator('#scenario-1 summary .verdict').isVisible()).toBe(true);
  });

  it('highlights the failing expectation with what was expected and what came', async () => {
    const box = page.locator('#scenario-1 .failing-expectation');
    expect(await box.count()).toBe(1);
    expect(await box.isVisible()).toBe(true);
    expect(await box.locator('.where').textContent()).toBe('packs/defects/91342.yaml:27:7');
    expect(await box.locator('.expected').textContent()).toBe('response code E3 (Elster CH refuses joinPeriod > 255)');
    expect(await box.locator('.actual').textContent()).toBe('response code I0');
    const style = await box.evaluate((el) => {
      const s = getComputedStyle(el);
      return [s.backgroundColor, s.borderTopColor, s.borderTopWidth];
    });
    expect(style).toEqual(['rgb(255, 235, 233)', 'rgb(207, 34, 46)', '2px']);
    // No other scenario has one.
    expect(await page.locator('.failing-expectation').count()).toBe(1);
  });

  it('draws the failed scenario on its timeline with the failing expectation marked', async () => {
    // vis-timeline draws a point as two .vis-item elements, the label and its .vis-dot.
    const items = page.locator('#scenario-1 .timeline .vis-item:not(.vis-dot)');
    expect(await items.count()).toBe(5);
    const failed = page.locator('#scenario-1 .timeline .vis-item.failed:not(.vis-dot)');
    expect(await failed.count()).toBe(1);
    expect(await failed.textContent()).toBe('response code E3');
    // Drawn, not merely in the DOM: vis-timeline keeps a timeline hidden until its first window is drawn.
    expect(await page.locator('#scenario-1 .vis-timeline').isVisible()).toBe(true);
    expect(await failed.isVisible()).toBe(true);
    expect(await failed.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(207, 34, 46)');
    expect(await page.locator('#scenario-1 .timeline .vis-item.lane-migration.vis-range').textContent()).toBe('WAN pre-check');
    expect(await page.locator('#scenario-1 .events tr.failed td').nth(4).textContent()).toBe('got I0');
  });

  it('shows event details as text, never as markup', async () => {
    const detail = page.locator('#scenario-1 .events tbody tr').nth(3).locator('td').nth(4);
    expect(await detail.textContent()).toBe('<b>not bold</b> & "quoted"');
    expect(await page.locator('#scenario-1 .events b').count()).toBe(0);
  });

  it('draws a passed scenario when it is opened', async () => {
    expect(await page.locator('#scenario-0 .timeline .vis-item').count()).toBe(0);
    await page.locator('#scenario-0 > summary').click();
    await page.waitForSelector('#scenario-0 .timeline[data-drawn="yes"]');
    expect(await page.locator('#scenario-0 .timeline .vis-item:not(.vis-dot)').count()).toBe(6);
    expect(await page.locator('#scenario-0 .timeline .vis-item.failed').count()).toBe(0);
  });

  it('opens a DUIS document, escaped, from its block and from its timeline event', async () => {
    const request = page.locator('#s0-duis-0');
    expect(await request.locator('pre').isVisible()).toBe(false);
    // At its left end: the middle of the summary is the link to the file.
    await request.locator('summary').click({ position: { x: 8, y: 8 } });
    // packed in the page, shown once inflated
    await page.waitForSelector('#s0-duis-0[data-shown="yes"]');
    expect(await request.locator('pre').isVisible()).toBe(true);
    const text = await request.locator('pre').textContent();
    expect(text).toContain('    <sr:ServiceReference>8.11</sr:ServiceReference>\n');
    expect(text).toContain('<sr:JoinPeriod>300</sr:JoinPeriod>');
    expect(await request.locator('pre *').count()).toBe(0);

    const response = page.locator('#s1-duis-1');
    expect(await response.evaluate((el) => el.hasAttribute('open'))).toBe(false);
    await page.locator('#scenario-1 .timeline .vis-item.lane-duis', { hasText: '8.11 response I0' }).click();
    await expect.poll(() => response.evaluate((el) => el.hasAttribute('open'))).toBe(true);
    await page.waitForSelector('#s1-duis-1[data-shown="yes"]');
    expect(await response.locator('pre').textContent()).toContain('<sr:ResponseCode>I0</sr:ResponseCode>');
    expect(await response.locator('summary a').getAttribute('href')).toBe('duis/defects_91342_fix-off/002-8.11_UpdateHANDeviceLog-response.xml');
  });

  it('still has no console errors after the interactions', () => {
    expect(problems).toEqual([]);
  });
});
