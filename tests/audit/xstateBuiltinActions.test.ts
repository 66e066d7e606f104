/**
 * XState's built-in action protocol, which handle() (devices/common/outcome.ts) uses instead of `enqueueActions`: an
 * action that is a function with `type` and `resolve` is resolved, not called. XState calls
 * `resolve(scope, snapshot, args)` in the step, with `scope.self`, `scope.system` and `args.context` as the step has
 * made it so far; resolve returns `[snapshot, params, actions]`, and the actions it returns are resolved and run next,
 * in order, before the transition's following action. It is XState's own protocol, not its public API (package.json
 * pins the release): a release that changed it fails here, naming what moved, before a device test has to be read.
 */
import { describe, expect, it } from 'vitest';
import { assign, createActor, raise, setup, type AnyActorRef } from 'xstate';

describe("XState's built-in action protocol handle() relies on", () => {
  it('resolves a function with type and resolve in the step, then the actions it returns, in order', () => {
    const calls: { self: unknown; hasClock: boolean; count: number; event: string }[] = [];
    function builtIn(): void {
      throw new Error('a built-in action is resolved, never called');
    }
    builtIn.type = 'test.builtIn';
    builtIn.resolve = (
      scope: { self: AnyActorRef; system: { _clock?: unknown } },
      snapshot: unknown,
      args: { context: { count: number; trail: string[] }; event: { type: string } },
    ) => {
      calls.push({
        self: scope.self,
        hasClock: scope.system._clock !== undefined,
        count: args.context.count,
        event: args.event.type,
      });
      return [
        snapshot,
        undefined,
        [
          assign(({ context }: { context: { count: number; trail: string[] } }) => ({
            count: context.count + 10,
            trail: [...context.trail, `returned assign saw ${context.count}`],
          })),
          raise({ type: 'raised' }),
        ],
      ];
    };
    const machine = setup({
      types: { context: {} as { count: number; trail: string[] } },
    }).createMachine({
      context: { count: 0, trail: [] },
      on: {
        go: {
          actions: [
            assign({ count: 1 }),
            builtIn as never,
            assign(({ context }) => ({ trail: [...context.trail, `next action saw ${context.count}`] })),
          ],
        },
        raised: { actions: assign(({ context }) => ({ trail: [...context.trail, `raised saw ${context.count}`] })) },
      },
    });
    const actor = createActor(machine).start();
    actor.send({ type: 'go' });
    expect(calls, 'resolve was not called once, in the step, with self, system and the context so far').toEqual([
      { self: actor, hasClock: true, count: 1, event: 'go' },
    ]);
    expect(actor.getSnapshot().context.trail, 'the returned actions did not run in place, in order').toEqual([
      'returned assign saw 1',
      'next action saw 11',
      'raised saw 11',
    ]);
  });
});

/**
 * handle() and patchContext() apply a context patch by copying the step's snapshot with a new context
 * (outcome.ts withContextPatched), sharing every other field, where XState's assign rebuilds the snapshot with
 * createMachineSnapshot. That holds while a machine snapshot's fields are these and none but `context` is derived
 * from the context: a release that adds a field fails here, to be checked before it is shared.
 */
describe('the machine snapshot handle() copies with a new context', () => {
  it("has the fields of XState 5.33.3 (that the patched snapshot equals assign's: tests/devices/outcomeContextPatch.test.ts)", () => {
    const machine = setup({ types: { context: {} as { n: number } } }).createMachine({
      context: { n: 0 },
      on: { bump: { actions: assign({ n: ({ context }) => context.n + 1 }) } },
    });
    const actor = createActor(machine).start();
    actor.send({ type: 'bump' });
    expect(Object.keys(actor.getSnapshot())).toEqual([
      'status',
      'output',
      'error',
      'machine',
      'context',
      '_nodes',
      'value',
      'tags',
      'children',
      'historyValue',
      'matches',
      'hasTag',
      'can',
      'getMeta',
      'toJSON',
    ]);
  });
});
