/**
 * What handle() (devices/common/outcome.ts) does with an outcome, step for step, as XState runs and inspects it: the
 * context patch (alerts logged) first, so everything after it sees the new context; then to the parent, in this
 * order, the response, the alerts alert behaviour lets out and the HAN messages; the raised events last, handled in
 * the same macrostep after the transition's own actions. Written out by hand from the file header, not derived from
 * the code: handle() once queued these through `enqueueActions` and now returns them as a built-in action, and both
 * must give exactly this.
 */
import { describe, expect, it } from 'vitest';
import { assign, createActor, setup, type AnyActorRef, type InspectionEvent } from 'xstate';
import { emptyLogs } from '../../devices/common/eventLog';
import { handle, type Handler, type OutcomeContext } from '../../devices/common/outcome';
import { VirtualClock } from '../../emulator/clock/virtualClock';

const T0 = Date.UTC(2026, 0, 1);

interface ProbeContext extends OutcomeContext {
  count: number;
  /** What the raised event's transition and the next action saw of `count`, in order. */
  seen: string[];
}

/** Everything at once: a patch, a response with a body, two alerts (one not emitted), a HAN message and a raise. */
const everything: Handler<ProbeContext, { type: 'go'; requestId?: string }> = ({ context }) => ({
  context: { count: context.count + 1 },
  response: { status: 'ok', body: { count: context.count + 1 } },
  alerts: [{ code: 0x8f3e }, { code: 0x1234, payload: 'ab' }],
  toParent: [{ type: 'han.joinResult', deviceId: 'D', joined: true }],
  raise: [{ type: 'probe.raised' }],
});

/** A patch and a response, nothing to log. */
const quiet: Handler<ProbeContext, { type: 'quiet' }> = ({ context }) => ({
  context: { count: context.count + 10 },
  response: { status: 'ok' },
});

const device = setup({
  types: { context: {} as ProbeContext },
  actions: {
    'probe.go': handle(everything),
    'probe.quiet': handle(quiet),
    'probe.after': assign(({ context }) => ({ seen: [...context.seen, `after go: ${context.count}`] })),
    'probe.raised': assign(({ context }) => ({ seen: [...context.seen, `raised: ${context.count}`] })),
  },
}).createMachine({
  id: 'probe',
  context: {
    eui: 'E',
    logs: emptyLogs(),
    logCapacity: 10,
    // 0x1234 is off: logged, not emitted
    alertSettings: [
      { code: 0x8f3e, enabled: true, owner: 'supplier' },
      { code: 0x1234, enabled: false, owner: 'supplier' },
    ],
    count: 0,
    seen: [],
  },
  on: {
    go: { actions: ['probe.go', 'probe.after'] },
    quiet: { actions: 'probe.quiet' },
    'probe.raised': { actions: 'probe.raised' },
  },
});

/** A parent that records what its child sends it, and spawns the probe as its child. */
const parent = setup({ types: { context: {} as { heard: unknown[] } }, actors: { device } }).createMachine({
  context: ({ spawn }) => {
    spawn('device', { id: 'child' });
    return { heard: [] };
  },
  on: { '*': { actions: assign(({ context, event }) => ({ heard: [...context.heard, event] })) } },
});

describe('handle(): an outcome applied in the order the header gives', () => {
  it('as a member: patch, then response, alert, HAN message to the parent; the raise handled last in the step', () => {
    const inspected: string[] = [];
    const inspect = (event: InspectionEvent) => {
      if (event.type === '@xstate.action' && (event.actorRef as AnyActorRef).id === 'child')
        inspected.push(event.action.type);
    };
    const actor = createActor(parent, { clock: new VirtualClock(T0), inspect }).start();
    const child = actor.getSnapshot().children.child as AnyActorRef;
    child.send({ type: 'go', requestId: 'r1' });

    const ctx = child.getSnapshot().context as ProbeContext;
    expect(ctx.count).toBe(1);
    // the transition's next action and the raised event's transition both see the patched context
    expect(ctx.seen).toEqual(['after go: 1', 'raised: 1']);
    // both alerts logged (0x8F3E in the security log, 0x1234 in the event log), at the clock's now
    expect(ctx.logs.security.map((e) => [e.at, e.code])).toEqual([[T0, 0x8f3e]]);
    expect(ctx.logs.event.map((e) => [e.at, e.code])).toEqual([[T0, 0x1234]]);

    expect(actor.getSnapshot().context.heard).toEqual([
      {
        type: 'device.output',
        from: 'E',
        output: { type: 'response', requestId: 'r1', status: 'ok', body: { count: 1 } },
      },
      { type: 'device.output', from: 'E', output: { type: 'alert', code: 0x8f3e, at: T0 } },
      { type: 'device.output', from: 'E', output: { type: 'han.joinResult', deviceId: 'D', joined: true } },
    ]);
    // what an inspector sees of the child's step: three sends and the raise, as XState's own actions
    expect(inspected).toEqual(['xstate.sendTo', 'xstate.sendTo', 'xstate.sendTo', 'xstate.raise']);
  });

  it('alone: the response and the emitted alert are emitted, HAN messages dropped; no response to an internal event', () => {
    const actor = createActor(device, { clock: new VirtualClock(T0) });
    const emitted: unknown[] = [];
    actor.on('*', (event) => emitted.push(event));
    actor.start();
    actor.send({ type: 'go', requestId: 'r1' });
    actor.send({ type: 'go' });
    actor.send({ type: 'quiet', requestId: 'r2' });
    expect(emitted).toEqual([
      { type: 'response', requestId: 'r1', status: 'ok', body: { count: 1 } },
      { type: 'alert', code: 0x8f3e, at: T0 },
      { type: 'alert', code: 0x8f3e, at: T0 },
      { type: 'response', requestId: 'r2', status: 'ok' },
    ]);
    expect((actor.getSnapshot().context as ProbeContext).count).toBe(12);
    expect((actor.getSnapshot().context as ProbeContext).seen).toEqual([
      'after go: 1',
      'raised: 1',
      'after go: 2',
      'raised: 2',
    ]);
  });
});
