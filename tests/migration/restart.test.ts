/**
 * A migration stopped between two steps, as kill -9 would stop it, and run again with the same journal file on the
 * same devices (what `--state` gives a restarted emulator: the devices keep their slots). The stop is a throw from
 * the beforeStep hook: the journal on disk is whatever the orchestrator wrote before that step.
 *  - stopped during the swap: the restart rolls back every slot the journal names (the one whose request was about
 *    to go included), counts the failed attempt, and retries;
 *  - stopped after the swap (commissioning): the restart finishes the attempt forward.
 * In both, the devices between the stop and the restart are half-migrated, and the journal says exactly how.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileJournal } from '../../harness/migration/journal';
import { migrate } from '../../harness/migration/orchestrator';
import {
  CHF,
  deviceStates,
  ESME,
  FULLY_MIGRATED,
  GSME,
  migrationBench,
  PPMID,
  stepSummary,
  UNTOUCHED,
} from './support';

class Killed extends Error {}
const dirs: string[] = [];
function journalFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'migration-journal-'));
  dirs.push(dir);
  return join(dir, 'journal.json');
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('a migration killed between two steps and restarted', () => {
  it('during the swap: the restart rolls back to the SMSO, then the retry migrates', async () => {
    const { bench, installation } = await migrationBench('elster', 'dormant');
    const path = journalFile();
    await expect(
      migrate(bench, {
        installation,
        journal: new FileJournal(path),
        beforeStep: (hook) => {
          if (hook.name === 'credentialSwap' && hook.device === GSME && hook.role === 3) throw new Killed('kill -9');
        },
      }),
    ).rejects.toThrow('kill -9');

    const onDisk = JSON.parse(readFileSync(path, 'utf8'));
    expect(readdirSync(join(path, '..'))).toEqual(['journal.json']);
    expect([onDisk.phase, onDisk.attempt, onDisk.failedAttempts, onDisk.swapComplete, onDisk.step]).toEqual([
      'attempting',
      1,
      0,
      false,
      'credentialSwap 00-DB-12-34-56-78-90-A1 slot 3',
    ]);
    expect(onDisk.slotChanges).toEqual([
      { device: '00-DB-12-34-56-78-90-A0', role: 2, state: 'done' },
      { device: '00-DB-12-34-56-78-90-A0', role: 3, state: 'done' },
      { device: '00-DB-12-34-56-78-90-A1', role: 2, state: 'done' },
    ]);
    const halfway = await deviceStates(bench);
    expect(halfway).toEqual({
      ESME: { slots: 'smso smso dcc dcc smso smso smso', migrationState: 'smso', smi: 'InstalledNotCommissioned' },
      GSME: { slots: 'smso smso dcc smso smso smso smso', migrationState: 'smso', smi: 'InstalledNotCommissioned' },
      CHF: { slots: 'smso smso smso smso smso smso smso', migrationState: 'smso', smi: 'InstalledNotCommissioned' },
      PPMID: { slots: 'smso smso smso smso smso smso smso', migrationState: 'smso', smi: 'InstalledNotCommissioned' },
    });

    const restarted = await migrate(bench, { installation, journal: new FileJournal(path) });
    expect(restarted.recovered).toBe('rolled-back');
    expect(restarted.failures).toEqual(['attempt 1 interrupted at credentialSwap 00-DB-12-34-56-78-90-A1 slot 3']);
    expect(stepSummary(restarted.steps).slice(0, 5)).toEqual([
      '1 rollback A1 slot2 ok',
      '1 rollback A0 slot3 ok',
      '1 rollback A0 slot2 ok',
      '1 retryWait ok',
      '2 wanPreCheck A0 ok',
    ]);
    expect([restarted.outcome, restarted.attempts, restarted.failedAttempts]).toEqual(['migrated', 2, 1]);
    expect(await deviceStates(bench)).toEqual(FULLY_MIGRATED);
    expect(JSON.parse(readFileSync(path, 'utf8')).phase).toBe('migrated');

    // a third run, by a DCC side whose DSP lost the SMI statuses, finds the installation migrated, sends nothing,
    // and puts the statuses back from the journal
    for (const device of [ESME, GSME, CHF, PPMID]) bench.registration.setSmiStatus(device, 'InstalledNotCommissioned');
    const again = await migrate(bench, { installation, journal: new FileJournal(path) });
    expect([again.outcome, again.steps.length]).toEqual(['migrated', 0]);
    expect(await deviceStates(bench)).toEqual(FULLY_MIGRATED);
    await bench.close();
  });

  it('between two attempts (in the retry wait): the restart neither rolls back nor counts the failure again', async () => {
    const { bench, installation } = await migrationBench('elster', 'active');
    const path = journalFile();
    await expect(
      migrate(bench, {
        installation,
        journal: new FileJournal(path),
        beforeStep: async (hook) => {
          if (hook.name === 'credentialSwap' && hook.device === GSME && hook.role === 2) {
            await hook.bench.command(GSME, { type: 'injectFault', fault: 'hanFailureRate', value: 1 });
          }
          if (hook.name === 'rollback')
            await hook.bench.command(GSME, { type: 'injectFault', fault: 'hanFailureRate', value: 0 });
          if (hook.name === 'retryWait') throw new Killed('kill -9');
        },
      }),
    ).rejects.toThrow('kill -9');
    const onDisk = JSON.parse(readFileSync(path, 'utf8'));
    expect([onDisk.phase, onDisk.attempt, onDisk.failedAttempts, onDisk.slotChanges]).toEqual(['waiting', 1, 1, []]);
    const restarted = await migrate(bench, { installation, journal: new FileJournal(path) });
    expect(restarted.recovered).toBeUndefined();
    expect(stepSummary(restarted.steps).slice(0, 2)).toEqual(['1 retryWait ok', '2 wanPreCheck A0 ok']);
    expect([restarted.outcome, restarted.attempts, restarted.failedAttempts]).toEqual(['migrated', 2, 1]);
    expect(await deviceStates(bench)).toEqual(FULLY_MIGRATED);
    await bench.close();
  });

  it('after the swap (commissioning the GSME): the restart finishes forward within the drawn phase', async () => {
    const { bench, installation } = await migrationBench('itron', 'active');
    const path = journalFile();
    await expect(
      migrate(bench, {
        installation,
        journal: new FileJournal(path),
        beforeStep: (hook) => {
          if (hook.name === 'commissioning' && hook.device === GSME) throw new Killed('kill -9');
        },
      }),
    ).rejects.toThrow('kill -9');
    expect(await deviceStates(bench)).toEqual({
      ESME: { slots: 'smso smso dcc dcc smso smso smso', migrationState: 'dcc', smi: 'Commissioned' },
      GSME: { slots: 'smso smso dcc dcc smso smso smso', migrationState: 'smso', smi: 'InstalledNotCommissioned' },
      CHF: { slots: 'smso smso smso smso smso smso smso', migrationState: 'smso', smi: 'Commissioned' },
      PPMID: { slots: 'smso smso smso smso smso smso smso', migrationState: 'smso', smi: 'InstalledNotCommissioned' },
    });
    const restarted = await migrate(bench, { installation, journal: new FileJournal(path) });
    expect(restarted.recovered).toBe('resumed');
    expect(stepSummary(restarted.steps)).toEqual([
      '1 configuration A0 skipped',
      '1 commissioning A0 ok',
      '1 commissioning A1 ok',
      '1 commissioning A3 ok',
      '1 postChecks A0 ok',
    ]);
    expect([restarted.outcome, restarted.attempts, restarted.failedAttempts]).toEqual(['migrated', 1, 0]);
    // the commissioning phase keeps the duration drawn before the stop (Itron seed 1: 5797 s), from its own start
    expect(restarted.phases.map((p) => [p.name, p.drawnSeconds, (p.endMs - p.startMs) / 1000])).toEqual([
      ['commissioning', 5797, 5797],
    ]);
    expect(await deviceStates(bench)).toEqual(FULLY_MIGRATED);
    await bench.close();
  });

  it("a journal that is not one, or is another installation's, is refused with a message naming it", async () => {
    const { bench, installation } = await migrationBench('itron', 'active');
    const path = journalFile();
    writeFileSync(path, '{"installation": "RTDS-1", "phase": "half-done"');
    await expect(migrate(bench, { installation, journal: new FileJournal(path) })).rejects.toThrow(
      `migration journal ${path} is not valid JSON`,
    );
    writeFileSync(
      path,
      '{"installation": "RTDS-1", "phase": "half-done", "slotChanges": [], "attempt": 1, "failedAttempts": 0, "random": 5}',
    );
    await expect(migrate(bench, { installation, journal: new FileJournal(path) })).rejects.toThrow(
      `migration journal ${path} is not a migration journal: phase "half-done" is none of checking, waiting, attempting, rolling-back, migrated, rejected, excluded`,
    );
    writeFileSync(
      path,
      '{"installation": "HOME-7", "phase": "waiting", "slotChanges": [], "attempt": 1, "failedAttempts": 0, "random": 5}',
    );
    await expect(migrate(bench, { installation, journal: new FileJournal(path) })).rejects.toThrow(
      'migration journal is for installation HOME-7, not RTDS-1',
    );
    expect(await deviceStates(bench)).toEqual(UNTOUCHED);
    await bench.close();
  });
});
