/**
 * State files kept under tests/fixtures, opened as the emulator opens them: each test works on its own copy in a
 * temporary directory, its store closed and the copy removed when the test ends.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
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
