/**
 * keepExchanges: false (the fleet's setting: no DUIS documents kept, the bench's client not wrapped in frameTap) on
 * migrations that go wrong, where tests/migration/keepExchanges.test.ts covers one that only loses its gas meter: a
 * swap failing half-way (rolled back slot by slot, retried a day later), and a device out of reach for its own
 * rollback (rollback-pending, the journal naming what is left, finished by the next run). Each is run with the
 * exchanges kept and without, on benches of the same seed; everything but the documents and frames must be the same,
 * journal and devices included.
 */
import { describe, expect, it } from 'vitest';
import { MemoryJournal } from '../../harness/migration/journal';
import { migrate, type MigrationResult, type StepHookContext } from '../../harness/migration/orchestrator';
import { deviceStates, FULLY_MIGRATED, GSME, migrationBench, stepSummary } from '../migration/support';

const gasOutOfReach = (hook: StepHookContext, lose: boolean) =>
  hook.bench.command(GSME, { type: 'injectFault', fault: 'hanFailureRate', value: lose ? 1 : 0 });

/** A result without what keepExchanges false leaves out. */
const outline = (result: MigrationResult) => ({
  ...result,
  steps: result.steps.map((s) => ({ ...s, duis: [], frames: [] })),
});

async function swapFailingHalfWay(keepExchanges: boolean | undefined) {
  const { bench, installation } = await migrationBench('itron', 'dormant');
  const result = await migrate(bench, {
    installation,
    ...(keepExchanges === undefined ? {} : { keepExchanges }),
    beforeStep: async (hook) => {
      if (hook.attempt === 1 && hook.name === 'credentialSwap' && hook.device === GSME && hook.role === 2)
        await gasOutOfReach(hook, true);
      if (hook.name === 'rollback') await gasOutOfReach(hook, false);
    },
  });
  const states = await deviceStates(bench);
  await bench.close();
  return { result, states };
}

async function rollbackLeftPending(keepExchanges: boolean | undefined) {
  const { bench, installation } = await migrationBench('itron', 'dormant');
  const journal = new MemoryJournal();
  const options = keepExchanges === undefined ? {} : { keepExchanges };
  const first = await migrate(bench, {
    installation,
    journal,
    ...options,
    beforeStep: async (hook) => {
      if (hook.name === 'credentialSwap' && hook.device === GSME && hook.role === 3) await gasOutOfReach(hook, true);
    },
  });
  const pending = structuredClone(journal.read());
  const between = await deviceStates(bench);
  const second = await migrate(bench, { installation, journal, ...options });
  const states = await deviceStates(bench);
  await bench.close();
  return { first, pending, between, second, states };
}

describe('keepExchanges false on migrations that fail and roll back', () => {
  it('a swap failing half-way: the same rollback, retry, failures, times and devices as with the exchanges kept', async () => {
    const kept = await swapFailingHalfWay(undefined);
    const dropped = await swapFailingHalfWay(false);
    // the scenario is the one meant: rolled back once, then migrated
    expect([kept.result.outcome, kept.result.attempts, kept.result.failedAttempts]).toEqual(['migrated', 2, 1]);
    expect(kept.result.steps.filter((s) => s.name === 'rollback').flatMap((s) => s.duis).length).toBe(3);
    expect(kept.result.steps.flatMap((s) => s.frames).length).toBeGreaterThan(0);
    expect(dropped.result.steps.flatMap((s) => [...s.duis, ...s.frames])).toEqual([]);
    expect(outline(dropped.result)).toEqual(outline(kept.result));
    expect(stepSummary(dropped.result.steps)).toEqual(stepSummary(kept.result.steps));
    expect(dropped.states).toEqual(FULLY_MIGRATED);
    expect(dropped.states).toEqual(kept.states);
  });

  it('a rollback left pending: the same journal, devices between the runs, and the recovering run', async () => {
    const kept = await rollbackLeftPending(undefined);
    const dropped = await rollbackLeftPending(false);
    expect([kept.first.outcome, kept.second.recovered, kept.second.outcome]).toEqual([
      'rollback-pending',
      'rolled-back',
      'migrated',
    ]);
    expect(dropped.first.steps.flatMap((s) => [...s.duis, ...s.frames])).toEqual([]);
    expect(dropped.second.steps.flatMap((s) => [...s.duis, ...s.frames])).toEqual([]);
    expect(outline(dropped.first)).toEqual(outline(kept.first));
    expect(dropped.pending).toEqual(kept.pending);
    expect(dropped.between).toEqual(kept.between);
    expect(outline(dropped.second)).toEqual(outline(kept.second));
    expect(dropped.states).toEqual(FULLY_MIGRATED);
  });
});
