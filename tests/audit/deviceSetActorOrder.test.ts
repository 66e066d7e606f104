/**
 * DeviceSetActor (devices/set/deviceSetActor.ts) against the plain machine's actor, where its fast path could part
 * from the machine's order: a listener that has a member answer while the set is emitting, answers sent before the
 * set starts or after it stops, a listener that throws, a snapshot observer that comes and goes. Each case is run on
 * both actors and the two records must be the same; the expected records are written out by hand from XState's
 * rule that an event reaching a busy actor waits in its mailbox until the step in progress is over.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, type AnyActorRef } from 'xstate';
import { createDeviceSetActor, deviceSetMachine, RTDS_EUIS, type DeviceSetEmitted } from '../../devices/set';
import { VirtualClock } from '../../emulator/clock';
import { T0 } from '../devices/support/deviceHarness';
import { admitPpmid, setActorMakers, setInput as input, toMember } from '../devices/support/setActors';

const { CH, ESME, GSME } = RTDS_EUIS;

const line = (event: DeviceSetEmitted): string =>
  event.type === 'han'
    ? `han ${event.from} → ${event.to}`
    : event.type === 'response'
      ? `response ${event.source} ${event.requestId}`
      : `alert ${event.source} 0x${event.code.toString(16)}`;

const alertFrom = (from: string, code: number) =>
  ({ type: 'device.output', from, output: { type: 'alert', code, at: T0 } }) as const;

/** A listener of `type` that records where each emission begins and ends, doing `whileR1` as it handles r1. */
function bracketing(actor: AnyActorRef, type: 'response' | '*', whileR1: () => void): string[] {
  const seen: string[] = [];
  actor.on(type, (event: DeviceSetEmitted) => {
    seen.push(`begin ${line(event)}`);
    if (event.type === 'response' && event.requestId === 'r1') whileR1();
    seen.push(`end ${line(event)}`);
  });
  return seen;
}

describe.each(Object.entries(setActorMakers))('%s', (_, make) => {
  it('a listener that has a member answer while the set emits sees that answer after the one it is handling', () => {
    const actor = make();
    // the first listener, handling r1, sends the ESME a command: the ESME answers at once, to a set still emitting r1
    const first = bracketing(actor, 'response', () =>
      toMember(actor, ESME, { type: 'readDeviceInfo', requestId: 'r2' }),
    );
    const second: string[] = [];
    actor.on('response', (event: DeviceSetEmitted) => second.push(line(event)));
    actor.start();
    toMember(actor, CH, { type: 'readDeviceInfo', requestId: 'r1' });
    expect(first).toEqual([
      `begin response ${CH} r1`,
      `end response ${CH} r1`,
      `begin response ${ESME} r2`,
      `end response ${ESME} r2`,
    ]);
    expect(second).toEqual([`response ${CH} r1`, `response ${ESME} r2`]);
  });

  it('a command sent to the set by a listener waits, as an answer does, for the emission in progress', () => {
    const actor = make();
    const seen = bracketing(actor, '*', () =>
      actor.send({ type: 'command', to: GSME, command: { type: 'readDeviceInfo', requestId: 'r2' } }),
    );
    actor.start();
    toMember(actor, CH, { type: 'readDeviceInfo', requestId: 'r1' });
    expect(seen).toEqual([
      `begin response ${CH} r1`,
      `end response ${CH} r1`,
      `begin response ${GSME} r2`,
      `end response ${GSME} r2`,
    ]);
  });

  it('answers that reach the set before it starts are emitted once it has, in the order they came', () => {
    const actor = make();
    const seen: string[] = [];
    actor.on('*', (event: DeviceSetEmitted) => seen.push(line(event)));
    actor.send(alertFrom(GSME, 0x1111));
    actor.send(alertFrom(ESME, 0x2222));
    expect(seen).toEqual([]);
    actor.start();
    expect(seen).toEqual([`alert ${GSME} 0x1111`, `alert ${ESME} 0x2222`]);
  });

  it('emits nothing for an answer after the set stopped, nor for one sent by a listener that stops it', () => {
    const actor = make();
    const seen: string[] = [];
    actor.on('*', (event: DeviceSetEmitted) => {
      seen.push(line(event));
      if (event.type === 'alert' && event.code === 0x1111) {
        actor.stop();
        actor.send(alertFrom(ESME, 0x2222));
      }
    });
    actor.start();
    actor.send(alertFrom(GSME, 0x1111));
    actor.send(alertFrom(GSME, 0x3333));
    expect(seen).toEqual([`alert ${GSME} 0x1111`]);
    expect(actor.getSnapshot().status).toBe('stopped');
  });

  it('takes a snapshot step for each answer while an observer wants snapshots, and none is missed as it comes and goes', () => {
    const actor = make();
    const seen: string[] = [];
    actor.on('*', (event: DeviceSetEmitted) => seen.push(line(event)));
    actor.start();
    actor.send(alertFrom(GSME, 0x1));
    let steps = 0;
    const subscription = actor.subscribe({ next: () => steps++ });
    actor.send(alertFrom(GSME, 0x2));
    actor.send(alertFrom(CH, 0x3));
    subscription.unsubscribe();
    actor.send(alertFrom(ESME, 0x4));
    expect(steps).toBe(2);
    expect(seen).toEqual([`alert ${GSME} 0x1`, `alert ${GSME} 0x2`, `alert ${CH} 0x3`, `alert ${ESME} 0x4`]);
  });

  describe('a listener that throws', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.clearAllTimers();
      vi.useRealTimers();
    });

    it('is reported apart (XState throws it from a timer) and the other listeners and later answers go on', () => {
      const actor = make();
      const seen: string[] = [];
      actor.on('alert', () => {
        throw new Error('a careless listener');
      });
      actor.on('alert', (event: DeviceSetEmitted) => seen.push(line(event)));
      actor.start();
      actor.send(alertFrom(GSME, 0x1));
      actor.send(alertFrom(CH, 0x2));
      expect(seen).toEqual([`alert ${GSME} 0x1`, `alert ${CH} 0x2`]);
      expect(actor.getSnapshot().status).toBe('active');
      // one report a throw, each thrown from a timer of its own
      expect(vi.getTimerCount()).toBe(2);
      expect(() => vi.runOnlyPendingTimers()).toThrow('a careless listener');
    });
  });
});

describe('DeviceSetActor and the plain machine actor, an answer sent while the set is starting', () => {
  // XState marks the actor running before it starts its children and opens its mailbox: an answer sent in between
  // (here by an inspector, as the set's own init event is reported) waits in the mailbox for the set's first step
  it.each(Object.entries(setActorMakers))('%s emits it once its first step is over', (_, make) => {
    let set: AnyActorRef | undefined;
    const seen: string[] = [];
    const actor = make((event) => {
      if (event.actorRef !== set) return;
      if (event.type === '@xstate.event' && event.event.type === 'xstate.init') set!.send(alertFrom(ESME, 0x2222));
      if (event.type === '@xstate.snapshot' && event.event.type === 'xstate.init') seen.push('first step over');
    });
    set = actor;
    actor.on('*', (event: DeviceSetEmitted) => seen.push(line(event)));
    actor.start();
    expect(seen).toEqual(['first step over', `alert ${ESME} 0x2222`]);
  });
});

describe('DeviceSetActor and the plain machine actor, persisted and restored', () => {
  /** The PPMID joined (HAN traffic carried through the set), then a few answers: the record of what the set emitted. */
  function join(actor: AnyActorRef): string[] {
    const seen: string[] = [];
    actor.on('*', (event: DeviceSetEmitted) => seen.push(line(event)));
    actor.start();
    admitPpmid(actor);
    toMember(actor, GSME, { type: 'readDeviceInfo', requestId: 'r3' });
    return seen;
  }

  it('persists the same snapshot after the same traffic, and a restored set of either kind answers alike', () => {
    const plain = createActor(deviceSetMachine, { input, clock: new VirtualClock(T0) });
    const fast = createDeviceSetActor({ input, clock: new VirtualClock(T0) });
    const plainSeen = join(plain);
    expect(join(fast)).toEqual(plainSeen);
    expect(plainSeen).toContain(`han ${RTDS_EUIS.PPMID} → ${CH}`);
    const persisted = plain.getPersistedSnapshot();
    expect(JSON.stringify(fast.getPersistedSnapshot())).toBe(JSON.stringify(persisted));

    const restored = [
      createActor(deviceSetMachine, {
        input,
        clock: new VirtualClock(T0),
        snapshot: structuredClone(persisted) as never,
      }),
      createDeviceSetActor({ input, clock: new VirtualClock(T0), snapshot: structuredClone(persisted) as never }),
    ].map((actor) => {
      const seen: string[] = [];
      actor.on('*', (event: DeviceSetEmitted) => seen.push(line(event)));
      actor.start();
      toMember(actor, ESME, { type: 'readDeviceInfo', requestId: 'r4' });
      toMember(actor, RTDS_EUIS.PPMID, { type: 'readDeviceInfo', requestId: 'r5' });
      actor.send(alertFrom(GSME, 0x77));
      return { seen, snapshot: JSON.stringify(actor.getPersistedSnapshot()) };
    });
    expect(restored[1]).toEqual(restored[0]);
    expect(restored[0]!.seen).toEqual([`response ${ESME} r4`, `response ${RTDS_EUIS.PPMID} r5`, `alert ${GSME} 0x77`]);
  });
});
