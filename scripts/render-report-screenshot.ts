/**
 * docs/report-screenshot.png for the README: the report of the reporter tests' fixture run (a passed, a failed, an
 * errored and a skipped scenario), as headless chromium draws it. `npm run docs:report-screenshot`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeReports } from '../harness/reports/writeReports';
import { fixtureRun } from '../tests/reports/fixtureRun';
import { launchChromium, needsChromium } from '../tests/support/chromium';

async function main(): Promise<void> {
  if (!needsChromium('scripts/render-report-screenshot.ts')) {
    process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'smets1-report-'));
  const browser = await launchChromium({ width: 1280, height: 1000 });
  try {
    const page = await browser.context.newPage();
    await page.goto(pathToFileURL(writeReports(fixtureRun, dir).html).href);
    await page.waitForSelector('#scenario-1 .timeline[data-drawn="yes"]');
    const target = fileURLToPath(new URL('../docs/report-screenshot.png', import.meta.url));
    // The summary and the failed scenario with its timeline: what a test engineer looks at first.
    await page.screenshot({ path: target, clip: { x: 0, y: 0, width: 1280, height: 1000 } });
    console.log(`wrote ${target}`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
