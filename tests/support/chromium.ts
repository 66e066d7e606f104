/**
 * Debian's headless chromium for the report's browser test and its screenshot, driven by playwright-core (no
 * browser download: playwright's own builds cannot be fetched here). CI (.ci/run, as root) installs chromium;
 * on a box without it each file skips its browser tests and says which.
 *
 * Call as `needsChromium('<file>: <the tests it skips>')` with the description on one line: .ci/run greps these
 * calls to list the skipped tests when it cannot install chromium.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Quiet and offline: no first-run UI, no background fetches, no sandbox (CI runs as root). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** True when chromium is installed; otherwise warns that `skipped` are skipped and returns false. */
export function needsChromium(skipped: string): boolean {
  const installed = existsSync(CHROMIUM_PATH);
  if (!installed)
    console.warn(
      `chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it as root): skipping ${skipped}`,
    );
  return installed;
}

export interface Chromium {
  readonly context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** A fresh browser with a profile of its own in a temporary directory. */
export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'smets1-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport,
    timeout: 30_000,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A new page of `browser` at `url`, watched from before it loads: every console error or warning and page error in
 * `problems`, every URL it requests in `requests` (a self-contained page requests only itself).
 */
export async function openWatchedPage(
  browser: Chromium,
  url: string,
  readySelector: string,
): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url);
  await page.waitForSelector(readySelector, { timeout: 10_000 });
  return { page, problems, requests };
}
