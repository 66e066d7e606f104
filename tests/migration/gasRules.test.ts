/**
 * The two rules for a gas meter failing the HAN pre-check (docs/fleet.md, docs/migration.md): 2020 (the seeds:
 * OPSG_34's dormant rejections with GT01/GTA8 codes) rejects a dormant installation with nothing touched; 2021 (the
 * DCC's MEHRS change, the orchestrator's default) migrates the electricity meter alone. GT01: the GSME does not
 * answer 6.13 (its HAN loses every try); GTA8 (assumed meaning): the CH no longer has the GSME in its device log.
 */
import { describe, expect, it } from 'vitest';
import { migrate } from '../../harness/migration/orchestrator';
import { CHF, deviceStates, ELECTRICITY_ONLY, GSME, migrationBench, stepSummary, UNTOUCHED } from './support';

describe('gas failure at the HAN pre-check', () => {
  it('2020, dormant, the GSME out of reach: rejected GT01 after the pre-check, no device changed', async () => {
    const { bench, installation } = await migrationBench('itron', 'dormant');
    await bench.command(GSME, { type: 'injectFault', fault: 'hanFailureRate', value: 1 });
    const result = await migrate(bench, { installation, gasHanFailure: 'reject-dormant' });
    expect(result.outcome).toBe('rejected');
    expect(result.rejection).toEqual({ code: 'GT01', detail: '6.13 to the GSME failed (readEventLog answered busy)' });
    expect(stepSummary(result.steps)).toEqual(['0 eligibility ok', '1 wanPreCheck A0 ok', '1 hanPreCheck A2 failed']);
    expect(result.failedAttempts).toBe(0);
    expect(await deviceStates(bench)).toEqual(UNTOUCHED);
    await bench.close();
  });

  it('2020, dormant, the GSME gone from the CH device log: rejected GTA8', async () => {
    const { bench, installation } = await migrationBench('elster', 'dormant');
    await bench.command(CHF, { type: 'hanLogRemove', deviceId: GSME });
    const result = await migrate(bench, { installation, gasHanFailure: 'reject-dormant' });
    expect(result.rejection).toEqual({ code: 'GTA8', detail: 'the GSME is not in the CH device log' });
    // no 6.13: the GSME is not on the HAN to ask
    expect(result.steps.flatMap((s) => s.duis.map((d) => d.srv))).toEqual(['7.4', '8.9']);
    await bench.close();
  });

  it('2020, active: the electricity meter migrates alone, as in 2021', async () => {
    const { bench, installation } = await migrationBench('itron', 'active');
    await bench.command(GSME, { type: 'injectFault', fault: 'hanFailureRate', value: 1 });
    const result = await migrate(bench, { installation, gasHanFailure: 'reject-dormant' });
    expect([result.outcome, result.gasFailure]).toEqual([
      'migrated-electricity-only',
      'GT01: 6.13 to the GSME failed (readEventLog answered busy)',
    ]);
    await bench.close();
  });

  it('2021 (the default), dormant, GTA8: the electricity meter migrates alone', async () => {
    const { bench, installation } = await migrationBench('elster', 'dormant');
    await bench.command(CHF, { type: 'hanLogRemove', deviceId: GSME });
    const result = await migrate(bench, { installation });
    expect([result.outcome, result.gasFailure]).toEqual([
      'migrated-electricity-only',
      'GTA8: the GSME is not in the CH device log',
    ]);
    const states = await deviceStates(bench);
    expect(states.ESME).toEqual(ELECTRICITY_ONLY.ESME);
    expect(states.GSME).toEqual(ELECTRICITY_ONLY.GSME);
    await bench.close();
  });
});
