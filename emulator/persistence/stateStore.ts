/**
 * Persistence of a bench (`--state DIR`): the device sets' XState persisted snapshots (slots, logs, timers,
 * configuration), and the queue of alerts not yet acknowledged, in one JSON file `DIR/emulator-state.json`.
 * Written atomically on every change: a temporary file, fsync, rename over the old one, fsync of the directory, so
 * a `kill -9` at any instant leaves either the previous state or the new one, never a torn file. Changes made in
 * one turn of the event loop are written once, at its end (a microtask), not once per actor.
 * A corrupt or foreign file is refused with a message naming the file and the fault; it is never reset.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceSetConfig } from '../host/benchConfig';
import type { HostState, PendingAlert } from '../host/deviceHost';

export const STATE_FILE = 'emulator-state.json';
const STATE_FORMAT = 'smets1-emulator-state';
const STATE_VERSION = 1;

export class StateError extends Error {
  override name = 'StateError';
}

export interface StateFile extends HostState {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  savedAt: string;
}

export class StateStore {
  readonly path: string;
  private scheduled = false;
  private writes = 0;

  constructor(readonly directory: string) {
    this.path = join(directory, STATE_FILE);
  }

  get writeCount(): number {
    return this.writes;
  }

  exists(): boolean {
    return existsSync(this.path);
  }

  /** Reads and checks the state file; undefined if there is none. Throws StateError for anything else wrong. */
  load(): HostState | undefined {
    if (!this.exists()) return undefined;
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      throw new StateError(`cannot read ${this.path}: ${(error as Error).message}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new StateError(
        `${this.path} is corrupt (${(error as Error).message}); refusing to start. It was not changed: move it aside to start afresh.`,
      );
    }
    return checkState(data, this.path);
  }

  /** Schedules a write of `state()` at the end of this turn; several changes in one turn make one write. */
  scheduleSave(state: () => HostState): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.save(state());
    });
  }

  save(state: HostState): void {
    mkdirSync(this.directory, { recursive: true });
    const file: StateFile = { format: STATE_FORMAT, version: STATE_VERSION, savedAt: new Date().toISOString(), ...state };
    const temporary = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, JSON.stringify(file));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
    // The rename is durable only once the directory entry is: fsync the directory too.
    const dir = openSync(this.directory, 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    this.writes++;
  }
}

function checkState(data: unknown, path: string): HostState {
  const fail = (why: string): never => {
    throw new StateError(`${path} ${why}; refusing to start. It was not changed: move it aside to start afresh.`);
  };
  if (typeof data !== 'object' || data === null) return fail('is not a JSON object');
  const file = data as Partial<StateFile>;
  if (file.format !== STATE_FORMAT) fail(`is not an emulator state file (format ${JSON.stringify(file.format)}, expected "${STATE_FORMAT}")`);
  if (file.version !== STATE_VERSION) fail(`has state version ${JSON.stringify(file.version)}; this emulator reads version ${STATE_VERSION}`);
  if (!Array.isArray(file.sets) || file.sets.length === 0) fail('has no device sets');
  if (!Array.isArray(file.snapshots) || file.snapshots.length !== file.sets!.length) fail('has a snapshot count that does not match its device sets');
  if (!Array.isArray(file.pendingAlerts)) fail('has no alert queue');
  if (typeof file.nextAlertId !== 'number') fail('has no alert counter');
  file.sets!.forEach((set: DeviceSetConfig, i) => {
    if (set?.vendor !== 'itron' && set?.vendor !== 'elster') fail(`set ${i}: vendor ${JSON.stringify(set?.vendor)} is not itron or elster`);
    if (typeof set.euis?.CH !== 'string') fail(`set ${i}: no CH EUI`);
  });
  file.snapshots!.forEach((snapshot, i) => {
    if (typeof snapshot !== 'object' || snapshot === null || (snapshot as { status?: unknown }).status !== 'active') {
      fail(`set ${i}: snapshot is not an active XState snapshot`);
    }
  });
  file.pendingAlerts!.forEach((alert: PendingAlert, i) => {
    if (typeof alert?.code !== 'number' || typeof alert.source !== 'string') fail(`alert ${i} in the queue is malformed`);
  });
  return { sets: file.sets!, snapshots: file.snapshots!, pendingAlerts: file.pendingAlerts!, nextAlertId: file.nextAlertId! };
}
