/**
 * The installations' migration records of a run or a shard, one JSON object a line (installations.jsonl), with
 * the run's parameters in run.json beside it: what `smets1 merge` reads back. Written to a temporary file as the
 * records come and renamed into place at the end, so an interrupted run leaves no half-written file under the name.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { InstallationRecord } from './installationRun';

export const RECORDS_FILE = 'installations.jsonl';

export class RecordsWriter {
  private readonly temporary: string;
  private readonly fd: number;

  constructor(private readonly path: string) {
    this.temporary = `${path}.${process.pid}.tmp`;
    this.fd = openSync(this.temporary, 'w');
  }

  /** Written a MiB at a time: a day of 200,000 records is never one string in memory. */
  append(records: Iterable<InstallationRecord>): void {
    let text = '';
    for (const record of records) {
      text += `${JSON.stringify(record)}\n`;
      if (text.length >= 1024 ** 2) {
        writeSync(this.fd, text);
        text = '';
      }
    }
    if (text !== '') writeSync(this.fd, text);
  }

  commit(): void {
    closeSync(this.fd);
    renameSync(this.temporary, this.path);
  }

  abort(): void {
    closeSync(this.fd);
    rmSync(this.temporary, { force: true });
  }
}

/**
 * Records files above this are refused unread: a merge holds every record in memory (about 1 KB an installation), so
 * this bounds it at about 250,000 installations a shard; more needs more shards (a streaming merge is not written).
 */
const MAX_RECORDS_BYTES = 256 * 1024 ** 2;

/** Every record of a directory's installations.jsonl; a malformed line is an error naming the file and line. */
export function readRecords(directory: string): InstallationRecord[] {
  const path = join(directory, RECORDS_FILE);
  let text: string;
  try {
    if (statSync(path).size > MAX_RECORDS_BYTES) throw new Error(`over the ${MAX_RECORDS_BYTES}-byte limit`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const records: InstallationRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '' && i === lines.length - 1) break;
    let record: unknown;
    try {
      record = JSON.parse(lines[i]);
    } catch {
      throw new Error(`${path}:${i + 1}: not a JSON record`);
    }
    if (!isRecord(record))
      throw new Error(
        `${path}:${i + 1}: not an installation record (index, vendor, kind, outcome, attempts, alerts, endMs)`,
      );
    records.push(record);
  }
  return records;
}

function isRecord(value: unknown): value is InstallationRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(r.index) &&
    (r.vendor === 'itron' || r.vendor === 'elster') &&
    (r.kind === 'dormant' || r.kind === 'active') &&
    typeof r.outcome === 'string' &&
    Array.isArray(r.attempts) &&
    r.attempts.every(
      (a: unknown) =>
        typeof a === 'object' &&
        a !== null &&
        Number.isFinite((a as Record<string, unknown>).startMs) &&
        Number.isFinite((a as Record<string, unknown>).endMs) &&
        typeof (a as Record<string, unknown>).result === 'string',
    ) &&
    Array.isArray(r.alerts) &&
    r.alerts.every(
      (a: unknown) =>
        typeof a === 'object' &&
        a !== null &&
        typeof (a as Record<string, unknown>).code === 'string' &&
        Number.isFinite((a as Record<string, unknown>).atMs),
    ) &&
    Number.isFinite(r.endMs)
  );
}
