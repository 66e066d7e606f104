/**
 * Audit of the version-5 → 6 state migration (round fourteen, emulator/persistence/legacyMigrationState.ts
 * migrateV5SetSnapshot): a version-5 file whose device's migration region is of another shape or disagrees with
 * the context's `migrationState`, and a version-6 file with a swap in progress outside smso
 * (emulator/persistence/stateStore.ts strayedSwap), a migration region left in, or a state value its machine does not
 * have (stateSchema.ts stateValueFault), are refused with the file, the line and the path of what is
 * wrong; the emulator then exits 1 with that one line, no stack trace, and leaves the file as it was.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRefusal, openStateDirectory, writeBaseOnly } from '../emulator/stateFixture';
import { SMETS1_BIN } from '../support/smets1Bin';

const FIXTURE = join(__dirname, '../fixtures/state-v5-migration');
const CH = '00-DB-12-34-56-78-90-A2';
const AT = `/snapshot/children/${CH}/snapshot`;

type Snapshot = { value: Record<string, unknown>; context: Record<string, unknown> };

/**
 * The fixture's base (version 5, or `version`) into `dir` with set 0's CH changed by `edit`, its slots file empty.
 */
function writeEdited(dir: string, edit: (ch: Snapshot) => void, version = 5): void {
  const lines = readFileSync(join(FIXTURE, 'emulator-state.json'), 'utf8').split('\n');
  const header = JSON.parse(lines[0]!);
  header.version = version;
  lines[0] = JSON.stringify(header);
  if (version === 6) {
    // by hand in version 6's shape: in the base, as the emulator started, every device awaited the swap
    for (const [i, line] of lines.entries()) {
      if (i === 0 || line === '') continue;
      const record = JSON.parse(line);
      for (const { snapshot } of Object.values(record.snapshot.children) as { snapshot: Snapshot }[]) {
        expect(snapshot.value.migration).toEqual({ smso: 'awaitingSwap' });
        delete snapshot.value.migration;
        snapshot.context.swapInProgress = false;
      }
      lines[i] = JSON.stringify(record);
    }
  }
  const record = JSON.parse(lines[1]!);
  edit(record.snapshot.children[CH].snapshot);
  lines[1] = JSON.stringify(record);
  writeBaseOnly(dir, FIXTURE, lines);
}

const REGION = `${AT}/value/migration: `;
/** Written out by hand: what the refusal says of a region left in a device whose migrationState is smso. */
const OF_SMSO =
  ': a device holds no migration region in state version 6 (its migration is context: migrationState, swapInProgress); ' +
  'a version-5 file\'s is migrated only when it is {"smso":"awaitingSwap"|"swapInProgress"}, "dcc" or "dumb" and agrees ' +
  'with migrationState (here "smso")';

const cases: [string, (ch: Snapshot) => void, string, number?][] = [
  ['the region a number', (ch) => (ch.value.migration = 42), `${REGION}42${OF_SMSO}`],
  [
    'smso in a state it never had',
    (ch) => (ch.value.migration = { smso: 'sideways' }),
    `${REGION}{"smso":"sideways"}${OF_SMSO}`,
  ],
  ['resuming (transient, never persisted)', (ch) => (ch.value.migration = 'resuming'), `${REGION}"resuming"${OF_SMSO}`],
  ['the region dumb, the mirror smso', (ch) => (ch.value.migration = 'dumb'), `${REGION}"dumb"${OF_SMSO}`],
  [
    'the region missing, the mirror smso',
    (ch) => delete ch.value.migration,
    `${AT}/context: must have required property 'swapInProgress'`,
  ],
  [
    'version 6: a swap in progress in dcc',
    (ch) => Object.assign(ch.context, { migrationState: 'dcc', swapInProgress: true }),
    `${AT}/context/swapInProgress: true while migrationState is "dcc"`,
    6,
  ],
  // a restored actor with a state its machine does not have is in error and never answers (review, round fourteen)
  ['version 6: a migration region left in', (ch) => (ch.value.migration = 'dcc'), `${REGION}"dcc"${OF_SMSO}`, 6],
  // a version-5 record pasted into a version-6 file: a region that agrees with migrationState is refused all the same
  [
    'version 6: a well-formed migration region that agrees with migrationState',
    (ch) => (ch.value.migration = { smso: 'awaitingSwap' }),
    `${REGION}{"smso":"awaitingSwap"}${OF_SMSO}`,
    6,
  ],
  [
    'version 6: a HAN state the CH does not have',
    (ch) => (ch.value.han = 'bogus'),
    `${AT}/value: it is not a state of the ch machine (State 'bogus' does not exist on 'ch.han')`,
    6,
  ],
  [
    'version 6: the HAN region missing',
    (ch) => delete ch.value.han,
    `${AT}/value: it is not a whole state of the ch machine: {} (a whole one is like {"han":"permitJoinClosed"})`,
    6,
  ],
];

describe('a malformed version-5 (or -6) state file is refused naming what and where', () => {
  for (const [name, edit, message, version] of cases) {
    it(name, () => {
      const text = loadRefusal((dir) => writeEdited(dir, edit, version));
      expect(text).toContain('emulator-state.json line 2 is wrong at ');
      expect(text).toContain(message);
    });
  }

  it("version 6: a set's own state value its machine does not have", () => {
    const text = loadRefusal((dir) => {
      writeEdited(dir, () => undefined, 6);
      const file = join(dir, 'emulator-state.json');
      const lines = readFileSync(file, 'utf8').split('\n');
      const record = JSON.parse(lines[1]!);
      record.snapshot.value = { bogus: 'x' };
      lines[1] = JSON.stringify(record);
      writeFileSync(file, lines.join('\n'));
    });
    expect(text).toContain(
      "emulator-state.json line 2 is wrong at /snapshot/value: it is not a state of the set machine (Child state 'bogus' does not exist on 'deviceSet')",
    );
  });

  it('the region in the middle of the swap loads as a swap in progress, and a hand-made version-6 one as written', () => {
    const swapping = (ch: Snapshot) => {
      ch.value.migration = { smso: 'swapInProgress' };
    };
    const context = (version: number, edit: (ch: Snapshot) => void) => {
      const loaded = openStateDirectory((dir) => writeEdited(dir, edit, version)).load()!;
      const set = loaded.snapshots[0] as { children: Record<string, { snapshot: Snapshot }> };
      return set.children[CH].snapshot;
    };
    expect(context(5, swapping)).toMatchObject({
      value: { han: 'permitJoinClosed' },
      context: { migrationState: 'smso', swapInProgress: true },
    });
    const v6 = context(6, (ch) => (ch.context.swapInProgress = true));
    expect(v6).toMatchObject({
      value: { han: 'permitJoinClosed' },
      context: { migrationState: 'smso', swapInProgress: true },
    });
  });

  it('the emulator exits 1 with the one line, no stack trace, and the file unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smets1-audit-v5-'));
    writeEdited(dir, (ch) => (ch.value.migration = { smso: 'sideways' }));
    const before = readFileSync(join(dir, 'emulator-state.json'));
    const result = spawnSync(
      process.execPath,
      [SMETS1_BIN, 'emulate', '--state', dir, '--sets', '4', '--link', 'loopback'],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`line 2 is wrong at ${REGION}{"smso":"sideways"}${OF_SMSO}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(dir, 'emulator-state.json'))).toEqual(before);
  });
});
