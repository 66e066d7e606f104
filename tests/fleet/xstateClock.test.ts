/**
 * XStateSimulatedClock (bench:fleet's comparison): XState's SimulatedClock behind the VirtualClock interface a
 * DuisBench drives. Timers fire at their due times in order, the next due time is the earliest live timer, a cleared
 * or infinite timer never fires, and what a bench never calls is refused rather than run on the wrong clock.
 */
import { describe, expect, it } from 'vitest';
import { XStateSimulatedClock } from '../../harness/fleet/xstateClock';

const START = Date.UTC(2026, 0, 1);

describe('XStateSimulatedClock', () => {
  it('fires timers at their due times, in order, and tells the next one', async () => {
    const clock = new XStateSimulatedClock(START);
    const fired: string[] = [];
    const first = clock.setTimeout(() => fired.push(`b@${clock.now() - START}`), 300);
    const cleared = clock.setTimeout(() => fired.push('cleared'), 100);
    clock.setTimeout(() => fired.push(`a@${clock.now() - START}`), 200);
    clock.setTimeout(() => fired.push('never'), Infinity);
    expect(first).toBeGreaterThan(0); // 0, SimulatedClock's first id, would read as "no timer" to some callers
    clock.clearTimeout(cleared);
    expect(clock.nextDueTime()).toBe(START + 200);
    expect(clock.pendingCount).toBe(3);
    await clock.advanceTo(START + 250);
    expect([fired, clock.now()]).toEqual([['a@200'], START + 250]);
    await clock.advanceBy(1_000_000);
    expect(fired).toEqual(['a@200', 'b@300']);
    expect(clock.nextDueTime()).toBeUndefined();
    expect(clock.pendingCount).toBe(1);
  });

  it('refuses what a bench on in-process devices never calls, and going back in time', async () => {
    const clock = new XStateSimulatedClock(START);
    expect(() => clock.jumpTo()).toThrow("XStateSimulatedClock: jumpTo is not carried over to XState's SimulatedClock");
    expect(() => clock.advanceToSync()).toThrow('advanceToSync is not carried over');
    await expect(clock.advanceTo(START - 1)).rejects.toThrow(`advanceTo(${START - 1}) is before now (${START})`);
  });
});
