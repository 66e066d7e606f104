/**
 * The orchestrator's journal states (journal.ts changedState): each save makes a new state with the change, every other
 * field as it was, and leaves the state it was given as it was (a MemoryJournal keeps the states it is given).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedState, FileJournal, type JournalState } from '../../harness/migration/journal';

// every field set, none undefined: a field the copy forgot would be missing from what it makes
const full: Required<JournalState> = {
  installation: 'FLEET-7',
  phase: 'attempting',
  attempt: 2,
  failedAttempts: 1,
  step: 'credentialSwap 00-DB-12-34-56-78-90-A0 slot 3',
  swapComplete: false,
  slotChanges: [{ device: '00-DB-12-34-56-78-90-A0', role: 2, state: 'done' }],
  electricityOnly: true,
  gasOnly: false,
  random: 987654321,
  phaseName: 'credentialSwap',
  phaseStartMs: 1_767_225_600_000,
  phaseDrawnSeconds: 1234,
  supplyBefore: 'Armed',
  smi: { '00-DB-12-34-56-78-90-A2': 'Commissioned' },
  rejection: { code: 'GT01', detail: 'the GSME did not answer' },
  gasFailure: 'GT01: 6.13 to the GSME failed',
  counter: '1767225600123',
};

describe('journal states', () => {
  it('a change makes a new state with every other field as it was', () => {
    const next = changedState(full, { step: 'rollback', counter: '1767225600124' });
    expect({ ...next }).toStrictEqual({ ...full, step: 'rollback', counter: '1767225600124' });
  });

  it('the state given is left as it was', () => {
    const given: JournalState = { ...full };
    const next = changedState(given, { phase: 'rolling-back', attempt: 3 });
    expect(next).not.toBe(given);
    expect(given).toStrictEqual(full);
  });

  it('a field the change sets to undefined is cleared, and a file journal leaves it out', () => {
    const next = changedState(full, { gasFailure: undefined, supplyBefore: undefined });
    expect(next.gasFailure).toBeUndefined();
    expect(next.supplyBefore).toBeUndefined();
    const journal = new FileJournal(join(mkdtempSync(join(tmpdir(), 'smets1-journal-state-')), 'journal.json'));
    journal.write(next);
    const read = journal.read()!;
    expect('gasFailure' in read || 'supplyBefore' in read).toBe(false);
    const { gasFailure: _gas, supplyBefore: _supply, ...rest } = full;
    expect(read).toStrictEqual(rest);
  });

  it('a state with optional fields missing copies them as missing values, not as other values', () => {
    const sparse: JournalState = {
      installation: 'FLEET-8',
      phase: 'checking',
      attempt: 0,
      failedAttempts: 0,
      step: 'eligibility',
      swapComplete: false,
      slotChanges: [],
      electricityOnly: false,
      random: 5,
      phaseStartMs: 0,
      counter: '0',
    };
    const next = changedState(sparse, { phase: 'waiting' });
    expect(JSON.parse(JSON.stringify(next))).toStrictEqual({ ...sparse, phase: 'waiting' });
  });
});
