/**
 * A migration that succeeds, Itron and Elster, dormant and active, over the DUIS layer: every device ends exactly as
 * FULLY_MIGRATED says (support.ts, written out), each step sent the DUIS requests listed here and was answered
 * I99 then I0, and the phases last what the vendor profile's distribution drew: the totals are written out, and
 * checked against the public bounds (Itron up to 7 h, Elster 2 to 3 h) as well.
 */
import { describe, expect, it } from 'vitest';
import { duisValidator } from '../../harness/bench/duisBench';
import { migrate } from '../../harness/migration/orchestrator';
import { deviceStates, FULLY_MIGRATED, migrationBench, stepSummary } from './support';

const HOUR = 3600;
/** Drawn seconds per phase (preparation, swap, commissioning) with seed 1, installation RTDS-1. */
const DRAWN: Record<string, [number, number, number]> = {
  'itron dormant': [2911, 6716, 5797],
  'itron active': [2911, 6716, 5797],
  'elster dormant': [874, 4949, 3513],
  'elster active': [874, 4949, 3513],
};

const STEPS_DORMANT = [
  '0 eligibility ok',
  '1 wanPreCheck A0 ok',
  '1 hanPreCheck A2 ok',
  '1 credentialSwap A0 slot2 ok',
  '1 credentialSwap A0 slot3 ok',
  '1 credentialSwap A1 slot2 ok',
  '1 credentialSwap A1 slot3 ok',
  '1 configuration A0 ok',
  '1 commissioning A0 ok',
  '1 commissioning A1 ok',
  '1 commissioning A3 ok',
  '1 postChecks A0 ok',
];

describe.each([
  ['itron', 'dormant'],
  ['itron', 'active'],
  ['elster', 'dormant'],
  ['elster', 'active'],
] as const)('%s %s installation', (vendor, kind) => {
  it('migrates: every device in the DCC exactly, every request I99 then I0, paced as drawn', async () => {
    const { bench, installation } = await migrationBench(vendor, kind);
    const result = await migrate(bench, { installation });
    expect(result.outcome).toBe('migrated');
    expect([result.attempts, result.failedAttempts, result.failures]).toEqual([1, 0, []]);
    expect(stepSummary(result.steps)).toEqual(
      kind === 'dormant'
        ? STEPS_DORMANT
        : STEPS_DORMANT.map((s) => (s.startsWith('1 configuration') ? '1 configuration A0 skipped' : s)),
    );
    expect(result.steps.flatMap((s) => s.duis.map((d) => `${d.label} ${d.codes.join(' ')}`))).toEqual([
      '7.4 read supply status I99 I0',
      '8.9 read CH device log I99 I0',
      '6.13 read GSME event log I99 I0',
      '6.23 Supplier ← DCC I99 I0',
      '6.15.1 NetworkOperator ← DCC I99 I0',
      '6.23 Supplier ← DCC I99 I0',
      '6.15.1 NetworkOperator ← DCC I99 I0',
      ...(kind === 'dormant' ? ['6.22 network operator alert configuration I99 I0'] : []),
      '8.1.1 commission I99 I0',
      '8.1.1 commission I99 I0',
      '8.1.1 commission I99 I0',
      '7.4 read supply status I99 I0',
    ]);
    // the device frames of one swap: the S1SP reads the target slot and the signer's, then replaces (6.23)
    expect(result.steps[3].frames.map((f) => `${f.device.slice(-2)} ${f.command} ${f.status}`)).toEqual([
      'A0 readCredentials ok',
      'A0 readCredentials ok',
      'A0 replaceCredentials ok',
    ]);
    expect(await deviceStates(bench)).toEqual(FULLY_MIGRATED);
    // every request sent and every document received is valid DUIS 5.4
    const documents = result.steps.flatMap((s) =>
      s.duis.flatMap((d, i) => [
        { name: `${s.name}#${i} request`, xml: d.request },
        ...[...d.responses, ...d.alerts].map((o, k) => ({ name: `${s.name}#${i}.${k}`, xml: o.xml })),
      ]),
    );
    expect(documents.length).toBeGreaterThan(30);
    expect((await duisValidator().validate(documents)).filter((r) => !r.valid)).toEqual([]);

    const drawn = result.phases.map((p) => p.drawnSeconds);
    expect(drawn).toEqual(DRAWN[`${vendor} ${kind}`]);
    expect(result.phases.map((p) => (p.endMs - p.startMs) / 1000)).toEqual(drawn);
    const total = (result.endMs - result.startMs) / 1000;
    expect(total).toBe(drawn[0] + drawn[1] + drawn[2]);
    if (vendor === 'itron') expect(total).toBeLessThanOrEqual(7 * HOUR);
    else expect([total >= 2 * HOUR, total <= 3 * HOUR]).toEqual([true, true]);
    // each step ran inside its phase, on the virtual clock
    expect(result.steps.find((s) => s.name === 'commissioning')!.startMs).toBe(result.phases[2].startMs);
    await bench.close();
  });
});
