/**
 * Audit of the version-4 → 5 state migration (round ten, emulator/persistence/legacyEsmeState.ts
 * migrateV4EsmeSnapshot): a version-4 file whose ESME's power region is missing, of the wrong type or of another
 * shape, or whose context is broken around it, or whose power or payment state is not the one its context makes it
 * (emulator/persistence/stateStore.ts unjudgedSupply), is refused with the file, the line and the path of what is wrong;
 * the emulator then exits 1 with that one line, no stack trace, and leaves the file as it was.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRefusal, writeBaseOnly } from '../emulator/stateFixture';
import { SMETS1_BIN } from '../support/smets1Bin';

const FIXTURE = join(__dirname, '../fixtures/state-v4-esme-power');
const ESME = '00-DB-12-34-56-78-90-A0';
const AT = `/snapshot/children/${ESME}/snapshot`;

type Snapshot = { value: Record<string, unknown> | null; context: unknown };

/** The fixture's base (version 4) into `dir` with set 0's ESME changed by `edit`, its slots file empty. */
function writeV4(dir: string, edit: (esme: Snapshot) => void): void {
  const lines = readFileSync(join(FIXTURE, 'emulator-state.json'), 'utf8').split('\n');
  const record = JSON.parse(lines[1]!);
  edit(record.snapshot.children[ESME].snapshot);
  lines[1] = JSON.stringify(record);
  writeBaseOnly(dir, FIXTURE, lines);
}

const cases: [string, (esme: Snapshot) => void, string][] = [
  [
    'the power region missing',
    (esme) => delete esme.value!.power,
    `${AT}/context: must have required property 'power'`,
  ],
  ['the power region a number', (esme) => (esme.value!.power = 42), `${AT}/context/power: must be equal to one of`],
  [
    'powered not a state',
    (esme) => (esme.value!.power = { powered: 7 }),
    `${AT}/context/power: must be equal to one of`,
  ],
  ['outage in a list', (esme) => (esme.value!.power = ['outage']), `${AT}/context/power: must be equal to one of`],
  ['the state value null', (esme) => (esme.value = null), `${AT}/value: must be object,string`],
  ['the context a list', (esme) => (esme.context = [1, 2]), `${AT}/context: must be object`],
  [
    'the outage start a string',
    (esme) => ((esme.context as Record<string, unknown>).outageStartedAt = 'yesterday'),
    `${AT}/context/outageStartedAt: must be number,null`,
  ],
  // well-formed, but not what the context says: the meter would stay in that state until what it watches changed
  [
    'in a power cut with no outage start',
    (esme) => (esme.value!.power = 'outage'),
    `${AT}/context/power: "outage" where outageStartedAt null and migrationState "smso" make it "metering"`,
  ],
  [
    'suspended while smart',
    (esme) => (esme.value!.power = { powered: 'suspended' }),
    `${AT}/context/power: "suspended" where outageStartedAt null and migrationState "smso" make it "metering"`,
  ],
  [
    'credit exhausted in credit mode',
    (esme) => ((esme.context as Record<string, unknown>).payment = 'exhausted'),
    `${AT}/context/payment: "exhausted" would at once become "credit" (paymentMode "credit", creditBalance 0, creditExhaustion null)`,
  ],
];

describe('a malformed version-4 state file is refused naming what and where', () => {
  for (const [name, edit, message] of cases) {
    it(name, () => {
      const text = loadRefusal((dir) => writeV4(dir, edit));
      expect(text).toContain('emulator-state.json line 2 is wrong at ');
      expect(text).toContain(message);
    });
  }

  it('the emulator exits 1 with the one line, no stack trace, and the file unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smets1-audit-v4-'));
    writeV4(dir, (esme) => (esme.value!.power = { powered: 7 }));
    const before = readFileSync(join(dir, 'emulator-state.json'));
    const result = spawnSync(
      process.execPath,
      [SMETS1_BIN, 'emulate', '--state', dir, '--sets', '4', '--link', 'loopback'],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`line 2 is wrong at ${AT}/context/power: must be equal to one of`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(dir, 'emulator-state.json'))).toEqual(before);
  });
});
