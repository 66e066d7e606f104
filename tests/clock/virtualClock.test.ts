import { describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH_MS, VirtualClock } from '../../emulator/clock/virtualClock';

const T0 = DEFAULT_EPOCH_MS;

/** A clock plus a log of (label, virtual time) written by the timers under test. */
function harness(start = T0) {
  const clock = new VirtualClock(start);
  const log: [string, number][] = [];
  const at = (label: string) => () => log.push([label, clock.now() - start]);
  return { clock, log, at };
}

describe('VirtualClock: time and ordering', () => {
  it('starts at the documented epoch, or at the given start', () => {
    expect(new VirtualClock().now()).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(new VirtualClock(42).now()).toBe(42);
    expect(() => new VirtualClock(NaN)).toThrow(RangeError);
  });

  it('fires in due order, equal due times in the order they were set, each at its own due time', async () => {
    const { clock, log, at } = harness();
    clock.setTimeout(at('c300'), 300);
    clock.setTimeout(at('a100'), 100);
    clock.setTimeout(at('b100'), 100);
    clock.setTimeout(at('d0'), 0);
    clock.setTimeout(at('e100'), 100);
    await clock.advanceBy(1_000);
    expect(log).toEqual([
      ['d0', 0],
      ['a100', 100],
      ['b100', 100],
      ['e100', 100],
      ['c300', 300],
    ]);
    expect(clock.now()).toBe(T0 + 1_000);
  });

  it('fires a timer due exactly at the target, and not one due just after it', async () => {
    const { clock, log, at } = harness();
    clock.setTimeout(at('on'), 500);
    clock.setTimeout(at('after'), 500.5);
    await clock.advanceBy(500);
    expect(log).toEqual([['on', 500]]);
    expect(clock.pendingCount).toBe(1);
    expect(clock.nextDueTime()).toBe(T0 + 500.5);
  });

  it('jumpTo moves now up to a due timer without firing it, and refuses to pass one or to go back', async () => {
    const { clock, log, at } = harness();
    clock.setTimeout(at('t500'), 500);
    clock.jumpTo(T0 + 500);
    expect(clock.now()).toBe(T0 + 500);
    expect(log).toEqual([]);
    await clock.advanceTo(T0 + 500); // what is due then fires at that time
    expect(log).toEqual([['t500', 500]]);
    clock.setTimeout(at('t800'), 300);
    expect(() => clock.jumpTo(T0 + 801)).toThrow(
      `VirtualClock: jumpTo(${T0 + 801}) would pass a timer due at ${T0 + 800}; advance to it instead`,
    );
    expect(() => clock.jumpTo(T0 + 499)).toThrow(RangeError);
    expect(clock.now()).toBe(T0 + 500);
  });

  it('returns distinct numeric ids and clears timers, including from inside another callback', async () => {
    const { clock, log, at } = harness();
    const a = clock.setTimeout(at('a'), 100);
    const b = clock.setTimeout(at('b'), 200);
    const c = clock.setTimeout(at('c'), 300);
    clock.setTimeout(() => clock.clearTimeout(c), 250);
    expect(new Set([a, b, c]).size).toBe(3);
    expect([a, b, c].every((id) => typeof id === 'number')).toBe(true);
    clock.clearTimeout(a);
    clock.clearTimeout(a); // twice is harmless
    clock.clearTimeout(9_999_999); // unknown id too
    expect(clock.pendingCount).toBe(3);
    await clock.advanceBy(1_000);
    expect(log).toEqual([['b', 200]]);
    expect(clock.pendingCount).toBe(0);
  });

  it('treats negative and NaN delays as 0 and an infinite delay as never', async () => {
    const { clock, log, at } = harness();
    clock.setTimeout(at('negative'), -50);
    clock.setTimeout(at('nan'), NaN);
    const never = clock.setTimeout(at('never'), Infinity);
    expect(clock.pendingCount).toBe(3);
    expect(clock.nextDueTime()).toBe(T0);
    expect(await clock.runUntilIdle()).toBe(T0);
    expect(log).toEqual([
      ['negative', 0],
      ['nan', 0],
    ]);
    expect(clock.pendingCount).toBe(1);
    expect(clock.nextDueTime()).toBeUndefined();
    clock.clearTimeout(never);
    expect(clock.pendingCount).toBe(0);
  });

  it('honours delays longer than Node allows (2^31-1 ms)', async () => {
    const { clock, log, at } = harness();
    const thirtyDays = 30 * 86_400_000;
    clock.setTimeout(at('tariff'), thirtyDays);
    await clock.advanceBy(thirtyDays - 1);
    expect(log).toEqual([]);
    await clock.advanceBy(1);
    expect(log).toEqual([['tariff', thirtyDays]]);
  });

  it('lands a timer set by a firing callback relative to that callback, even within the same advance', async () => {
    const { clock, log, at } = harness();
    clock.setTimeout(() => {
      at('outer')();
      clock.setTimeout(at('inner+0'), 0);
      clock.setTimeout(at('inner+50'), 50);
    }, 100);
    clock.setTimeout(at('same-time-as-outer'), 100);
    await clock.advanceBy(1_000);
    expect(log).toEqual([
      ['outer', 100],
      ['same-time-as-outer', 100],
      ['inner+0', 100],
      ['inner+50', 150],
    ]);
  });

  it('chains five 1000 ms delays to exactly +1000 ... +5000, in one advance and in many small ones', async () => {
    for (const steps of [[10_000], Array.from({ length: 73 }, () => 137)]) {
      const { clock, log, at } = harness();
      let remaining = 5;
      const tick = () => {
        at('tick')();
        if (--remaining > 0) clock.setTimeout(tick, 1_000);
      };
      clock.setTimeout(tick, 1_000);
      for (const step of steps) await clock.advanceBy(step);
      expect(log.map(([, t]) => t)).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    }
  });

  it('keeps ordering and pending count exact while a long timer is re-armed many times', async () => {
    const { clock, log, at } = harness();
    clock.setTimeout(at('short'), 10);
    let watchdog = clock.setTimeout(at('stale watchdog'), 86_400_000);
    for (let i = 0; i < 100_000; i++) {
      clock.clearTimeout(watchdog);
      watchdog = clock.setTimeout(at('watchdog'), 86_400_000 + i);
    }
    expect(clock.pendingCount).toBe(2);
    // Cancelled entries are compacted away once they outnumber live ones, so the heap stays small.
    expect((Reflect.get(clock, 'heap') as { size: number }).size).toBeLessThanOrEqual(2_048);
    expect(await clock.runUntilIdle()).toBe(T0 + 86_400_000 + 99_999);
    expect(log).toEqual([
      ['short', 10],
      ['watchdog', 86_400_000 + 99_999],
    ]);
  });
});

describe('VirtualClock: promise jobs between timers', () => {
  it('lets a callback await a deep chain (promises, queueMicrotask, nextTick) and still land its next timer exactly', async () => {
    const { clock, log, at } = harness();
    const fire = async () => {
      at('fired')();
      for (let i = 0; i < 100; i++) await Promise.resolve();
      await new Promise<void>((resolve) => queueMicrotask(resolve));
      await new Promise<void>((resolve) => process.nextTick(resolve));
      clock.setTimeout(at('after awaits'), 1_000);
    };
    clock.setTimeout(() => void fire(), 1_000);
    clock.setTimeout(at('bystander'), 1_500);
    await clock.advanceBy(10_000);
    expect(log).toEqual([
      ['fired', 1_000],
      ['bystander', 1_500],
      ['after awaits', 2_000],
    ]);
  });

  it('runs continuations before the next timer, as Node runs microtasks between timer callbacks', async () => {
    const { clock, log, at } = harness();
    clock.setTimeout(() => void Promise.resolve().then(at('continuation of first')), 100);
    clock.setTimeout(at('second, same due time'), 100);
    await clock.advanceBy(100);
    expect(log).toEqual([
      ['continuation of first', 100],
      ['second, same due time', 100],
    ]);
  });

  it('lets jobs queued before the advance set their timers at the time the advance was called', async () => {
    const { clock, log, at } = harness();
    void Promise.resolve().then(() => clock.setTimeout(at('queued before advance'), 300));
    await clock.advanceBy(1_000);
    expect(log).toEqual([['queued before advance', 300]]);
  });

  it('the Sync variants do not drain: a continuation sets its timer only after the advance (documented drift)', async () => {
    const { clock, log, at } = harness();
    clock.setTimeout(() => void Promise.resolve().then(() => clock.setTimeout(at('late'), 100)), 100);
    clock.advanceBySync(1_000);
    await Promise.resolve(); // the continuation runs now, at +1000
    clock.advanceBySync(1_000);
    expect(log).toEqual([['late', 1_100]]);
  });

  it('the Sync variants land synchronous chains exactly', () => {
    const { clock, log, at } = harness();
    let remaining = 3;
    const tick = () => {
      at('tick')();
      if (--remaining > 0) clock.setTimeout(tick, 250);
    };
    clock.setTimeout(tick, 250);
    clock.advanceToSync(T0 + 10_000);
    expect(log.map(([, t]) => t)).toEqual([250, 500, 750]);
    expect(clock.now()).toBe(T0 + 10_000);
  });
});

describe('VirtualClock: an advance with at most maxTimers firings', () => {
  it('stops after maxTimers with now at the last one fired (others at that instant left), and reaches the target when no more are due', async () => {
    const clock = new VirtualClock(T0);
    const log: [string, number][] = [];
    for (const [name, delay] of [
      ['a', 10],
      ['b', 20],
      ['c', 20],
      ['d', 30],
    ] as const)
      clock.setTimeout(() => log.push([name, clock.now() - T0]), delay);
    await clock.advanceTo(T0 + 100, { maxTimers: 2 });
    expect(log).toEqual([
      ['a', 10],
      ['b', 20],
    ]);
    expect(clock.now()).toBe(T0 + 20);
    expect(clock.nextDueTime()).toBe(T0 + 20); // c, due at the same instant, waits for the next advance
    // Exactly as many due as allowed: the advance completes to its target.
    await clock.advanceTo(T0 + 100, { maxTimers: 2 });
    expect(log).toEqual([
      ['a', 10],
      ['b', 20],
      ['c', 20],
      ['d', 30],
    ]);
    expect(clock.now()).toBe(T0 + 100);
    expect(() => clock.advanceTo(T0 + 200, { maxTimers: 0 })).toThrow(
      'VirtualClock: advanceTo() needs maxTimers >= 1, got 0',
    );
  });
});

describe('VirtualClock: runUntilIdle and nextDueTime', () => {
  it('runs to the last timer and returns its time, leaving now there', async () => {
    const { clock, log, at } = harness();
    expect(clock.nextDueTime()).toBeUndefined();
    clock.setTimeout(() => clock.setTimeout(at('second'), 700), 300);
    expect(clock.nextDueTime()).toBe(T0 + 300);
    expect(await clock.runUntilIdle()).toBe(T0 + 1_000);
    expect(clock.now()).toBe(T0 + 1_000);
    expect(log).toEqual([['second', 1_000]]);
    expect(clock.runUntilIdleSync()).toBe(T0 + 1_000);
  });

  it('stops at the limit when timers remain beyond it (a self-re-arming timer never goes idle)', async () => {
    const { clock, log, at } = harness();
    const heartbeat = () => {
      at('beat')();
      clock.setTimeout(heartbeat, 400);
    };
    clock.setTimeout(heartbeat, 400);
    expect(await clock.runUntilIdle(1_000)).toBe(T0 + 1_000);
    expect(log.map(([, t]) => t)).toEqual([400, 800]);
    expect(clock.runUntilIdleSync(200)).toBe(T0 + 1_200);
    expect(log.map(([, t]) => t)).toEqual([400, 800, 1_200]);
    expect(clock.nextDueTime()).toBe(T0 + 1_600);
  });

  it('skips cancelled timers when reporting the next due time', () => {
    const { clock } = harness();
    const first = clock.setTimeout(() => {}, 100);
    clock.setTimeout(() => {}, 200);
    clock.clearTimeout(first);
    expect(clock.nextDueTime()).toBe(T0 + 200);
    expect(clock.pendingCount).toBe(1);
  });
});

describe('VirtualClock: misuse is reported, not absorbed', () => {
  it('throws when an advance is started from inside a timer callback', async () => {
    const { clock } = harness();
    let inner: unknown;
    clock.setTimeout(() => {
      try {
        clock.advanceBySync(10);
      } catch (error) {
        inner = error;
      }
    }, 100);
    await clock.advanceBy(1_000);
    expect(String(inner)).toMatch(/advanceBySync\(\) called while advanceBy\(\) is still running/);
    expect(clock.now()).toBe(T0 + 1_000);
  });

  it('throws synchronously when a second advance overlaps an awaited one, and works again afterwards', async () => {
    const { clock, log, at } = harness();
    clock.setTimeout(at('a'), 100);
    const running = clock.advanceBy(1_000);
    expect(() => clock.advanceBy(5)).toThrow(/advanceBy\(\) called while advanceBy\(\) is still running/);
    expect(() => clock.runUntilIdleSync()).toThrow(/still running/);
    await running;
    clock.setTimeout(at('b'), 100);
    await clock.advanceBy(100);
    expect(log).toEqual([
      ['a', 100],
      ['b', 1_100],
    ]);
  });

  it('refuses to go back in time or to advance by a negative, NaN or infinite amount', () => {
    const { clock } = harness();
    expect(() => clock.advanceTo(T0 - 1)).toThrow(/earlier than now/);
    expect(() => clock.advanceToSync(Infinity)).toThrow(RangeError);
    expect(() => clock.advanceBy(-1)).toThrow(RangeError);
    expect(() => clock.advanceBySync(NaN)).toThrow(RangeError);
    expect(() => clock.runUntilIdle(-5)).toThrow(RangeError);
    expect(clock.now()).toBe(T0);
  });

  it('rethrows a callback error with now at that timer, and a later advance picks up the rest', async () => {
    const { clock, log, at } = harness();
    clock.setTimeout(() => {
      throw new Error('device fault');
    }, 100);
    clock.setTimeout(at('later'), 200);
    await expect(clock.advanceBy(1_000)).rejects.toThrow('device fault');
    expect(clock.now()).toBe(T0 + 100);
    expect(() => clock.advanceToSync(T0 + 150)).not.toThrow();
    await clock.advanceBy(1_000);
    expect(log).toEqual([['later', 200]]);
  });
});
