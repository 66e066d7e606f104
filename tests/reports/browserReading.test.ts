/**
 * report.html as a test engineer reads it (issue 17), in headless chromium: the failing marker is inside the
 * timeline widget's visible viewport (not merely in the DOM below its clipped edge), red means a failed expectation
 * only, a failure says what came instead (a real run of packs/examples/report-example.yaml), the events are in time
 * order, each scenario shows its own seed, and the summary filters by text and by failed-only.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../harness/packs';
import type { RunResult, ScenarioResult, TimelineEvent } from '../../harness/reports/runResult';
import { writeReports } from '../../harness/reports/writeReports';
import { runScenario } from '../../harness/run/executor';
import { launchChromium, needsChromium, type Chromium } from '../support/chromium';

const haveChromium = needsChromium('tests/reports/browserReading.test.ts: the report.html reading tests');
const T0 = Date.UTC(2026, 0, 1);
/** The page's red (reportPage.css --fail) and the red box's background, as getComputedStyle gives them. */
const RED = ['rgb(207, 34, 46)', 'rgb(255, 235, 233)'];

declare const document: { querySelectorAll(selector: string): ArrayLike<unknown> };
declare const getComputedStyle: (element: unknown) => Record<string, string>;

/** A passed scenario whose migration step failed on purpose, with a skipped step and a refused request. */
function greenScenario(index: number, seed: number): ScenarioResult {
  const timeline: TimelineEvent[] = [
    // written out of time order, as the executor records a migration's steps after its sr events
    { at: T0 + 50_000, lane: 'expect', label: 'migration succeeded after 2 attempt(s)', detail: 'migration succeeded after 2 attempt(s)' },
    { at: T0 + 1_000, end: T0 + 20_000, lane: 'migration', label: 'hanPreCheck', detail: 'failed: GSME out of reach', failed: true },
    { at: T0 + 20_000, end: T0 + 21_000, lane: 'migration', label: 'commissioning A1', detail: 'skipped: after a failed step', failed: true },
    { at: T0 + 500, lane: 'duis', label: '← E3', failed: true },
    { at: T0 + 30_000, end: T0 + 45_000, lane: 'migration', label: 'hanPreCheck', detail: 'ok' },
  ];
  return {
    id: `migration/retry#${index}`,
    pack: 'migration/retry',
    file: 'packs/migration/retry.yaml',
    name: `retry after a failed pre-check ${index}`,
    seed,
    verdict: 'passed',
    wallMs: 5,
    virtualStartMs: T0,
    virtualEndMs: T0 + 50_000,
    failures: [],
    timeline,
    duis: [],
  };
}

/** A failed scenario whose lanes above the expectations hold far more than 420 px of stacked frames and alerts. */
function busyScenario(): ScenarioResult {
  const timeline: TimelineEvent[] = [];
  for (let i = 0; i < 40; i += 1) timeline.push({ at: T0 + 1_000 + i * 100, lane: 'frames', label: `readProfile → A0 #${i}`, detail: 'ok' });
  for (let i = 0; i < 20; i += 1) timeline.push({ at: T0 + 1_000 + i * 150, lane: 'alerts', label: '0x8024', detail: '00-DB-12-34-56-78-90-A0' });
  timeline.push({ at: T0 + 9_000, lane: 'expect', label: 'alert 0x8002 from ESME within 1800 s', detail: 'no such alert', failed: true });
  return {
    id: 'defects/busy#1',
    pack: 'defects/busy',
    file: 'packs/defects/busy.yaml',
    name: 'a busy ESME',
    seed: 3,
    verdict: 'failed',
    wallMs: 9,
    virtualStartMs: T0,
    virtualEndMs: T0 + 9_000,
    failures: [{ step: 'expect #3 alert', line: 9, column: 7, expected: 'alert 0x8002 from ESME within 1800 s', actual: 'no such alert', message: 'expected alert 0x8002; got no such alert' }],
    timeline,
    duis: [],
  };
}

async function open(page: Page, run: RunResult, dir: string, name: string): Promise<void> {
  await page.goto(pathToFileURL(writeReports(run, join(dir, name)).html).href);
  await page.waitForSelector('body[data-ready="yes"]', { timeout: 10_000 });
}

/** Is every box of `selector` inside the visible centre panel of scenario `index`'s timeline? */
async function insideViewport(page: Page, index: number, selector: string): Promise<boolean[]> {
  const viewport = await page.locator(`#scenario-${index} .vis-panel.vis-center`).boundingBox();
  const boxes = await Promise.all((await page.locator(`#scenario-${index} .timeline ${selector}`).all()).map((l) => l.boundingBox()));
  return boxes.map(
    (b) => viewport !== null && b !== null && b.y >= viewport.y && b.y + b.height <= viewport.y + viewport.height && b.x >= viewport.x && b.x < viewport.x + viewport.width,
  );
}

describe.runIf(haveChromium)('report.html as a test engineer reads it', () => {
  let dir: string;
  let browser: Chromium;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smets1-reading-'));
    browser = await launchChromium();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows the failing marker inside the timeline widget's visible viewport however busy the lanes are", async () => {
    await open(page, { startedAt: '2026-12-04T20:00:00.000Z', seed: 3, packs: ['packs/defects/busy.yaml'], scenarios: [busyScenario()] }, dir, 'busy');
    await page.waitForSelector('#scenario-0 .timeline[data-drawn="yes"]', { timeout: 10_000 });
    // vis-timeline leaves out of the DOM what is outside its viewport: an empty list is a marker out of view too
    expect(await insideViewport(page, 0, '.vis-item.failed:not(.vis-dot)')).toEqual([true]);
  });

  it('draws nothing red in an all-green run whose steps failed, were skipped or were refused on purpose', async () => {
    const run: RunResult = { startedAt: '2026-12-04T20:00:00.000Z', seed: 7, packs: ['packs/migration/retry.yaml'], scenarios: [greenScenario(0, 7), greenScenario(1, 8)] };
    await open(page, run, dir, 'green');
    for (const i of [0, 1]) {
      await page.locator(`#scenario-${i} > summary`).click();
      await page.waitForSelector(`#scenario-${i} .timeline[data-drawn="yes"]`, { timeout: 10_000 });
    }
    const red = await page.evaluate((colours) => {
      const found: string[] = [];
      const all = document.querySelectorAll('*');
      for (let i = 0; i < all.length; i += 1) {
        const s = getComputedStyle(all[i]);
        for (const property of ['color', 'backgroundColor', 'borderTopColor', 'borderLeftColor']) {
          if (colours.includes(s[property]!)) found.push(`${(all[i] as { className: string }).className} ${property}`);
        }
      }
      return found;
    }, RED);
    expect(red).toEqual([]);
    // the refusals are still marked, in amber
    expect(await page.locator('#scenario-0 .timeline .vis-item.refused:not(.vis-dot)').count()).toBe(3);
  });

  it('lists the events in time order and shows each scenario its own seed', async () => {
    const times = await page.$$eval('#scenario-0 .events tbody tr td:first-child', (cells) => cells.map((c) => c.textContent));
    expect(times).toEqual(['+500ms', '+1s', '+20s', '+30s', '+50s']);
    expect(await page.locator('#scenario-1 > summary .where').textContent()).toContain('· seed 8');
    expect(await page.locator('#summary tbody tr').nth(1).locator('td').nth(5).textContent()).toBe('8');
    expect(await page.locator('header .meta').textContent()).toContain('seeds 7, 8');
  });

  describe('a real run of packs/examples/report-example.yaml', () => {
    let realRun: RunResult;
    beforeAll(async () => {
      const pack = loadPack('packs/examples/report-example.yaml');
      const scenarios: ScenarioResult[] = [];
      for (const scenario of pack.scenarios) scenarios.push(await runScenario(pack, scenario, { displayFile: pack.file }));
      realRun = { startedAt: '2026-12-04T20:00:00.000Z', seed: pack.bench.seed, packs: [pack.file], scenarios };
      await open(page, realRun, dir, 'real');
      await page.waitForSelector('#scenario-0 .timeline[data-drawn="yes"]', { timeout: 10_000 });
    }, 60_000);

    it('shows both failing markers inside the visible viewport of the timeline', async () => {
      expect(await insideViewport(page, 0, '.vis-item.failed:not(.vis-dot)')).toEqual([true, true]);
    });

    it("says what came instead: the device's refusal and the alerts that arrived, with their descriptions", async () => {
      const actual = await page.locator('#scenario-0 .failing-expectation .actual').allTextContents();
      expect(actual[0]).toContain('the device refused: hanLogAdd answered invalidParameter');
      expect(actual[1]).toContain('in the window came');
      expect(actual[1]).toContain('0x8F48 "Device joining failed" from 00-DB-12-34-56-78-90-A2');
    });

    it('shows and saves every DUIS document from the page alone, without duis/ beside it', async () => {
      const alone = join(dir, 'alone');
      mkdirSync(alone);
      copyFileSync(join(dir, 'real', 'report.html'), join(alone, 'report.html'));
      await page.goto(pathToFileURL(join(alone, 'report.html')).href);
      await page.waitForSelector('body[data-ready="yes"]', { timeout: 10_000 });
      // #3: the 8.11 request (after two 0x8F48 of the PPMID asking to join before it)
      const block = page.locator('#s0-duis-2');
      await block.locator('summary').click({ position: { x: 8, y: 8 } });
      await page.waitForSelector('#s0-duis-2[data-shown="yes"]', { timeout: 10_000 });
      expect(await block.locator('pre').textContent()).toContain('<sr:ServiceReference>8.11</sr:ServiceReference>');
      const [download] = await Promise.all([page.waitForEvent('download'), block.locator('a.save').click()]);
      const saved = await download.path();
      // the exact bytes of the file the run wrote beside the page
      const file = (await block.locator('summary a.duis-file').getAttribute('href'))!;
      expect(download.suggestedFilename()).toBe(file.split('/').pop());
      expect(readFileSync(saved, 'utf8')).toBe(readFileSync(join(dir, 'real', file), 'utf8'));
      await open(page, realRun, dir, 'real');
    });

    it('filters the scenarios by text and by failed-only', async () => {
      const shown = () => page.$$eval('details.scenario', (all) => all.map((s) => !s.hasAttribute('hidden')));
      await page.locator('#failed-only').check();
      expect(await shown()).toEqual([true, false]);
      await page.locator('#failed-only').uncheck();
      await page.locator('#filter').fill('fix on');
      expect(await shown()).toEqual([false, true]);
      expect(await page.locator('#filter-count').textContent()).toBe('1 of 2 scenarios shown');
      await page.locator('#filter').fill('');
      expect(await shown()).toEqual([true, true]);
    });
  });
});
