/**
 * Persistence of a bench (`--state DIR`), laid out so that a change costs one small write:
 *
 *   DIR/emulator.lock            the pid of the emulator that owns DIR (stateLock.ts)
 *   DIR/emulator-state.json      the base: JSON lines — a header (format, version, generation, the set configs),
 *                                then one record per set (its XState persisted snapshot, the unacknowledged alerts
 *                                its devices raised, the alert counter). Written whole at start-up only.
 *   DIR/sets/set-<i>.json        set i's record once it has changed since the base was written; it replaces the
 *                                base's line for set i. Only records of the base's generation count, so set files
 *                                left from before a rewrite of the base are ignored (and removed).
 *
 * Every file is replaced atomically (atomicFile.ts): a `kill -9` leaves the old record or the new one. A write
 * that fails (ENOSPC, short write, EIO) throws and leaves the last good file; the caller stops the bench
 * (hostPersistence.ts). Files are checked in full against the schema (stateSchema.ts) before anything is restored;
 * a bad file is refused with its path and the path of the bad field, and never reset.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceSetConfig } from '../host/benchConfig';
import type { HostState, PendingAlert, SetState } from '../host/deviceHost';
import { realFileSystem, removeTemporaries, replaceFile, syncDirectory, type FileSystem } from './atomicFile';
import { lockStateDirectory } from './stateLock';
import { describeSchemaError, validateHeader, validateSetRecord } from './stateSchema';

export const STATE_FILE = 'emulator-state.json';
export const SETS_DIRECTORY = 'sets';
export const STATE_FORMAT = 'smets1-emulator-state';
export const STATE_VERSION = 2;

export class StateError extends Error {
  override name = 'StateError';
}

export interface StateHeader {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  /** Increases each time the base is rewritten; set files of another generation are stale. */
  generation: number;
  savedAt: string;
  sets: DeviceSetConfig[];
}

export interface SetRecord extends SetState {
  set: number;
  generation: number;
}

export interface LoadedState extends HostState {
  generation: number;
}

const setFileName = (index: number) => `set-${index}.json`;
const SET_FILE = /^set-(\d+)\.json$/;

export class StateStore {
  readonly path: string;
  readonly setsDirectory: string;
  private generation = 0;
  private release: (() => void) | undefined;
  private writes = 0;

  constructor(
    readonly directory: string,
    private readonly files: FileSystem = realFileSystem,
  ) {
    this.path = join(directory, STATE_FILE);
    this.setsDirectory = join(directory, SETS_DIRECTORY);
  }

  /** Files written so far (base and set records). */
  get writeCount(): number {
    return this.writes;
  }

  /**
   * Creates DIR, takes its lock (refusing if another live emulator holds it) and removes temporaries left by a
   * process killed mid-write. Returns the names of the temporaries removed.
   */
  open(): string[] {
    try {
      mkdirSync(this.setsDirectory, { recursive: true });
    } catch (error) {
      throw new StateError(`cannot use state directory ${this.directory}: ${(error as Error).message}`);
    }
    try {
      this.release = lockStateDirectory(this.directory);
    } catch (error) {
      throw new StateError((error as Error).message);
    }
    return [...removeTemporaries(this.directory), ...removeTemporaries(this.setsDirectory).map((name) => join(SETS_DIRECTORY, name))];
  }

  close(): void {
    this.release?.();
    this.release = undefined;
  }

  exists(): boolean {
    return existsSync(this.path);
  }

  /** Reads and checks the whole state; undefined if there is none. Throws StateError for anything wrong. */
  load(): LoadedState | undefined {
    if (!this.exists()) return undefined;
    const fail = (file: string, why: string): never => {
      throw new StateError(`${file} ${why}; refusing to start. It was not changed: move ${this.directory} aside to start afresh.`);
    };
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path);
    } catch (error) {
      throw new StateError(`cannot read ${this.path}: ${(error as Error).message}`);
    }
    const lines = jsonLines(bytes, (line, error) => fail(this.path, `is corrupt (line ${line}: ${error.message})`));
    const header = lines[0] as Partial<StateHeader> | undefined;
    if (typeof header !== 'object' || header === null || Array.isArray(header)) fail(this.path, 'is not an emulator state file (its first line is not a JSON object)');
    if (header!.format !== STATE_FORMAT) fail(this.path, `is not an emulator state file (format ${JSON.stringify(header!.format)}, expected "${STATE_FORMAT}")`);
    if (header!.version !== STATE_VERSION) fail(this.path, `has state version ${JSON.stringify(header!.version)}; this emulator reads version ${STATE_VERSION}`);
    if (!validateHeader(header)) fail(this.path, `line 1 is wrong ${describeSchemaError(validateHeader.errors)}`);
    const { sets, generation } = header as StateHeader;
    if (lines.length - 1 !== sets.length) fail(this.path, `has ${lines.length - 1} set record(s) for ${sets.length} device set(s)`);

    const records: SetRecord[] = [];
    const check = (file: string, record: unknown, expectedSet: number): SetRecord => {
      if (!validateSetRecord(record)) fail(file, `is wrong ${describeSchemaError(validateSetRecord.errors)}`);
      const checked = record as SetRecord;
      if (checked.set !== expectedSet) fail(file, `holds set ${checked.set} where set ${expectedSet} belongs`);
      const why = structuralFault(checked, sets[expectedSet]);
      if (why) fail(file, why);
      return checked;
    };
    lines.slice(1).forEach((record, index) => records.push(check(`${this.path} line ${index + 2}`, record, index)));

    for (const name of this.setFileNames()) {
      const index = Number(SET_FILE.exec(name)![1]);
      const file = join(this.setsDirectory, name);
      let record: unknown;
      try {
        record = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        fail(file, `is corrupt (${(error as Error).message})`);
      }
      if ((record as Partial<SetRecord>)?.generation !== generation) continue; // older than the base: superseded
      if (index >= sets.length) fail(file, `is for set ${index}, but the bench has ${sets.length} set(s)`);
      records[index] = check(file, record, index);
    }

    this.generation = generation;
    const pendingAlerts: PendingAlert[] = records.flatMap((record) => record.pendingAlerts).sort((a, b) => a.id - b.id);
    const nextAlertId = Math.max(1, ...records.map((record) => record.nextAlertId), ...pendingAlerts.map((alert) => alert.id + 1));
    return { sets, snapshots: records.map((record) => record.snapshot), pendingAlerts, nextAlertId, generation };
  }

  /**
   * Writes a new base holding every set's record (a fresh bench, or a restored one compacted), then removes the
   * set files it supersedes. Returns each set's record text as written, for change detection.
   */
  writeBase(sets: DeviceSetConfig[], stateOf: (index: number) => SetState): string[] {
    const generation = this.exists() ? this.generation + 1 : 0;
    const header: StateHeader = { format: STATE_FORMAT, version: STATE_VERSION, generation, savedAt: new Date().toISOString(), sets };
    const texts: string[] = [];
    function* lines() {
      yield JSON.stringify(header) + '\n';
      for (let index = 0; index < sets.length; index++) {
        const text = recordText(index, generation, stateOf(index));
        texts.push(text);
        yield text + '\n';
      }
    }
    replaceFile(this.path, lines(), this.files);
    this.writes++;
    this.generation = generation;
    for (const name of this.setFileNames()) rmSync(join(this.setsDirectory, name), { force: true });
    syncDirectory(this.setsDirectory, this.files);
    return texts;
  }

  /** The text of set `index`'s record as `writeSet` would write it. */
  recordText(index: number, state: SetState): string {
    return recordText(index, this.generation, state);
  }

  /** Replaces set `index`'s record with `text` (from `recordText`), durably; throws if it cannot. */
  writeSet(index: number, text: string): void {
    replaceFile(join(this.setsDirectory, setFileName(index)), [text], this.files);
    this.writes++;
  }

  private setFileNames(): string[] {
    try {
      return readdirSync(this.setsDirectory).filter((name) => SET_FILE.test(name));
    } catch {
      return [];
    }
  }
}

/** The alert counter is the last field: hostPersistence.ts leaves it out of its change detection. */
function recordText(set: number, generation: number, state: SetState): string {
  const record: SetRecord = { set, generation, snapshot: state.snapshot, pendingAlerts: state.pendingAlerts, nextAlertId: state.nextAlertId };
  return JSON.stringify(record);
}

/** Parses newline-separated JSON values from bytes (the base can be larger than one string may be). */
function jsonLines(bytes: Buffer, corrupt: (line: number, error: Error) => never): unknown[] {
  const values: unknown[] = [];
  let start = 0;
  let line = 1;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    if (end > start) {
      try {
        values.push(JSON.parse(bytes.toString('utf8', start, end)));
      } catch (error) {
        corrupt(line, error as Error);
      }
    }
    start = end + 1;
    line++;
  }
  return values;
}

/** What the schema cannot say: the set's devices are the configured ones, each under its own EUI. */
function structuralFault(record: SetRecord, config: DeviceSetConfig): string | undefined {
  const snapshot = record.snapshot as { context: { members: Record<string, string> }; children: Record<string, { src: string; snapshot: { context: { eui: string; deviceType: string } } }> };
  const members = snapshot.context.members;
  for (const [type, eui] of Object.entries(config.euis)) {
    if (members[type] !== eui) return `is wrong at /snapshot/context/members/${type}: ${JSON.stringify(members[type])} is not the set's ${type} ${eui}`;
  }
  if (Object.keys(members).length !== Object.keys(config.euis).length) return `is wrong at /snapshot/context/members: the set has ${Object.keys(config.euis).join(', ')}`;
  const euis = new Set(Object.values(members));
  for (const [eui, child] of Object.entries(snapshot.children)) {
    if (!euis.has(eui)) return `is wrong at /snapshot/children/${eui}: not a device of this set`;
    const context = child.snapshot.context;
    if (context.eui !== eui) return `is wrong at /snapshot/children/${eui}/snapshot/context/eui: ${context.eui} is not ${eui}`;
    if (context.deviceType.toLowerCase() !== child.src || members[context.deviceType] !== eui) {
      return `is wrong at /snapshot/children/${eui}: a ${context.deviceType} context in a "${child.src}" actor`;
    }
  }
  if (Object.keys(snapshot.children).length !== euis.size) return `is wrong at /snapshot/children: not one child per device of the set`;
  for (const [i, alert] of record.pendingAlerts.entries()) {
    if (!euis.has(alert.source)) return `is wrong at /pendingAlerts/${i}/source: ${alert.source} is not a device of this set`;
  }
  return undefined;
}
