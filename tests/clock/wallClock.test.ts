import { createActor, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { MAX_HOST_DELAY_MS, WallClock, type TimerHost } from '../../emulator/clock/wallClock';

/** A host whose timers fire only when the test says so, recording every delay WallClock asked for. */
function manualHost() {
  let now = 1_000;
  let nextHandle = 1;
  const pending = new Map<number, { fn: () => void; dueAt: number }>();
  const requested: number[] = [];
  const host: TimerHost = {
    now: () => now,
    setTimeout: (fn, ms) => {
      requested.push(ms);
      pending.set(nextHandle, { fn, dueAt: now + ms });
      return nextHandle++;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
  };
  /** Jumps to the earliest host timer and fires it. */
  const fireNext = () => {
    const [handle, timer] = [...pending].sort(([, a], [, b]) => a.dueAt - b.dueAt)[0]!;
    pending.delete(handle);
    now = timer.dueAt;
    timer.fn();
  };
  return { host, pending, requested, fireNext, now: () => now };
}

describe('WallClock bookkeeping (manual host)', () => {
  it('hands out numeric ids, clears through the host and counts pending timers', () => {
    const { host, pending, fireNext } = manualHost();
    const clock = new WallClock(host);
    const fired: string[] = [];
    const a = clock.setTimeout(() => fired.push('a'), 10);
    const b = clock.setTimeout(() => fired.push('b'), 20);
    expect(typeof a).toBe('number');
    expect(a).not.toBe(b);
    expect(clock.pendingCount).toBe(2);
    clock.clearTimeout(a);
    clock.clearTimeout(a);
    expect(pending.size).toBe(1);
    fireNext();
    expect(fired).toEqual(['b']);
    expect(clock.pendingCount).toBe(0);
    clock.clearTimeout(b); // already fired: no effect
    expect(clock.now()).toBe(1_020);
  });

  it('reaches a delay longer than the host allows in steps, firing only at the due time', () => {
    const { host, requested, fireNext, now } = manualHost();
    const clock = new WallClock(host);
    const thirtyDays = 30 * 86_400_000;
    let firedAt: number | undefined;
    clock.setTimeout(() => (firedAt = now()), thirtyDays);
    fireNext();
    expect(firedAt).toBeUndefined();
    fireNext();
    expect(firedAt).toBe(1_000 + thirtyDays);
    expect(requested).toEqual([MAX_HOST_DELAY_MS, thirtyDays - MAX_HOST_DELAY_MS]);
    expect(clock.pendingCount).toBe(0);
  });

  it('can cancel a long timer between its steps', () => {
    const { host, pending, fireNext } = manualHost();
    const clock = new WallClock(host);
    let fired = false;
    const id = clock.setTimeout(() => (fired = true), 2 * MAX_HOST_DELAY_MS + 5);
    fireNext();
    clock.clearTimeout(id);
    expect(pending.size).toBe(0);
    expect(fired).toBe(false);
  });

  it('treats negative and NaN delays as 0 and never arms a host timer for an infinite one', () => {
    const { host, requested } = manualHost();
    const clock = new WallClock(host);
    clock.setTimeout(() => {}, -5);
    clock.setTimeout(() => {}, NaN);
    const never = clock.setTimeout(() => {}, Infinity);
    expect(requested).toEqual([0, 0]);
    expect(clock.pendingCount).toBe(3);
    clock.clearTimeout(never);
    expect(clock.pendingCount).toBe(2);
  });
});

describe('WallClock on real time', () => {
  it('fires real timers in order and reports real time', async () => {
    const clock = new WallClock();
    const before = Date.now();
    const fired: string[] = [];
    await new Promise<void>((resolve) => {
      clock.setTimeout(() => {
        fired.push('late');
        resolve();
      }, 30);
      clock.setTimeout(() => fired.push('early'), 1);
    });
    expect(fired).toEqual(['early', 'late']);
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    expect(clock.pendingCount).toBe(0);
  });

  it('drives an XState after delay as the actor clock', async () => {
    const clock = new WallClock();
    const machine = setup({}).createMachine({
      initial: 'waiting',
      states: { waiting: { after: { 5: 'done' } }, done: { type: 'final' } },
    });
    const actor = createActor(machine, { clock });
    const done = new Promise<void>((resolve) => actor.subscribe({ complete: resolve }));
    actor.start();
    expect(clock.pendingCount).toBe(1);
    await done;
    expect(actor.getSnapshot().value).toBe('done');
    expect(clock.pendingCount).toBe(0);
  });
});
