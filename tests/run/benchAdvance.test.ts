// DuisBench.advance on virtual time: work queued before the call (however deep its chain of awaits) sets its timers
// at the time of the call, and the work a timer queues has run before the advance returns. advance() leaves both to
// the clock's own advanceTo, without drains of its own, so this is what every clock a bench runs on must do: the
// VirtualClock and bench:fleet's XStateSimulatedClock.
import { afterEach, describe, expect, it } from 'vitest';
import { DuisBench } from '../../harness/bench/duisBench';
import { XStateSimulatedClock } from '../../harness/fleet/xstateClock';
import type { VirtualClock } from '../../emulator/clock/virtualClock';

const START = Date.UTC(2026, 0, 1);

/** Resolves after `depth` promise jobs, each queued by the one before. */
async function deep(depth: number): Promise<void> {
  for (let i = 0; i < depth; i++) await Promise.resolve();
}

const clocks: [string, ((startMs: number | undefined) => VirtualClock) | undefined][] = [
  ['VirtualClock', undefined],
  ['XStateSimulatedClock', (startMs) => new XStateSimulatedClock(startMs)],
];

describe.each(clocks)('DuisBench.advance on %s', (_, virtualClock) => {
  let bench: DuisBench | undefined;
  afterEach(async () => {
    await bench?.close();
    bench = undefined;
  });

  const start = async () =>
    (bench = await DuisBench.start({
      vendor: 'itron',
      startMs: START,
      ...(virtualClock === undefined ? {} : { virtualClock }),
    }));

  it('a timer set by jobs queued before the call is due from the time of the call', async () => {
    const b = await start();
    const fired: number[] = [];
    void deep(20).then(() => b.clock.setTimeout(() => fired.push(b.clock.now() - START), 1_000));
    await b.advance(5_000);
    expect(fired).toEqual([1_000]);
    expect(b.clock.now()).toBe(START + 5_000);
  });

  it("the jobs a timer queues have run when it returns, the last timer's too", async () => {
    const b = await start();
    const done: string[] = [];
    b.clock.setTimeout(() => void deep(20).then(() => done.push(`first at ${b.clock.now() - START}`)), 1_000);
    b.clock.setTimeout(() => void deep(20).then(() => done.push(`last at ${b.clock.now() - START}`)), 5_000);
    await b.advance(5_000);
    expect(done).toEqual(['first at 1000', 'last at 5000']);
  });

  it('advance(0) runs the jobs queued before it and the timers they set for now', async () => {
    const b = await start();
    const done: string[] = [];
    void deep(20).then(() => b.clock.setTimeout(() => done.push(`at ${b.clock.now() - START}`), 0));
    await b.advance(0);
    expect(done).toEqual(['at 0']);
  });
});
