/**
 * Migrations that do not go straight through: rejected at the start (split supplier, a product not on the list),
 * a swap failing half-way (rolled back, then retried), a failure every time (excluded after the fifth), and a gas
 * meter the HAN cannot reach (GT01: electricity only). Faults are put on the bench at a chosen step through the
 * orchestrator's beforeStep hook: `injectFault hanFailureRate 1` makes every command to the GSME answer busy (its
 * HAN loses every try), as a gas meter out of reach does. Expected device states are written out in support.ts.
 */
import { describe, expect, it } from 'vitest';
import { DuisBench } from '../../harness/bench/duisBench';
import { benchInstallation, migrationRegistrationData } from '../../harness/migration/installation';
import { MemoryJournal } from '../../harness/migration/journal';
import { migrate, type StepHookContext } from '../../harness/migration/orchestrator';
import { benchPki } from '../../emulator/host/benchPki';
import { issueTestCertificate } from '../../common/credentials/testPki';
import {
  deviceStates,
  ELECTRICITY_ONLY,
  FULLY_MIGRATED,
  GSME,
  migrationBench,
  stepSummary,
  UNTOUCHED,
} from './support';

const HOUR_MS = 3600_000;
const gasOutOfReach = (hook: StepHookContext, lose: boolean) =>
  hook.bench.command(GSME, { type: 'injectFault', fault: 'hanFailureRate', value: lose ? 1 : 0 });

describe('rejected at the start (right-first-time: no device is touched)', () => {
  it('split supplier: rejected until the fix, no DUIS request sent', async () => {
    const { bench, installation } = await migrationBench('itron', 'active', { gasSupplier: '90-B3-D5-1F-30-01-00-01' });
    const result = await migrate(bench, { installation });
    expect(result.outcome).toBe('rejected');
    expect(result.rejection).toEqual({
      code: 'split-supplier',
      detail:
        'split supplier: electricity 90-B3-D5-1F-30-01-00-00, gas 90-B3-D5-1F-30-01-00-01; not migrated until the fix (Core 1.1)',
    });
    expect(stepSummary(result.steps)).toEqual(['0 eligibility failed']);
    expect(result.steps.flatMap((s) => s.duis)).toEqual([]);
    expect([result.attempts, result.endMs - result.startMs]).toEqual([0, 0]);
    expect(await deviceStates(bench)).toEqual(UNTOUCHED);
    await bench.close();
  });

  it('split supplier with the fix (Core 1.1): migrated, the gas supplier sending the GSME requests', async () => {
    const { bench, installation } = await migrationBench('elster', 'active', {
      gasSupplier: '90-B3-D5-1F-30-01-00-01',
    });
    const result = await migrate(bench, { installation, splitSupplierFix: true });
    expect(result.outcome).toBe('migrated');
    const gasRequests = result.steps.flatMap((s) => s.duis).filter((d) => d.target === GSME);
    expect(gasRequests.map((d) => `${d.srv} ${d.originator}`)).toEqual([
      '6.13 90-B3-D5-1F-30-01-00-01',
      '6.23 90-B3-D5-1F-30-01-00-01',
      '6.15.1 90-B3-D5-1F-30-02-00-00',
      '8.1.1 90-B3-D5-1F-30-01-00-01',
    ]);
    // credentials are per device: the GSME's supplier slot holds the gas supplier's DCC-era certificate ('other'
    // to support.ts, which knows the electricity supplier's), the ESME's the electricity supplier's
    expect(await deviceStates(bench)).toEqual({
      ...FULLY_MIGRATED,
      GSME: { ...FULLY_MIGRATED.GSME, slots: 'smso smso other dcc smso smso smso' },
    });
    const gasSupplier = issueTestCertificate(benchPki('smso-1'), {
      role: 2,
      entityId: '90-B3-D5-1F-30-01-00-01',
      keyLabel: 'migration/dcc/supplier/90-B3-D5-1F-30-01-00-01',
    });
    expect((await bench.command(GSME, { type: 'readCredentials', role: 2 })).body?.certificate).toBe(
      gasSupplier.certificate,
    );
    await bench.close();
  });

  it('a product not on the eligible list: rejected, naming the device and firmware', async () => {
    const { bench, installation } = await migrationBench('elster', 'dormant', {
      firmware: { ESME: 'ELSTER-ESME-00.01.00' },
    });
    const result = await migrate(bench, { installation });
    expect(result.rejection).toEqual({
      code: 'ineligible-product',
      detail: 'ESME 00-DB-12-34-56-78-90-A0: elster firmware ELSTER-ESME-00.01.00 is not on the eligible product list',
    });
    expect(result.steps.flatMap((s) => s.duis)).toEqual([]);
    expect(await deviceStates(bench)).toEqual(UNTOUCHED);
    await bench.close();
  });
});

describe('MA110-style data check', () => {
  it('a device in the migration file but not in the DSP inventory: rejected as a data mismatch', async () => {
    const installation = benchInstallation({ vendor: 'itron', kind: 'active' });
    const bench = await DuisBench.start({
      vendor: 'itron',
      migrationState: 'smso',
      registration: migrationRegistrationData(benchInstallation({ vendor: 'itron', kind: 'active', ppmid: false })),
      s1sp: { fixes: new Set(['response-code-always']) },
    });
    const result = await migrate(bench, { installation });
    expect(result.rejection).toEqual({
      code: 'data-mismatch',
      detail: 'PPMID 00-DB-12-34-56-78-90-A3 is not in the DSP inventory',
    });
    expect(result.steps.flatMap((s) => s.duis)).toEqual([]);
    await bench.close();
  });
});

describe('a swap that fails half-way', () => {
  it('is rolled back slot by slot to the SMSO certificates, then the retry a day later migrates', async () => {
    const { bench, installation } = await migrationBench('itron', 'dormant');
    let afterRollback: unknown;
    const result = await migrate(bench, {
      installation,
      beforeStep: async (hook) => {
        // attempt 1: the ESME's two slots are done when the GSME drops off the HAN for its first slot
        if (hook.attempt === 1 && hook.name === 'credentialSwap' && hook.device === GSME && hook.role === 2)
          await gasOutOfReach(hook, true);
        if (hook.name === 'rollback') await gasOutOfReach(hook, false);
        if (hook.name === 'retryWait') afterRollback = await deviceStates(hook.bench);
      },
    });
    expect(afterRollback).toEqual(UNTOUCHED);
    expect(result.outcome).toBe('migrated');
    expect([result.attempts, result.failedAttempts]).toEqual([2, 1]);
    expect(result.failures).toEqual([
      'credential swap: slot 2 of 00-DB-12-34-56-78-90-A1 failed (readCredentials answered busy)',
    ]);
    expect(stepSummary(result.steps).slice(0, 11)).toEqual([
      '0 eligibility ok',
      '1 wanPreCheck A0 ok',
      '1 hanPreCheck A2 ok',
      '1 credentialSwap A0 slot2 ok',
      '1 credentialSwap A0 slot3 ok',
      '1 credentialSwap A1 slot2 failed',
      // newest first: the GSME's slot 2 (intended, its request may have landed), then the ESME's
      '1 rollback A1 slot2 ok',
      '1 rollback A0 slot3 ok',
      '1 rollback A0 slot2 ok',
      '1 retryWait ok',
      '2 wanPreCheck A0 ok',
    ]);
    expect(
      result.steps
        .filter((s) => s.name === 'rollback')
        .flatMap((s) => s.duis.map((d) => `${d.label} ${d.codes.join(' ')}`)),
    ).toEqual([
      '6.15.1 Supplier ← SMSO I99 I0',
      '6.15.1 NetworkOperator ← SMSO I99 I0',
      '6.15.1 Supplier ← SMSO I99 I0',
    ]);
    const wait = result.steps.find((s) => s.name === 'retryWait')!;
    expect(wait.endMs - wait.startMs).toBe(24 * HOUR_MS);
    expect(await deviceStates(bench)).toEqual(FULLY_MIGRATED);
    await bench.close();
  });
});

/** Elster preparation draws (uniform 600–900 s) of attempts 1–5, seed 1: the swap phase's draw comes between. */
const PREPARATION_SECONDS = [874, 883, 605, 883, 831];
const PREPARATIONS = PREPARATION_SECONDS.map((s, i) => `${i + 1} preparation ${s} ${s}`);

describe('a device out of reach for its own rollback', () => {
  it('rolls back what it can, leaves the rest pending in the journal, and the next run finishes it and migrates', async () => {
    const { bench, installation } = await migrationBench('itron', 'dormant');
    const journal = new MemoryJournal();
    const first = await migrate(bench, {
      installation,
      journal,
      // the GSME drops off the HAN before its slot 3, and stays off
      beforeStep: async (hook) => {
        if (hook.name === 'credentialSwap' && hook.device === GSME && hook.role === 3) await gasOutOfReach(hook, true);
      },
    });
    expect(first.outcome).toBe('rollback-pending');
    expect([first.attempts, first.failedAttempts]).toEqual([1, 0]);
    expect(
      first.steps.filter((s) => s.name === 'rollback').map((s) => `${s.device!.slice(-2)} slot${s.role} ${s.outcome}`),
    ).toEqual(['A1 slot3 failed', 'A1 slot2 failed', 'A0 slot3 ok', 'A0 slot2 ok']);
    expect(journal.read()!.slotChanges).toEqual([
      { device: '00-DB-12-34-56-78-90-A1', role: 2, state: 'done' },
      { device: '00-DB-12-34-56-78-90-A1', role: 3, state: 'intended' },
    ]);
    // the ESME is back on its SMSO; the GSME, unreachable, still holds the DCC supplier: exactly what the journal names
    const states = await deviceStates(bench); // (restores the GSME's HAN to read it)
    expect(states.ESME).toEqual(UNTOUCHED.ESME);
    expect(states.GSME).toEqual({
      slots: 'smso smso dcc smso smso smso smso',
      migrationState: 'smso',
      smi: 'InstalledNotCommissioned',
    });

    const second = await migrate(bench, { installation, journal });
    expect([second.recovered, second.outcome, second.attempts, second.failedAttempts]).toEqual([
      'rolled-back',
      'migrated',
      2,
      1,
    ]);
    expect(stepSummary(second.steps).slice(0, 3)).toEqual([
      '1 rollback A1 slot3 ok',
      '1 rollback A1 slot2 ok',
      '1 retryWait ok',
    ]);
    expect(await deviceStates(bench)).toEqual(FULLY_MIGRATED);
    await bench.close();
  });
});

describe('retries per MEHRS', () => {
  it('five failed attempts exclude the installation, each rolled back, every device left on its SMSO', async () => {
    const { bench, installation } = await migrationBench('elster', 'active');
    const journal = new MemoryJournal();
    const result = await migrate(bench, {
      installation,
      journal,
      beforeStep: async (hook) => {
        if (hook.name === 'credentialSwap' && hook.device === GSME && hook.role === 3) await gasOutOfReach(hook, true);
        if (hook.name === 'rollback') await gasOutOfReach(hook, false);
      },
    });
    expect(result.outcome).toBe('excluded');
    expect([result.attempts, result.failedAttempts]).toEqual([5, 5]);
    expect(result.failures).toEqual(
      Array(5).fill('credential swap: slot 3 of 00-DB-12-34-56-78-90-A1 failed (readCredentials answered busy)'),
    );
    expect(
      result.steps
        .filter((s) => s.name === 'rollback')
        .map((s) => `${s.attempt} ${s.device!.slice(-2)} ${s.role} ${s.outcome}`),
    ).toEqual([1, 2, 3, 4, 5].flatMap((a) => [`${a} A1 3 ok`, `${a} A1 2 ok`, `${a} A0 3 ok`, `${a} A0 2 ok`]));
    expect(result.steps.filter((s) => s.name === 'retryWait').map((s) => s.endMs - s.startMs)).toEqual(
      Array(4).fill(24 * HOUR_MS),
    );
    // each attempt's preparation lasts its draw; the swap phase ends at the failure (no traffic time on loopback)
    expect(
      result.phases.map((p) => `${p.attempt} ${p.name} ${p.drawnSeconds} ${(p.endMs - p.startMs) / 1000}`),
    ).toEqual(PREPARATIONS);
    expect((result.endMs - result.startMs) / 1000).toBe(4 * 24 * 3600 + PREPARATION_SECONDS.reduce((a, b) => a + b, 0));
    expect(await deviceStates(bench)).toEqual(UNTOUCHED);
    // a later run on the same journal finds the installation excluded and sends nothing
    const again = await migrate(bench, { installation, journal });
    expect([again.outcome, again.steps.length, again.endMs - again.startMs]).toEqual(['excluded', 0, 0]);
    await bench.close();
  });
});

describe('gas meter out of reach at the HAN pre-check (GT01)', () => {
  it('migrates electricity only: the GSME stays on its SMSO, not commissioned', async () => {
    const { bench, installation } = await migrationBench('itron', 'active');
    await bench.command(GSME, { type: 'injectFault', fault: 'hanFailureRate', value: 1 });
    const result = await migrate(bench, { installation });
    expect(result.outcome).toBe('migrated-electricity-only');
    expect(result.gasFailure).toBe('GT01: 6.13 to the GSME failed (readEventLog answered busy)');
    expect(stepSummary(result.steps)).toEqual([
      '0 eligibility ok',
      '1 wanPreCheck A0 ok',
      '1 hanPreCheck A2 ok',
      '1 credentialSwap A0 slot2 ok',
      '1 credentialSwap A0 slot3 ok',
      '1 configuration A0 skipped',
      '1 commissioning A0 ok',
      '1 commissioning A3 ok',
      '1 postChecks A0 ok',
    ]);
    // the same draws as a full Itron migration with seed 1 (success.test.ts): GT01 changes what is sent, not the pacing
    expect(result.phases.map((p) => p.drawnSeconds)).toEqual([2911, 6716, 5797]);
    expect((result.endMs - result.startMs) / 1000).toBe(2911 + 6716 + 5797);
    expect(await deviceStates(bench)).toEqual(ELECTRICITY_ONLY);
    await bench.close();
  });

  it('gas retry: fails while the GSME is still out of reach (electricity only stays), succeeds once it answers', async () => {
    const { bench, installation } = await migrationBench('elster', 'dormant');
    const journal = new MemoryJournal();
    await bench.command(GSME, { type: 'injectFault', fault: 'hanFailureRate', value: 1 });
    expect((await migrate(bench, { installation, journal })).outcome).toBe('migrated-electricity-only');
    // without gasRetry the journal's outcome is returned and nothing is sent
    const asIs = await migrate(bench, { installation, journal });
    expect([asIs.outcome, asIs.steps.length]).toEqual(['migrated-electricity-only', 0]);

    const stillOut = await migrate(bench, { installation, journal, gasRetry: true });
    expect([stillOut.outcome, stillOut.gasFailure, stillOut.attempts, stillOut.failedAttempts]).toEqual([
      'migrated-electricity-only',
      'GT01: 6.13 to the GSME failed (readEventLog answered busy)',
      2,
      1,
    ]);
    expect(stepSummary(stillOut.steps)).toEqual(['2 hanPreCheck A1 failed']);
    expect(await deviceStates(bench)).toEqual(ELECTRICITY_ONLY); // (this look puts the GSME back on the HAN)

    const retried = await migrate(bench, { installation, journal, gasRetry: true });
    expect([retried.outcome, retried.attempts, retried.failedAttempts]).toEqual(['migrated', 3, 1]);
    expect(stepSummary(retried.steps)).toEqual([
      '3 hanPreCheck A1 ok',
      '3 credentialSwap A1 slot2 ok',
      '3 credentialSwap A1 slot3 ok',
      '3 configuration A0 skipped',
      '3 commissioning A1 ok',
      '3 postChecks A0 ok',
    ]);
    expect(
      retried.steps.flatMap((s) => s.duis.map((d) => `${d.label} ${d.target.slice(-2)} ${d.codes.join(' ')}`)),
    ).toEqual([
      '6.13 read GSME event log A1 I99 I0',
      '6.23 Supplier ← DCC A1 I99 I0',
      '6.15.1 NetworkOperator ← DCC A1 I99 I0',
      '8.1.1 commission A1 I99 I0',
      '7.4 read supply status A0 I99 I0',
    ]);
    // the retry is paced like an attempt: its three Elster phases within 2 to 3 hours
    const total = (retried.endMs - retried.startMs) / 1000;
    expect(retried.phases.map((p) => p.name)).toEqual(['preparation', 'credentialSwap', 'commissioning']);
    expect([total >= 2 * 3600, total <= 3 * 3600]).toEqual([true, true]);
    expect(await deviceStates(bench)).toEqual(FULLY_MIGRATED);
    await bench.close();
  });
});
