/**
 * Writes a run's reports into one directory (reports/ for `smets1 run` and `npm start`): junit.xml, report.html with
 * every DUIS document under duis/ (the page links to them), and run.json, the run as data, each only when asked for.
 */
import { accessSync, constants, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDuisFiles } from './duisFiles';
import { reportHtml } from './htmlReport';
import { junitXml, type JunitForm } from './junitReport';
import { runJson } from './jsonReport';
import type { RunResult } from './runResult';
import { makeDirectory } from '../../common/makeDirectory';

export interface WrittenReports {
  readonly junit: string;
  readonly html: string;
  /** Paths of the DUIS documents, relative to the reports directory. */
  readonly duis: readonly string[];
}

/** Which reports to write: junit.xml in a form (or none), report.html and duis/ (or not). */
export interface ReportChoice {
  readonly junit: JunitForm | false;
  readonly html: boolean;
}

export function writeReports(run: RunResult, reportsDir: string): WrittenReports;
export function writeReports(run: RunResult, reportsDir: string, choice: ReportChoice): Partial<WrittenReports>;
export function writeReports(run: RunResult, reportsDir: string, choice: ReportChoice = { junit: 'testsuite', html: true }): Partial<WrittenReports> {
  makeDirectory(reportsDir);
  const written: { junit?: string; html?: string; duis?: readonly string[] } = {};
  if (choice.junit !== false) {
    written.junit = join(reportsDir, 'junit.xml');
    writeFileSync(written.junit, junitXml(run, choice.junit));
  }
  if (choice.html) {
    written.duis = writeDuisFiles(run, reportsDir).map((f) => f.path);
    written.html = join(reportsDir, 'report.html');
    writeFileSync(written.html, reportHtml(run));
  }
  return written;
}

/**
 * Makes the reports directory and checks it can be written, before a run that would otherwise find out only at
 * its end. Throws an Error naming the directory and why.
 */
export function ensureReportsDir(reportsDir: string): void {
  try {
    makeDirectory(reportsDir);
    accessSync(reportsDir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'it (or a folder above it) is a file, not a directory' : (error as Error).message;
    throw new Error(`cannot write reports to ${reportsDir}: ${why}`);
  }
}

/** Writes run.json (jsonReport.ts) into the reports directory; returns its path. */
export function writeJsonReport(run: RunResult, reportsDir: string): string {
  makeDirectory(reportsDir);
  const path = join(reportsDir, 'run.json');
  writeFileSync(path, runJson(run));
  return path;
}
