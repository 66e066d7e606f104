/**
 * Persistence of a bench (`--state DIR`), laid out so that a change costs one small in-place write and one flush:
 *
 *   DIR/emulator.lock              pid and start time of the emulator that owns DIR (stateLock.ts)
 *   DIR/emulator-state.json        the base: JSON lines — a header (format, version, generation, slot size, the set
 *                                  configs), then one record per set (its XState persisted snapshot, the
 *                                  unacknowledged alerts its devices raised, the alert counter). Written whole at
 *                                  start-up (and when a record outgrows its slot).
 *   DIR/emulator-state.<g>.slots   generation g's change slots: two per set, `slotSize` bytes each, in set order.
 *                                  A set's changes go to its two slots in turn, as `<sequence> <sha1> <record>`
 *                                  padded with spaces; the intact one with the higher sequence replaces the base's
 *                                  line for that set. Created sparse (no disk space until a slot is first written).
 *
 * The base and the slots file are created atomically (temporary, fsync, rename, directory fsync). A slot is
 * overwritten in place and fdatasync'ed; a write torn by a crash fails its checksum and the set's other slot (the
 * previous record) is used, so a `kill -9` or a power cut never loses an acknowledged change. A write that fails
 * (ENOSPC, short write, EIO) throws and leaves the last good slot; the caller stops the bench (hostPersistence.ts).
 * Everything is checked against the schema (stateSchema.ts) before anything is restored; a bad file is refused
 * with its path and the path of the bad field, and never reset.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, ftruncateSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceSetConfig } from '../host/benchConfig';
import type { HostState, PendingAlert, SetState } from '../host/deviceHost';
import { realFileSystem, removeTemporaries, replaceFile, writeAt, type FileSystem } from './atomicFile';
import { migrateLegacyEsme, pendingIn } from './legacyEsmeState';
import { mapChildSnapshots } from './jsonValue';
import { leftoverMigrationRegion, migrateV5DeviceSnapshot } from './legacyMigrationState';
import { dropLegacyResumptionChildren } from './legacyTimersResumption';
import { lockStateDirectory } from './stateLock';
import {
  describeSchemaError,
  LEGACY_VERSIONS,
  stateValueFault,
  STATE_VERSION,
  validateHeader,
  validateSetRecord,
  type LegacyVersion,
} from './stateSchema';
import { makeDirectory } from '../../common/makeDirectory';
import type { EsmeContext } from '../../devices/esme/esmeContext';
import { nextPaymentState, paymentViewOf } from '../../devices/esme/paymentState';
import { powerStateOf } from '../../devices/esme/powerState';

export const STATE_FILE = 'emulator-state.json';
const STATE_FORMAT = 'smets1-emulator-state';
const isLegacyVersion = (version: unknown): version is LegacyVersion => LEGACY_VERSIONS.includes(version as never);

export class StateError extends Error {
  override name = 'StateError';
}

interface StateHeader {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION | LegacyVersion;
  /** Increases each time the base is rewritten; only this generation's slots count. */
  generation: number;
  /** Bytes per change slot (two per set). */
  slotSize: number;
  savedAt: string;
  sets: DeviceSetConfig[];
}

interface SetRecord extends SetState {
  set: number;
  generation: number;
}

export interface LoadedState extends HostState {
  generation: number;
}

const SLOTS_FILE = /^emulator-state\.(\d+)\.slots$/;
const SLOT_ALIGN = 4096;
const checksum = (text: string) => createHash('sha1').update(text).digest('base64');

/** A slot: empty (never written), a record with its sequence, or why it is unusable (torn). */
function readSlot(bytes: Buffer): { sequence: number; record: unknown } | 'empty' | string {
  const head = /^(\d+) (\S+) /.exec(bytes.toString('latin1', 0, Math.min(bytes.length, 64)));
  if (!head)
    return bytes.every((byte) => byte === 0 || byte === 0x20 || byte === 0x0a)
      ? 'empty'
      : 'does not start with a sequence and a checksum';
  const recordText = bytes.toString('utf8', head[0].length).trimEnd();
  if (checksum(recordText) !== head[2]) return 'fails its checksum (a write torn by a crash)';
  try {
    return { sequence: Number(head[1]), record: JSON.parse(recordText) };
  } catch (error) {
    return `is corrupt (${(error as Error).message})`;
  }
}

export class StateStore {
  readonly path: string;
  private generation = 0;
  private slotSize = 0;
  private slotsFd: number | undefined;
  /** Per set: the sequence of its newest slot (0: none since the base). */
  private sequences: number[] = [];
  private sets: DeviceSetConfig[] = [];
  private stateOf: ((index: number) => SetState) | undefined;
  private release: (() => void) | undefined;
  private writes = 0;

  /**
   * `flush` (default): every change is fdatasync'ed before it is answered — it survives a power cut.
   * `os`: a change is answered once written to the operating system — it survives `kill -9` and any crash of the
   * emulator, not a power cut or a kernel crash; writes still fail (and stop the bench) on a full disk.
   */
  readonly sync: 'flush' | 'os';

  constructor(
    readonly directory: string,
    private readonly files: FileSystem = realFileSystem,
    options: { sync?: 'flush' | 'os' } = {},
  ) {
    this.sync = options.sync ?? 'flush';
    this.path = join(directory, STATE_FILE);
  }

  /** Files and slots written so far. */
  get writeCount(): number {
    return this.writes;
  }

  slotsPath(generation = this.generation): string {
    return join(this.directory, `emulator-state.${generation}.slots`);
  }

  /**
   * Creates DIR, takes its lock (refusing if another live emulator holds it) and removes temporaries left by a
   * process killed mid-write. Returns the names of the temporaries removed.
   */
  open(): string[] {
    try {
      makeDirectory(this.directory);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'EEXIST' || code === 'ENOTDIR'
          ? 'it (or a folder above it) is a file, not a directory'
          : (error as Error).message;
      throw new StateError(`cannot use state directory ${this.directory}: ${why}`);
    }
    try {
      this.release = lockStateDirectory(this.directory);
    } catch (error) {
      throw new StateError((error as Error).message);
    }
    return removeTemporaries(this.directory);
  }

  close(): void {
    if (this.slotsFd !== undefined) closeSync(this.slotsFd);
    this.slotsFd = undefined;
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
      throw new StateError(
        `${file} ${why}; refusing to start. It was not changed: move ${this.directory} aside to start afresh.`,
      );
    };
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path);
    } catch (error) {
      throw new StateError(`cannot read ${this.path}: ${(error as Error).message}`);
    }
    const lines = jsonLines(bytes, (line, error) => fail(this.path, `is corrupt (line ${line}: ${error.message})`));
    const header = lines[0] as Partial<StateHeader> | undefined;
    if (typeof header !== 'object' || header === null || Array.isArray(header))
      fail(this.path, 'is not an emulator state file (its first line is not a JSON object)');
    if (header!.format !== STATE_FORMAT)
      fail(
        this.path,
        `is not an emulator state file (format ${JSON.stringify(header!.format)}, expected "${STATE_FORMAT}")`,
      );
    if (header!.version !== STATE_VERSION && !isLegacyVersion(header!.version))
      fail(
        this.path,
        `has state version ${JSON.stringify(header!.version)}; this emulator reads versions ${LEGACY_VERSIONS.join(', ')} and ${STATE_VERSION}`,
      );
    const legacy = isLegacyVersion(header!.version) ? header!.version : undefined;
    if (!validateHeader(header)) fail(this.path, `line 1 is wrong ${describeSchemaError(validateHeader.errors)}`);
    const { sets, generation, slotSize } = header as StateHeader;
    if (lines.length - 1 !== sets.length)
      fail(this.path, `has ${lines.length - 1} set record(s) for ${sets.length} device set(s)`);

    const records: SetRecord[] = [];
    const check = (where: string, read: unknown, expectedSet: number): SetRecord => {
      const record = migrateRecord(read, legacy);
      if (!validateSetRecord(record)) fail(where, `is wrong ${describeSchemaError(validateSetRecord.errors)}`);
      const checked = record as SetRecord;
      if (checked.set !== expectedSet) fail(where, `holds set ${checked.set} where set ${expectedSet} belongs`);
      if (checked.generation !== generation)
        fail(where, `is of generation ${checked.generation}, not the base's ${generation}`);
      const why = structuralFault(checked, sets[expectedSet]);
      if (why) fail(where, why);
      return checked;
    };
    lines.slice(1).forEach((record, index) => records.push(check(`${this.path} line ${index + 2}`, record, index)));

    // Each set's newest intact slot replaces its base line. One torn slot is what a crash mid-write leaves (the
    // other is then the newest); two are damage.
    this.sequences = sets.map(() => 0);
    const slotsPath = this.slotsPath(generation);
    let slots: Buffer | undefined;
    try {
      slots = readFileSync(slotsPath);
    } catch (error) {
      // Missing: no change since the base (a crash between writing the base and its slots file leaves that too).
      // Anything else (unreadable, a directory) is damage: refused, never taken for "no change".
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        fail(slotsPath, `cannot be read: ${(error as Error).message}`);
    }
    // The slots file is written at its full size with the base; any other length is damage (a truncated or
    // replaced file would otherwise read as empty slots and silently lose acknowledged changes).
    if (slots && slots.length !== 2 * sets.length * slotSize) {
      fail(
        slotsPath,
        `is ${slots.length} bytes where ${sets.length} set(s) of two ${slotSize}-byte slots take ${2 * sets.length * slotSize}`,
      );
    }
    if (slots) {
      sets.forEach((_, index) => {
        const where = (copy: number) => `${slotsPath} slot ${copy + 1} of set ${index}`;
        const found = [0, 1].map((copy) => {
          const start = (2 * index + copy) * slotSize;
          return readSlot(slots!.subarray(Math.min(start, slots!.length), Math.min(start + slotSize, slots!.length)));
        });
        const torn = found
          .map((slot, copy) => (typeof slot === 'string' && slot !== 'empty' ? `${where(copy)} ${slot}` : undefined))
          .filter(Boolean);
        if (torn.length === 2) fail(`${slotsPath}`, `has both slots of set ${index} unusable: ${torn.join('; ')}`);
        const intact = found
          .flatMap((slot, copy) => (typeof slot === 'object' ? [{ ...slot, copy }] : []))
          .sort((a, b) => b.sequence - a.sequence);
        if (intact.length === 0) return;
        records[index] = check(where(intact[0].copy), intact[0].record, index);
        this.sequences[index] = intact[0].sequence;
      });
    }

    this.generation = generation;
    this.slotSize = slotSize;
    const pendingAlerts: PendingAlert[] = records.flatMap((record) => record.pendingAlerts).sort((a, b) => a.id - b.id);
    const nextAlertId = Math.max(
      1,
      ...records.map((record) => record.nextAlertId),
      ...pendingAlerts.map((alert) => alert.id + 1),
    );
    return { sets, snapshots: records.map((record) => record.snapshot), pendingAlerts, nextAlertId, generation };
  }

  /**
   * Writes a new base holding every set's record as `stateOf` gives it now (a fresh bench, a restored one
   * compacted, or a record that outgrew its slot), with an empty slots file sized for it, then removes the files
   * of the old generation. `written` sees each set's record text as written, for change detection. Records are
   * made twice (once to size the slots, once to write) rather than all held at once: 20,000 sets are 550 MB.
   */
  writeBase(
    sets: DeviceSetConfig[],
    stateOf: (index: number) => SetState,
    written?: (index: number, text: string) => void,
  ): void {
    const generation = this.exists() ? this.generation + 1 : 0;
    let longestText = 0;
    sets.forEach((_, index) => {
      const text = recordText(index, generation, stateOf(index));
      written?.(index, text);
      longestText = Math.max(longestText, Buffer.byteLength(text));
    });
    // Room for the longest record and a quarter more (at least 4 KiB), so a record grows a while in place.
    const longest = longestText + 80;
    const slotSize = Math.ceil((longest + Math.max(SLOT_ALIGN, longest / 4)) / SLOT_ALIGN) * SLOT_ALIGN;
    const header: StateHeader = {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      generation,
      slotSize,
      savedAt: new Date().toISOString(),
      sets,
    };

    if (this.slotsFd !== undefined) closeSync(this.slotsFd);
    this.slotsFd = undefined;
    // The new generation's slots first (sparse: all empty), then the base that names that generation.
    replaceFile(this.slotsPath(generation), [], this.files, (fd) => ftruncateSync(fd, 2 * slotSize * sets.length));
    replaceFile(
      this.path,
      (function* () {
        yield JSON.stringify(header) + '\n';
        for (let index = 0; index < sets.length; index++) yield recordText(index, generation, stateOf(index)) + '\n';
      })(),
      this.files,
    );
    this.writes++;
    for (const name of readdirSync(this.directory)) {
      const slotsOf = SLOTS_FILE.exec(name);
      if (slotsOf && Number(slotsOf[1]) !== generation) rmSync(join(this.directory, name), { force: true });
    }
    this.generation = generation;
    this.slotSize = slotSize;
    this.sequences = sets.map(() => 0);
    this.sets = sets;
    this.stateOf = stateOf;
    this.slotsFd = this.files.openSync(this.slotsPath(), 'r+');
  }

  /** The text of set `index`'s record as `writeSet` would write it. */
  recordText(index: number, state: SetState): string {
    return recordText(index, this.generation, state);
  }

  /**
   * Makes `text` (from `recordText`) set `index`'s record, durably; throws if it cannot. It goes to the slot that
   * does not hold the newest record, so a torn write can only lose the record being written (not yet answered).
   * A record too long for its slot rewrites the base with larger slots.
   */
  writeSet(index: number, text: string): void {
    if (this.slotsFd === undefined) throw new Error('StateStore.writeSet before writeBase');
    const sequence = this.sequences[index] + 1;
    const line = Buffer.from(`${sequence} ${checksum(text)} ${text}`, 'utf8');
    if (line.length + 1 > this.slotSize) {
      this.writeBase(this.sets, this.stateOf!);
      return;
    }
    const slot = Buffer.alloc(this.slotSize, 0x20);
    line.copy(slot);
    slot[slot.length - 1] = 0x0a;
    try {
      writeAt(this.files, this.slotsFd, slot, (2 * index + (sequence % 2)) * this.slotSize);
      if (this.sync === 'flush') this.files.fdatasyncSync(this.slotsFd);
    } catch (error) {
      throw new Error(`cannot write ${this.slotsPath()} (set ${index}): ${(error as Error).message}`, { cause: error });
    }
    this.sequences[index] = sequence;
    this.writes++;
  }
}

/**
 * A record in the current shape: a version-2 to -5 record's devices migrated (legacyEsmeState.ts), and in any
 * version the resumption children older code persisted dropped (legacyTimersResumption.ts); anything else as it is.
 */
function migrateRecord(record: unknown, legacy: LegacyVersion | undefined): unknown {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
  const { snapshot } = record as { snapshot?: unknown };
  // every device to version 6's shape, the ESME to version 5's first
  const current =
    legacy === undefined
      ? snapshot
      : mapChildSnapshots(snapshot, (src, device) =>
          migrateV5DeviceSnapshot(src === 'esme' ? migrateLegacyEsme(device, legacy) : device),
        );
  return { ...record, snapshot: dropLegacyResumptionChildren(current) };
}

/** The alert counter is the last field: hostPersistence.ts leaves it out of its change detection. */
function recordText(set: number, generation: number, state: SetState): string {
  const record: SetRecord = {
    set,
    generation,
    snapshot: state.snapshot,
    pendingAlerts: state.pendingAlerts,
    nextAlertId: state.nextAlertId,
  };
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

type EsmeTimers = { detectors: Record<string, string>; meteringSchedule: { timer: string }[] };

/**
 * A detector waiting on a period whose timer is not in the schedule: nothing would ever end its wait, and the meter
 * would never raise (or return) that alert. Only a hand-edited file has one.
 */
function unarmedPeriod(context: EsmeTimers): string | undefined {
  for (const [name, pending] of Object.entries(pendingIn)) {
    const state = context.detectors[name];
    if (!pending.includes(state)) continue;
    if (!context.meteringSchedule.some((entry) => entry.timer === name))
      return `${name}: "${state}" waits on a period with no timer in meteringSchedule`;
  }
  return undefined;
}

/**
 * An ESME whose power or payment state is not the one its context puts it in (power `outage` with no outage start,
 * `metering` while dumb, `exhausted` in credit mode…): the meter judges them only when what they watch changes, so
 * it would stay wrong until then. The emulator writes them judged; only a hand-edited file has one. Names the field.
 */
function unjudgedSupply(context: EsmeContext): string | undefined {
  const power = powerStateOf(context);
  if (context.power !== power)
    return `power: "${context.power}" where outageStartedAt ${context.outageStartedAt} and migrationState "${context.migrationState}" make it "${power}"`;
  const view = paymentViewOf(context);
  const next = nextPaymentState(context.payment, view);
  if (next !== undefined)
    return `payment: "${context.payment}" would at once become "${next}" (paymentMode "${view.paymentMode}", creditBalance ${view.creditBalance}, creditExhaustion ${view.creditExhaustion})`;
  return undefined;
}

type SwapView = { migrationState: string; swapInProgress: boolean };

/**
 * A swap in progress on a device that is not in smso: dcc and dumb end the swap (devices/common/deviceCore.ts), and
 * the device would become dumb on the next refusal though it is in the DCC. Only a hand-edited file has one.
 */
function strayedSwap(context: SwapView): string | undefined {
  if (context.swapInProgress && context.migrationState !== 'smso')
    return `swapInProgress: true while migrationState is "${context.migrationState}" (a swap is only ever in progress in smso)`;
  return undefined;
}

/**
 * What the schema cannot say: the set's devices are the configured ones, each under its own EUI, none is in a swap
 * outside smso, no ESME detector waits on a period with no timer for it, and every ESME's power and payment states
 * are the ones its context says.
 */
function structuralFault(record: SetRecord, config: DeviceSetConfig): string | undefined {
  const snapshot = record.snapshot as {
    context: { members: Record<string, string> };
    children: Record<
      string,
      { src: string; snapshot: { value: unknown; context: { eui: string; deviceType: string } & SwapView } }
    >;
  };
  const members = snapshot.context.members;
  for (const [type, eui] of Object.entries(config.euis)) {
    if (members[type] !== eui)
      return `is wrong at /snapshot/context/members/${type}: ${JSON.stringify(members[type])} is not the set's ${type} ${eui}`;
  }
  if (Object.keys(members).length !== Object.keys(config.euis).length)
    return `is wrong at /snapshot/context/members: the set has ${Object.keys(config.euis).join(', ')}`;
  const setValueFault = stateValueFault('set', (record.snapshot as { value: unknown }).value);
  if (setValueFault) return `is wrong at /snapshot/value: it ${setValueFault}`;
  const euis = new Set(Object.values(members));
  for (const [eui, child] of Object.entries(snapshot.children)) {
    if (!euis.has(eui)) return `is wrong at /snapshot/children/${eui}: not a device of this set`;
    const context = child.snapshot.context;
    if (context.eui !== eui)
      return `is wrong at /snapshot/children/${eui}/snapshot/context/eui: ${context.eui} is not ${eui}`;
    if (context.deviceType.toLowerCase() !== child.src || members[context.deviceType] !== eui) {
      return `is wrong at /snapshot/children/${eui}: a ${context.deviceType} context in a "${child.src}" actor`;
    }
    const leftover = leftoverMigrationRegion(child.snapshot.value, context.migrationState);
    if (leftover) return `is wrong at /snapshot/children/${eui}/snapshot/value/migration: ${leftover}`;
    const valueFault = stateValueFault(child.src, child.snapshot.value);
    if (valueFault) return `is wrong at /snapshot/children/${eui}/snapshot/value: it ${valueFault}`;
    const swap = strayedSwap(context);
    if (swap) return `is wrong at /snapshot/children/${eui}/snapshot/context/${swap}`;
    if (child.src === 'esme') {
      const why = unarmedPeriod(child.snapshot.context as unknown as EsmeTimers);
      if (why) return `is wrong at /snapshot/children/${eui}/snapshot/context/detectors/${why}`;
      const unjudged = unjudgedSupply(child.snapshot.context as unknown as EsmeContext);
      if (unjudged) return `is wrong at /snapshot/children/${eui}/snapshot/context/${unjudged}`;
    }
  }
  if (Object.keys(snapshot.children).length !== euis.size)
    return `is wrong at /snapshot/children: not one child per device of the set`;
  for (const [i, alert] of record.pendingAlerts.entries()) {
    if (!euis.has(alert.source))
      return `is wrong at /pendingAlerts/${i}/source: ${alert.source} is not a device of this set`;
  }
  return undefined;
}
