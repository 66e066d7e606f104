/**
 * keepExchanges: false (what the fleet passes) leaves the step records without their DUIS exchanges and device
 * frames and changes nothing else: the same failure, the same steps and times, the same devices' state. The run with the documents
 * kept is the reference, on a bench of the same seed, with the gas meter out of reach so that the run fails a
 * request and the failure text is read from that request's exchange.
 */
import { describe, expect, it } from 'vitest';
import { migrate } from '../../harness/migration/orchestrator';
import { deviceStates, ELECTRICITY_ONLY, GSME, migrationBench, stepSummary } from './support';

async function run(keepExchanges: boolean | undefined) {
  const { bench, installation } = await migrationBench('itron', 'active');
  await bench.command(GSME, { type: 'injectFault', fault: 'hanFailureRate', value: 1 });
  const result = await migrate(bench, { installation, ...(keepExchanges === undefined ? {} : { keepExchanges }) });
  const states = await deviceStates(bench);
  await bench.close();
  return { result, states };
}

describe('keepExchanges', () => {
  it('false: no step keeps an exchange or a frame; the outcome, steps, times, failures and devices are as when kept', async () => {
    const kept = await run(undefined);
    const dropped = await run(false);
    expect(kept.result.steps.flatMap((s) => s.duis.map((d) => d.srv))).toEqual([
      '7.4',
      '8.9',
      '6.13',
      // the ESME's two slots only (the gas meter stays out), then commissioning of the ESME and the CH
      '6.23',
      '6.15.1',
      '8.1.1',
      '8.1.1',
      '7.4',
    ]);
    expect(dropped.result.steps.map((s) => s.duis.length)).toEqual(dropped.result.steps.map(() => 0));
    // the kept run's frames after the eligibility step (no request): the device commands of the WAN and HAN
    // pre-checks (docs/protocol.md's names), the gas meter's refused as out of reach
    expect(kept.result.steps.slice(1, 3).map((s) => s.frames.map((f) => `${f.command} ${f.status}`))).toEqual([
      ['readSupply ok'],
      ['readDeviceLog ok', 'readEventLog busy'],
    ]);
    expect(dropped.result.steps.map((s) => s.frames.length)).toEqual(dropped.result.steps.map(() => 0));
    expect(dropped.result.outcome).toBe('migrated-electricity-only');
    expect(dropped.result.gasFailure).toBe('GT01: 6.13 to the GSME failed (readEventLog answered busy)');
    const outline = (r: typeof kept.result) => ({
      ...r,
      steps: r.steps.map((s) => ({ ...s, duis: [], frames: [] })),
    });
    expect(outline(dropped.result)).toEqual(outline(kept.result));
    expect(stepSummary(dropped.result.steps)).toEqual(stepSummary(kept.result.steps));
    expect(dropped.states).toEqual(ELECTRICITY_ONLY);
  });
});
