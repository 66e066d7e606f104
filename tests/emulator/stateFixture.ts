/**
 * State files kept under tests/fixtures, opened as the emulator opens them: each test works on its own copy in a
 * temporary directory, its store closed and the copy removed when the test ends.
 */
import { cpSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { StateStore, type LoadedState } from '../../emulator/persistence/stateStore';

/** A temporary state directory for the running test, made by `fill` (a fixture copied in, a file written). */
export function openStateDirectory(fill: (dir: string) => void): StateStore {
  const dir = mkdtempSync(join(tmpdir(), 'smets1-state-'));
  const store = new StateStore(dir);
  onTestFinished(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  fill(dir);
  store.open();
  return store;
}

/**
 * Writes `lines` as the base file of a state directory `dir` made from `fixture`, with the fixture's set-0 slots file
 * emptied (never written, the same size): the newest slots would otherwise replace the edited base line.
 */
export function writeBaseOnly(dir: string, fixture: string, lines: string[]): void {
  writeFileSync(join(dir, 'emulator-state.json'), lines.join('\n'));
  const slots = join(dir, 'emulator-state.0.slots');
  cpSync(join(fixture, 'emulator-state.0.slots'), slots);
  const size = statSync(slots).size;
  truncateSync(slots, 0);
  truncateSync(slots, size);
}

/** The message a state directory made by `fill` is refused with on load; a test failure if it loads. */
export function loadRefusal(fill: (dir: string) => void): string {
  try {
    openStateDirectory(fill).load();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the state directory loaded: a refusal was expected');
}

/** The state directory `fixture`, copied for the running test, loaded. */
export function loadFixtureCopy(fixture: string): LoadedState {
  return openStateDirectory((dir) => cpSync(fixture, dir, { recursive: true })).load()!;
}

/** The device `eui` of set `set` in the state directory `fixture` as loaded: its actor source and its snapshot. */
export function loadFixtureDevice(fixture: string, set: number, eui: string): { src: string; snapshot: never } {
  const loaded = loadFixtureCopy(fixture);
  return (loaded.snapshots[set] as { children: Record<string, { src: string; snapshot: never }> }).children[eui]!;
}
