/**
 * In-process DUIS 5.4 schema validation with libxml2 compiled to WASM (xmllint-wasm): no system xmllint. The three
 * XSDs are read once per validator and handed to one long-lived thread (xmllintWorker.ts) that keeps the compiled
 * WASM module. xmllint parses the XSDs again on every run (~30 ms), so documents are batched: one call's documents
 * go in one run, and documents of calls made while a run is under way (many benches in flight) share the next run.
 * A document that is not well-formed is reported as such without reaching libxml2, so one bad document never spoils
 * a batch; a batch libxml2 cannot finish is re-run one document at a time.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';
import { takeBuilt } from './builtDocuments';
import { XmllintWorker, type XmllintFile, type XmllintRun } from './xmllintWorker';

export interface DuisDocument {
  /** A label for reports (a template name, a file name); need not be unique. */
  readonly name: string;
  readonly xml: string;
}

export interface SchemaProblem {
  /** 1-based line in the document, when libxml2 gives one. */
  readonly line: number | null;
  readonly message: string;
}

export interface DocumentValidity {
  readonly name: string;
  readonly wellFormed: boolean;
  readonly valid: boolean;
  readonly problems: readonly SchemaProblem[];
}

const SCHEMA_DIR = fileURLToPath(new URL('./schema/', import.meta.url));
const SCHEMA_FILES = ['DUIS-Schema-V5.4.xsd', 'MMC-Schema-V5.4.xsd', 'xmldsig-core-schema.xsd'] as const;
/**
 * A document larger than this is refused unread: bounded memory (a 4.10 response at its 4320-entry maximum is ~0.5 MB).
 * The one DUIS document limit: `smets1 send` and a pack's `sr: { file }` refuse larger request files by it.
 */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
/** Documents per libxml2 run; with the size bound above, bounds one run's memory. */
const BATCH = 200;
const MAX_RUN_MEMORY_MIB = 512;

interface Queued {
  readonly doc: DuisDocument;
  readonly resolve: (result: DocumentValidity) => void;
  readonly reject: (error: Error) => void;
}

/** One runner (its queue and its xmllint thread) per schema directory, shared by every validator of the process. */
const runners = new Map<string, SchemaRunner>();

export interface ValidatorOptions {
  /**
   * Requests the harness built from the DCC's templates (builtDocuments.ts) are taken as valid without a libxml2
   * run: the gateway's validator in a DuisBench. Default false: every document is validated.
   */
  readonly trustBuilt?: boolean;
}

export class DuisValidator {
  private constructor(
    private readonly runner: SchemaRunner,
    private readonly trustBuilt: boolean,
  ) {}

  /** Reads the vendored schema (harness/duis/schema) once per process; validators of one schema share its thread. */
  static load(schemaDir: string = SCHEMA_DIR, options: ValidatorOptions = {}): DuisValidator {
    let runner = runners.get(schemaDir);
    if (runner === undefined) {
      const schemas: XmllintFile[] = SCHEMA_FILES.map((fileName) => ({
        fileName,
        contents: readFileSync(`${schemaDir}/${fileName}`, 'utf8'),
      }));
      runner = new SchemaRunner(new XmllintWorker({ schemas, maxMemoryMiB: MAX_RUN_MEMORY_MIB }));
      runners.set(schemaDir, runner);
    }
    return new DuisValidator(runner, options.trustBuilt ?? false);
  }

  async validateOne(xml: string, name = 'document'): Promise<DocumentValidity> {
    return (await this.validate([{ name, xml }]))[0];
  }

  /** Results in the order of `documents`. */
  async validate(documents: readonly DuisDocument[]): Promise<DocumentValidity[]> {
    return Promise.all(
      documents.map((doc) =>
        this.trustBuilt && takeBuilt(doc.xml)
          ? { name: doc.name, wellFormed: true, valid: true, problems: [] }
          : (wellFormednessFailure(doc) ?? this.runner.validate(doc)),
      ),
    );
  }

  /**
   * Stops the schema's thread, shared with the other validators of this schema (idle, it does not keep the process
   * alive anyway); a later call starts another.
   */
  close(): Promise<void> {
    return this.runner.close();
  }
}

/** Batches the documents of every caller into libxml2 runs on one thread, one run at a time. */
class SchemaRunner {
  /** Documents waiting for the next run. */
  private readonly queue: Queued[] = [];
  private draining = false;

  constructor(private readonly xmllint: XmllintWorker) {}

  validate(doc: DuisDocument): Promise<DocumentValidity> {
    return new Promise((resolve, reject) => {
      this.queue.push({ doc, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  close(): Promise<void> {
    return this.xmllint.close();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    // let the rest of the caller's documents (and other callers' in the same tick) join the first run
    await Promise.resolve();
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, BATCH);
        try {
          const results = await this.runBatch(batch.map((entry) => entry.doc));
          batch.forEach((entry, i) => entry.resolve(results[i]));
        } catch (error) {
          for (const entry of batch) entry.reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async runBatch(docs: readonly DuisDocument[]): Promise<DocumentValidity[]> {
    const files = docs.map((doc, i) => ({ fileName: `doc-${i}.xml`, contents: doc.xml }));
    const run = await this.xmllint.run(files);
    if (run.exitCode !== 0 && run.exitCode !== 3 && run.exitCode !== 4) {
      // libxml2 stopped short of a verdict (e.g. a parse error fast-xml-parser tolerated): isolate documents
      if (docs.length > 1) return (await Promise.all(docs.map((doc) => this.runBatch([doc])))).flat();
      return [
        {
          name: docs[0].name,
          wellFormed: false,
          valid: false,
          problems: [{ line: null, message: libxmlMessage(run) }],
        },
      ];
    }
    const problemsByFile = new Map<string, SchemaProblem[]>();
    const failed = new Set<string>();
    for (const line of run.stderr.split('\n')) {
      const summary = /^(doc-\d+\.xml) fails to validate/.exec(line);
      if (summary !== null) failed.add(summary[1]);
      const located = /^(doc-\d+\.xml):(\d+):(.*)$/.exec(line);
      if (located === null) continue; // "doc-3.xml validates" and other summary lines
      const list = problemsByFile.get(located[1]) ?? [];
      list.push({ line: Number(located[2]), message: located[3].trim() });
      problemsByFile.set(located[1], list);
    }
    return docs.map((doc, i) => {
      const file = files[i].fileName;
      const problems = problemsByFile.get(file) ?? [];
      const valid = run.exitCode === 0 || (!failed.has(file) && problems.length === 0);
      return { name: doc.name, wellFormed: true, valid, problems };
    });
  }
}

function wellFormednessFailure(doc: DuisDocument): DocumentValidity | undefined {
  if (Buffer.byteLength(doc.xml, 'utf8') > MAX_DOCUMENT_BYTES) {
    return {
      name: doc.name,
      wellFormed: false,
      valid: false,
      problems: [{ line: null, message: `document larger than ${MAX_DOCUMENT_BYTES} bytes` }],
    };
  }
  const check = XMLValidator.validate(doc.xml);
  if (check === true) return undefined;
  return {
    name: doc.name,
    wellFormed: false,
    valid: false,
    problems: [{ line: check.err.line, message: `not well-formed XML: ${check.err.msg}` }],
  };
}

function libxmlMessage(run: XmllintRun): string {
  const first = run.stderr.split('\n').find((line) => line.trim() !== '') ?? 'libxml2 could not read the document';
  return `not well-formed XML: ${first.replace(/^doc-\d+\.xml:/, 'line ')}`;
}
