/**
 * docs/report-screenshot.png for the README and docs/reports.md: the report of a real run of
 * packs/examples/report-example.yaml (defect 91342 on an Elster CH: one scenario fails on purpose, one passes),
 * through the same executor and report writer as `smets1 run`, as headless chromium draws it.
 * `npm run docs:report-screenshot`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assumptionsOfBenches } from '../harness/bench/assumptionsInForce';
import { loadPack } from '../harness/packs';
import { scenarioAssumptions } from '../harness/run/benchFor';
import { runScenario } from '../harness/run/executor';
import type { RunResult, ScenarioResult } from '../harness/reports/runResult';
import { writeReports } from '../harness/reports/writeReports';
import { launchChromium, needsChromium } from '../tests/support/chromium';

const PACK = 'packs/examples/report-example.yaml';

async function main(): Promise<void> {
  if (!needsChromium('scripts/render-report-screenshot.ts')) {
    process.exitCode = 1;
    return;
  }
  const pack = loadPack(PACK);
  const startedAt = new Date().toISOString();
  const scenarios: ScenarioResult[] = [];
  for (const scenario of pack.scenarios) scenarios.push(await runScenario(pack, scenario, { displayFile: PACK }));
  // The assumed values the run used, as `smets1 run` lists them (the report's Assumptions section).
  const assumptions = assumptionsOfBenches(pack.scenarios.map(scenarioAssumptions));
  const run: RunResult = { startedAt, seed: pack.bench.seed, packs: [PACK], scenarios, assumptions };
  const dir = mkdtempSync(join(tmpdir(), 'smets1-report-'));
  const browser = await launchChromium({ width: 1280, height: 1000 });
  try {
    const page = await browser.context.newPage();
    await page.goto(pathToFileURL(writeReports(run, dir).html).href);
    await page.waitForSelector('#scenario-0 .timeline[data-drawn="yes"]');
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
