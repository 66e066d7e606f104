/**
 * Where each DUIS document of a run is written: reports/duis/<scenario>/<n>-<name>-<direction>.xml, n counting from
 * 001 in the order of the scenario's `duis` (so a listing sorts in time order). A document a modelled defect made
 * schema-invalid on purpose (`schemaInvalid`) goes to reports/duis-invalid/ instead, so reports/duis/ validates. Names are made file-safe; two
 * scenario ids that become the same folder name are told apart by a suffix, so no document overwrites another.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from './runResult';
import { makeDirectory } from '../../common/makeDirectory';

export interface DuisFile {
  /** Relative to the reports directory, with `/` separators (also the link target in report.html). */
  readonly path: string;
  readonly scenarioIndex: number;
  readonly duisIndex: number;
}

/** Every DUIS document's file, in scenario then document order. */
export function duisFiles(run: RunResult): DuisFile[] {
  const files: DuisFile[] = [];
  for (const [scenarioIndex, folder] of scenarioFolders(run).entries()) {
    for (const [duisIndex, doc] of run.scenarios[scenarioIndex].duis.entries()) {
      const n = String(duisIndex + 1).padStart(3, '0');
      files.push({ path: `${doc.schemaInvalid === undefined ? 'duis' : 'duis-invalid'}/${folder}/${n}-${fileSafe(doc.name)}-${doc.direction}.xml`, scenarioIndex, duisIndex });
    }
  }
  return files;
}

/** Replaces reportsDir/duis (and duis-invalid) with this run's documents (a stale document from an earlier run would mislead). */
export function writeDuisFiles(run: RunResult, reportsDir: string): DuisFile[] {
  const files = duisFiles(run);
  rmSync(join(reportsDir, 'duis'), { recursive: true, force: true });
  rmSync(join(reportsDir, 'duis-invalid'), { recursive: true, force: true });
  const made = new Set<string>(); // a scenario's folder once, not once a document
  for (const file of files) {
    const target = join(reportsDir, ...file.path.split('/'));
    const folder = join(target, '..');
    if (!made.has(folder)) makeDirectory(folder);
    made.add(folder);
    writeFileSync(target, run.scenarios[file.scenarioIndex].duis[file.duisIndex].xml);
  }
  return files;
}

/** One folder name per scenario, unique within the run. */
function scenarioFolders(run: RunResult): string[] {
  const used = new Set<string>();
  return run.scenarios.map((scenario) => {
    const base = fileSafe(scenario.id);
    let name = base;
    for (let k = 2; used.has(name); k += 1) name = `${base}-${k}`;
    used.add(name);
    return name;
  });
}

/** Letters, digits, `.`, `_` and `-` kept; runs of anything else become one `_`; at most 80 characters. */
function fileSafe(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
  return safe === '' ? '_' : safe;
}
