/**
 * The workload shared by the many-actors test and bench/clock-vs-simulated.ts: actors that each run three
 * chained `after` delays (a → b → c → d), with delays derived from the actor's index so due times spread over
 * eight hours, many coincide (FIFO matters) and some are fractional (as wire times are).
 */
import { createActor, setup, type Actor, type ActorOptions, type AnyActorLogic } from 'xstate';

export const EIGHT_HOURS_MS = 8 * 3_600_000;

/** Delays of actor `index`, in ms. The last one ends before 8 h for every index. */
export function chainDelays(index: number): [number, number, number] {
  return [
    1_000 * (1 + (index % 7)) + (index % 13),
    60_000 + (index % 101) * 997 + (index % 4) * 0.25,
    3_600_000 + (index % 97) * 211_111,
  ];
}

/** Where each actor was at which time: `times[index * 4 + step]`, step 0 = started (state a) ... 3 = state d. */
export interface ChainRecorder {
  times: Float64Array;
  /** How many step records were written; equals actors × 4 when every actor reached d. */
  count: number;
}

export function createChainRecorder(actors: number): ChainRecorder {
  return { times: new Float64Array(actors * 4).fill(NaN), count: 0 };
}

/** The exact times actor `index` started at `startMs` must reach a, b, c and d, with the clock's own arithmetic. */
export function expectedChainTimes(index: number, startMs: number): [number, number, number, number] {
  const [d1, d2, d3] = chainDelays(index);
  const b = startMs + d1;
  const c = b + d2;
  return [startMs, b, c, c + d3];
}

const chainMachine = setup({
  types: {
    context: {} as { index: number; delays: [number, number, number] },
    input: {} as { index: number },
  },
  delays: {
    first: ({ context }) => context.delays[0],
    second: ({ context }) => context.delays[1],
    third: ({ context }) => context.delays[2],
  },
  actions: {
    // Replaced per run through `provide`, so the machine stays free of clocks and recorders.
    reached: (_, _params: { step: number }) => {},
  },
}).createMachine({
  id: 'chain',
  context: ({ input }) => ({ index: input.index, delays: chainDelays(input.index) }),
  initial: 'a',
  states: {
    a: { entry: { type: 'reached', params: { step: 0 } }, after: { first: 'b' } },
    b: { entry: { type: 'reached', params: { step: 1 } }, after: { second: 'c' } },
    c: { entry: { type: 'reached', params: { step: 2 } }, after: { third: 'd' } },
    d: { entry: { type: 'reached', params: { step: 3 } } },
  },
});

/** A clock as XState's `clock` option takes it (xstate does not export its `Clock` type), plus `now()`. */
export type RecordingClock = NonNullable<ActorOptions<AnyActorLogic>['clock']> & { now(): number };

/** Creates and starts `count` chain actors on `clock`, recording each state entry into `recorder`. */
export function startChainActors(
  count: number,
  clock: RecordingClock,
  recorder: ChainRecorder,
): Actor<typeof chainMachine>[] {
  const machine = chainMachine.provide({
    actions: {
      reached: ({ context }, params) => {
        recorder.times[context.index * 4 + params.step] = clock.now();
        recorder.count++;
      },
    },
  });
  const actors: Actor<typeof chainMachine>[] = new Array(count);
  for (let index = 0; index < count; index++) {
    actors[index] = createActor(machine, { clock, input: { index } }).start();
  }
  return actors;
}

/** Indices of actors whose recorded times differ from the expected ones (empty when every time is exact). */
export function inexactActors(recorder: ChainRecorder, count: number, startMs: number): number[] {
  const wrong: number[] = [];
  for (let index = 0; index < count; index++) {
    const expected = expectedChainTimes(index, startMs);
    for (let step = 0; step < 4; step++) {
      if (recorder.times[index * 4 + step] !== expected[step]) {
        wrong.push(index);
        break;
      }
    }
  }
  return wrong;
}
