/**
 * The run as data (`smets1 run --reporter json`, reports/run.json): the RunResult itself (runResult.ts) under a
 * format name and version, so `smets1 diff` can compare two runs made apart (a lab bench and the emulator, a run
 * today and one last month) and refuse a file that is not one, or is of a version it does not read.
 *
 * Reading checks the fields the diff reads against a JSON schema (ajv), so a damaged or foreign file is refused
 * with the JSON path of its first bad field rather than read as an empty run; other fields pass through unread.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { RunResult } from './runResult';

const RUN_JSON_FORMAT = 'smets1-run';
const RUN_JSON_VERSION = 1;

export interface RunDocument extends RunResult {
  readonly format: typeof RUN_JSON_FORMAT;
  readonly version: typeof RUN_JSON_VERSION;
}

export function runJson(run: RunResult): string {
  const document: RunDocument = { format: RUN_JSON_FORMAT, version: RUN_JSON_VERSION, ...run };
  return `${JSON.stringify(document, null, 1)}\n`;
}

type Schema = Record<string, unknown>;
const STRING: Schema = { type: 'string' };
const NUMBER: Schema = { type: 'number' };
const fields = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  properties,
});
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });

const EVENT = fields(
  { at: NUMBER, lane: STRING, label: STRING, code: STRING, device: STRING, status: STRING, detail: STRING },
  ['code', 'device', 'status', 'detail'],
);
const EXPECTATION = fields({ step: STRING, at: NUMBER, expected: STRING, actual: STRING, passed: { type: 'boolean' } });
const SCENARIO = fields(
  {
    id: STRING,
    name: STRING,
    verdict: { enum: ['passed', 'failed', 'error', 'skipped'] },
    virtualStartMs: NUMBER,
    timeline: arrayOf(EVENT),
    expectations: arrayOf(EXPECTATION),
  },
  ['expectations'],
);
const RUN_SCHEMA: Schema = fields({ format: { const: RUN_JSON_FORMAT }, version: { const: RUN_JSON_VERSION }, scenarios: arrayOf(SCENARIO) });

let validate: ValidateFunction | undefined;

/** A run.json's text as a run; throws an Error naming `file` and what is wrong with it. */
export function parseRunJson(text: string, file: string): RunDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  const head = value as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== RUN_JSON_FORMAT) {
    throw new Error(`${file} is not a run (no "format": "${RUN_JSON_FORMAT}"; make one with smets1 run --reporter json)`);
  }
  if (head.version !== RUN_JSON_VERSION) throw new Error(`${file} is a run of version ${JSON.stringify(head.version)}; this smets1 reads version ${RUN_JSON_VERSION}`);
  validate ??= new Ajv({ allErrors: false, strict: true }).compile(RUN_SCHEMA);
  if (!validate(value)) {
    const error = validate.errors![0]!;
    throw new Error(`${file}: ${error.instancePath || '/'} ${error.message ?? 'is not valid'}`);
  }
  return value as RunDocument;
}
