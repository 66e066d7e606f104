/**
 * Writes a run's reports into one directory (reports/ for `smets1 run` and `npm start`): junit.xml, report.html,
 * and every DUIS document under duis/; and run.json, the run as data, when asked for.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDuisFiles } from './duisFiles';
import { reportHtml } from './htmlReport';
import { junitXml } from './junitReport';
import { runJson } from './jsonReport';
import type { RunResult } from './runResult';

export interface WrittenReports {
  readonly junit: string;
  readonly html: string;
  /** Paths of the DUIS documents, relative to the reports directory. */
  readonly duis: readonly string[];
}

export function writeReports(run: RunResult, reportsDir: string): WrittenReports {
  mkdirSync(reportsDir, { recursive: true });
  const junit = join(reportsDir, 'junit.xml');
  const html = join(reportsDir, 'report.html');
  writeFileSync(junit, junitXml(run));
  const duis = writeDuisFiles(run, reportsDir).map((f) => f.path);
  writeFileSync(html, reportHtml(run));
  return { junit, html, duis };
}

/** Writes run.json (jsonReport.ts) into the reports directory; returns its path. */
export function writeJsonReport(run: RunResult, reportsDir: string): string {
  mkdirSync(reportsDir, { recursive: true });
  const path = join(reportsDir, 'run.json');
  writeFileSync(path, runJson(run));
  return path;
}
