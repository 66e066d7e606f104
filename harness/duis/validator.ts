/**
 * In-process DUIS 5.4 schema validation with xmllint-wasm (libxml2 compiled to WASM, run in a worker): no system
 * xmllint. The three XSDs are read once per validator; one call validates many documents (a call costs about
 * 150 ms whatever the batch size, so callers batch). A document that is not well-formed is reported as such without
 * reaching libxml2, so one bad document never spoils a batch.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';
import { memoryPages, validateXML, type XMLFileInfo } from 'xmllint-wasm';

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
/** A document larger than this is refused unread: bounded memory (a 4.10 response at its 4320-entry maximum is ~0.5 MB). */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
/** Documents per libxml2 run; bounds the worker's memory. */
const BATCH = 200;

export class DuisValidator {
  private constructor(private readonly schemas: readonly XMLFileInfo[]) {}

  /** Reads the vendored schema (harness/duis/schema) once. */
  static load(schemaDir: string = SCHEMA_DIR): DuisValidator {
    return new DuisValidator(SCHEMA_FILES.map((fileName) => ({ fileName, contents: readFileSync(`${schemaDir}/${fileName}`, 'utf8') })));
  }

  async validateOne(xml: string, name = 'document'): Promise<DocumentValidity> {
    return (await this.validate([{ name, xml }]))[0];
  }

  /** Results in the order of `documents`. */
  async validate(documents: readonly DuisDocument[]): Promise<DocumentValidity[]> {
    const results: (DocumentValidity | undefined)[] = documents.map((doc) => wellFormednessFailure(doc));
    const pending = documents.map((doc, index) => ({ doc, index })).filter(({ index }) => results[index] === undefined);
    for (let start = 0; start < pending.length; start += BATCH) {
      const batch = pending.slice(start, start + BATCH);
      for (const [k, result] of (await this.runBatch(batch.map(({ doc }) => doc))).entries()) results[batch[k].index] = result;
    }
    return results as DocumentValidity[];
  }

  private async runBatch(docs: readonly DuisDocument[]): Promise<DocumentValidity[]> {
    const files = docs.map((doc, i) => ({ fileName: `doc-${i}.xml`, contents: doc.xml }));
    let output: Awaited<ReturnType<typeof validateXML>>;
    try {
      output = await validateXML({
        xml: files,
        schema: this.schemas[0],
        preload: this.schemas.slice(1),
        maxMemoryPages: 512 * memoryPages.MiB,
      });
    } catch (error) {
      // libxml2 exits with a non-validation status (e.g. a parse error fast-xml-parser tolerated): isolate documents
      if (docs.length > 1) return (await Promise.all(docs.map((doc) => this.runBatch([doc])))).flat();
      return [{ name: docs[0].name, wellFormed: false, valid: false, problems: [{ line: null, message: libxmlMessage(error) }] }];
    }
    const problemsByFile = new Map<string, SchemaProblem[]>();
    for (const error of output.errors) {
      if (error.loc === null) continue; // "doc-3.xml fails to validate" summary lines
      const list = problemsByFile.get(error.loc.fileName) ?? [];
      list.push({ line: Number.isFinite(error.loc.lineNumber) ? error.loc.lineNumber : null, message: error.message });
      problemsByFile.set(error.loc.fileName, list);
    }
    const failed = new Set(
      output.rawOutput
        .split('\n')
        .map((line) => /^(doc-\d+\.xml) fails to validate/.exec(line)?.[1])
        .filter((file): file is string => file !== undefined),
    );
    return docs.map((doc, i) => {
      const file = files[i].fileName;
      const problems = problemsByFile.get(file) ?? [];
      const valid = output.valid || (!failed.has(file) && problems.length === 0);
      return { name: doc.name, wellFormed: true, valid, problems };
    });
  }
}

function wellFormednessFailure(doc: DuisDocument): DocumentValidity | undefined {
  if (Buffer.byteLength(doc.xml, 'utf8') > MAX_DOCUMENT_BYTES) {
    return { name: doc.name, wellFormed: false, valid: false, problems: [{ line: null, message: `document larger than ${MAX_DOCUMENT_BYTES} bytes` }] };
  }
  const check = XMLValidator.validate(doc.xml);
  if (check === true) return undefined;
  return { name: doc.name, wellFormed: false, valid: false, problems: [{ line: check.err.line, message: `not well-formed XML: ${check.err.msg}` }] };
}

function libxmlMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split('\n').find((line) => line.trim() !== '') ?? 'libxml2 could not read the document';
  return `not well-formed XML: ${first.replace(/^doc-\d+\.xml:/, 'line ')}`;
}
