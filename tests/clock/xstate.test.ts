import { assign, createActor, fromPromise, sendTo, setup, type AnyActorRef } from 'xstate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH_MS, VirtualClock } from '../../emulator/clock/virtualClock';

const T0 = DEFAULT_EPOCH_MS;

/** Records (state, virtual time relative to T0) on every snapshot of `actor`. */
function trace(actor: AnyActorRef, clock: VirtualClock): [string, number][] {
  const seen: [string, number][] = [];
  actor.subscribe((snapshot) => {
    const value = String(snapshot.value);
    if (seen.at(-1)?.[0] !== value) seen.push([value, clock.now() - T0]);
  });
  return seen;
}

const chain = setup({}).createMachine({
  initial: 'one',
  states: {
    one: { after: { 1_000: 'two' } },
    two: { after: { 2_000: 'three' } },
    three: { after: { 4_000: 'done' }, on: { SKIP: 'done' } },
    done: {},
  },
});

describe('VirtualClock as the clock of XState actors', () => {
  it('reaches each state of a 1 s → 2 s → 4 s after chain at exact times (async and sync advances)', async () => {
    for (const advance of ['async', 'sync'] as const) {
      const clock = new VirtualClock();
      const actor = createActor(chain, { clock });
      const seen = trace(actor, clock);
      actor.start();
      if (advance === 'async') await clock.advanceBy(60_000);
      else clock.advanceBySync(60_000);
      expect(seen, advance).toEqual([
        ['one', 0],
        ['two', 1_000],
        ['three', 3_000],
        ['done', 7_000],
      ]);
      expect(clock.pendingCount).toBe(0);
    }
  });

  it('lands exactly across advances that stop in the middle of delays', async () => {
    const clock = new VirtualClock();
    const actor = createActor(chain, { clock });
    const seen = trace(actor, clock);
    actor.start();
    for (let i = 0; i < 80; i++) await clock.advanceBy(99.5); // to +7960
    expect(seen).toEqual([
      ['one', 0],
      ['two', 1_000],
      ['three', 3_000],
      ['done', 7_000],
    ]);
  });

  it('cancels the pending after delay when an event leaves the state early', async () => {
    const clock = new VirtualClock();
    const actor = createActor(chain, { clock });
    const seen = trace(actor, clock);
    actor.start();
    await clock.advanceBy(3_500);
    expect(clock.pendingCount).toBe(1); // three's 4 s delay
    actor.send({ type: 'SKIP' });
    expect(clock.pendingCount).toBe(0);
    expect(clock.nextDueTime()).toBeUndefined();
    await clock.advanceBy(60_000);
    expect(seen).toEqual([
      ['one', 0],
      ['two', 1_000],
      ['three', 3_000],
      ['done', 3_500],
    ]);
  });

  it('cancels every pending delay when the actor is stopped', async () => {
    const clock = new VirtualClock();
    const actor = createActor(chain, { clock }).start();
    await clock.advanceBy(1_500);
    actor.stop();
    expect(clock.pendingCount).toBe(0);
  });

  it('times delayed sendTo between actors exactly', async () => {
    const clock = new VirtualClock();
    const received: number[] = [];
    const echo = setup({}).createMachine({
      on: { PING: { actions: () => received.push(clock.now() - T0) } },
    });
    const pinger = setup({ actors: { echo } }).createMachine({
      invoke: { id: 'echo', src: 'echo' },
      entry: [sendTo('echo', { type: 'PING' }, { delay: 250 }), sendTo('echo', { type: 'PING' }, { delay: 1_250 })],
    });
    createActor(pinger, { clock }).start();
    await clock.advanceBy(2_000);
    expect(received).toEqual([250, 1_250]);
  });

  it('async advance: a delay that starts after a promise actor resolves is counted from that moment', async () => {
    // The promise settles in microtasks, after the timer that entered `loading` has fired. advanceBy drains
    // them before moving time on, so `settled` is entered at +1000 and its 500 ms delay ends at +1500;
    // advanceBySync cannot, so the same delay starts at the end of the advance.
    const machine = setup({
      actors: { load: fromPromise(async () => 7) },
    }).createMachine({
      context: { value: 0 },
      initial: 'idle',
      states: {
        idle: { after: { 1_000: 'loading' } },
        loading: {
          invoke: {
            src: 'load',
            onDone: { target: 'settled', actions: assign({ value: ({ event }) => event.output }) },
          },
        },
        settled: { after: { 500: 'done' } },
        done: {},
      },
    });

    const asyncClock = new VirtualClock();
    const asyncActor = createActor(machine, { clock: asyncClock });
    const asyncSeen = trace(asyncActor, asyncClock);
    asyncActor.start();
    await asyncClock.advanceBy(10_000);
    expect(asyncSeen).toEqual([
      ['idle', 0],
      ['loading', 1_000],
      ['settled', 1_000],
      ['done', 1_500],
    ]);
    expect(asyncActor.getSnapshot().context.value).toBe(7);

    const syncClock = new VirtualClock();
    const syncActor = createActor(machine, { clock: syncClock });
    const syncSeen = trace(syncActor, syncClock);
    syncActor.start();
    syncClock.advanceBySync(10_000);
    await new Promise(setImmediate);
    syncClock.advanceBySync(10_000);
    expect(syncSeen.at(-1)).toEqual(['done', 10_500]);
  });
});
