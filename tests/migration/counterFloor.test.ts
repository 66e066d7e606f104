/**
 * The orchestrator's RequestID counters stay above those another sender on the same bench used for the same DUIS
 * user (a pack's `sr` steps): on a lockstep link a request takes no virtual time, so both could otherwise take the
 * same instant as their counter and the gateway would refuse the second as a replay (E42).
 */
import { describe, expect, it } from 'vitest';
import { parseDuisRequest } from '../../harness/duis/request';
import { migrate } from '../../harness/migration/orchestrator';
import { migrationBench } from './support';

describe('counterFloor', () => {
  it("the first migration request's counter is the floor + 1 when the floor is ahead of the clock, and none is refused", async () => {
    const { bench, installation } = await migrationBench('elster', 'active');
    const floor = BigInt(bench.clock.now()) + 60_000n;
    const result = await migrate(bench, { installation, counterFloor: floor });
    await bench.close();
    const exchanges = result.steps.flatMap((s) => s.duis);
    expect(parseDuisRequest(exchanges[0].request).requestId.counter).toBe(floor + 1n);
    expect(result.outcome).toBe('migrated');
    expect(exchanges.flatMap((e) => e.codes).filter((c) => c.startsWith('E'))).toEqual([]);
  }, 60_000);
});
