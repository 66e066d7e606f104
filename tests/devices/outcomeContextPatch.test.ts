/**
 * handle() and patchContext() (devices/common/outcome.ts) apply a handler's context patch to the step's snapshot
 * themselves instead of returning XState's `assign`: the snapshot they leave must be the one the assign left. Each
 * case runs the same patches once through the device helpers and once through XState's own `assign` on a machine
 * of the same shape (parallel regions, nested states, tags), and compares what an actor shows of its snapshot; the
 * expected context is also written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { assign, createActor, setup, type AnyActorRef, type AnyEventObject } from 'xstate';
import { emptyLogs } from '../../devices/common/eventLog';
import { handle, patchContext, type Handler } from '../../devices/common/outcome';
import { VirtualClock } from '../../emulator/clock';
import { T0 } from './support/deviceHarness';

interface TestContext {
  eui: string;
  logs: ReturnType<typeof emptyLogs>;
  logCapacity: number;
  alertSettings: [];
  count: number;
  note: string;
}

const initial = (): TestContext => ({
  eui: 'E1',
  logs: emptyLogs(),
  logCapacity: 4,
  alertSettings: [],
  count: 0,
  note: 'start',
});

type Patcher = (context: TestContext, event: AnyEventObject) => Partial<TestContext>;

/** What each event patches: `bump` one field, `rename` another, `empty` nothing (an empty patch). */
const patches: Record<string, Patcher> = {
  bump: (context) => ({ count: context.count + 1 }),
  rename: (context, event) => ({ note: `${context.note}+${(event as { note?: string }).note}` }),
  empty: () => ({}),
};

/** A machine of the devices' shape: parallel regions, one nested, tags; every patch at the root, `go` moves. */
function machineWith(action: (patcher: Patcher) => never) {
  return setup({ types: { context: {} as TestContext } }).createMachine({
    type: 'parallel',
    context: initial,
    on: {
      bump: { actions: action(patches.bump!) },
      rename: { actions: action(patches.rename!) },
      empty: { actions: action(patches.empty!) },
    },
    states: {
      a: {
        initial: 'outer',
        states: { outer: { initial: 'inner', states: { inner: { tags: ['deep'] } } } },
      },
      b: {
        initial: 'idle',
        states: { idle: { tags: ['resting'], on: { go: 'busy' } }, busy: { tags: ['working'] } },
      },
    },
  });
}

const viaAssign = machineWith(
  (patcher) => assign(({ context, event }) => patcher(context as TestContext, event)) as never,
);
const viaHandle = machineWith((patcher) => {
  const handler: Handler<TestContext, AnyEventObject> = ({ context, event }) => ({ context: patcher(context, event) });
  return handle(handler) as never;
});
const viaPatchContext = machineWith(
  (patcher) =>
    patchContext<TestContext, AnyEventObject>(({ context, event }) => ({ context: patcher(context, event) })) as never,
);

/** What an actor shows of its snapshot, in a form toEqual compares. */
function shown(actor: AnyActorRef) {
  const snapshot = actor.getSnapshot();
  return {
    keys: Object.keys(snapshot),
    status: snapshot.status,
    value: snapshot.value,
    context: snapshot.context,
    contextKeys: Object.keys(snapshot.context),
    tags: [...snapshot.tags].sort(),
    children: Object.keys(snapshot.children),
    historyValue: snapshot.historyValue,
    matchesDeep: snapshot.matches({ a: { outer: 'inner' } }),
    hasWorking: snapshot.hasTag('working'),
    canGo: snapshot.can({ type: 'go' }),
    persisted: JSON.stringify(actor.getPersistedSnapshot()),
  };
}

const events: AnyEventObject[] = [
  { type: 'bump' },
  { type: 'rename', note: 'x' },
  { type: 'empty' },
  { type: 'go' },
  { type: 'bump' },
  { type: 'rename', note: 'y' },
];

describe("a device helper's context patch leaves the snapshot XState's assign leaves", () => {
  it.each([
    ['handle()', viaHandle],
    ['patchContext()', viaPatchContext],
  ])('%s, event after event, a region moving in between', (_, machine) => {
    const reference = createActor(viaAssign, { clock: new VirtualClock(T0) }).start();
    const actor = createActor(machine, { clock: new VirtualClock(T0) }).start();
    expect(shown(actor)).toEqual(shown(reference));
    for (const event of events) {
      reference.send(event);
      actor.send(event);
      expect(shown(actor), `after ${event.type}`).toEqual(shown(reference));
    }
    // written out: the patched fields in place, the context's keys in their first order
    expect(actor.getSnapshot().context).toEqual({
      eui: 'E1',
      logs: { event: [], security: [] },
      logCapacity: 4,
      alertSettings: [],
      count: 2,
      note: 'start+x+y',
    });
    expect(Object.keys(actor.getSnapshot().context)).toEqual([
      'eui',
      'logs',
      'logCapacity',
      'alertSettings',
      'count',
      'note',
    ]);
    expect(actor.getSnapshot().value).toEqual({ a: { outer: 'inner' }, b: 'busy' });
    expect([...actor.getSnapshot().tags].sort()).toEqual(['deep', 'working']);
  });

  it.each([
    ['handle()', viaHandle],
    ['patchContext()', viaPatchContext],
  ])('%s copies the context: the snapshot before a patch keeps its own', (_, machine) => {
    const actor = createActor(machine, { clock: new VirtualClock(T0) }).start();
    const before = actor.getSnapshot();
    actor.send({ type: 'bump' });
    expect(before.context.count).toBe(0);
    expect(actor.getSnapshot().context.count).toBe(1);
    expect(actor.getSnapshot().context).not.toBe(before.context);
  });
});
