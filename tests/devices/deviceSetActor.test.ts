/**
 * DeviceSetActor (devices/set/deviceSetActor.ts): a member's response or alert is emitted, its HAN traffic carried,
 * by the set without a macrostep of the set's own, and only when that macrostep would have run at once and been seen
 * by no one; the set emits the same events in the same order as the plain machine's actor, HAN traces included, and
 * delivers HAN messages when the machine would.
 */
import { describe, expect, it } from 'vitest';
import { type AnyActorRef, type InspectionEvent } from 'xstate';
import { Alert } from '../../devices/common/alertCodes';
import { RTDS_EUIS, type DeviceSetEmitted } from '../../devices/set';
import { T0 } from './support/deviceHarness';
import { admitPpmid, setActorMakers, toMember } from './support/setActors';

const { CH, ESME, GSME, PPMID } = RTDS_EUIS;

/** One line per emitted event, in the order the set emitted them. */
function record(actor: AnyActorRef): string[] {
  const seen: string[] = [];
  actor.on('*', (event: DeviceSetEmitted) => {
    if (event.type === 'han') seen.push(`han ${event.from} → ${event.to} ${event.message.type}`);
    else if (event.type === 'response') seen.push(`response ${event.source} ${event.status} ${event.requestId}`);
    else seen.push(`alert ${event.source} 0x${event.code.toString(16)}`);
  });
  return seen;
}

describe.each(Object.entries(setActorMakers))('%s', (_, make) => {
  it('emits a join of the PPMID as the set carries it: answers, alerts and HAN traces in order', () => {
    const actor = make();
    const seen = record(actor);
    actor.start();
    admitPpmid(actor);
    toMember(actor, ESME, { type: 'join', requestId: 'r3', otherDeviceId: PPMID, critical: false });
    expect(seen).toEqual([
      `response ${CH} ok r1`,
      `alert ${CH} 0x${Alert.deviceLogChanged.toString(16)}`,
      // the PPMID answers its power-on before its join request crosses the HAN
      `response ${PPMID} ok r2`,
      `han ${PPMID} → ${CH} han.joinRequest`,
      `alert ${CH} 0x${Alert.joinSucceeded.toString(16)}`,
      `alert ${CH} 0x${Alert.deviceJoinedSmhan.toString(16)}`,
      `han ${CH} → ${PPMID} han.joinResult`,
      `han ${CH} → ${ESME} han.peerJoined`,
      `han ${CH} → ${GSME} han.peerJoined`,
      `response ${ESME} ok r3`,
      `alert ${ESME} 0x${Alert.joinSucceeded.toString(16)}`,
      `han ${ESME} → ${PPMID} han.bound`,
    ]);
  });

  it('an answer that reaches the set while it carries HAN traffic waits for the traffic to be carried', () => {
    const actor = make();
    const seen = record(actor);
    let injected = false;
    // a member answering while the set is still delivering the CH's join result (the set is mid-macrostep)
    actor.on('han', (event: Extract<DeviceSetEmitted, { type: 'han' }>) => {
      if (injected || event.message.type !== 'han.joinResult') return;
      injected = true;
      actor.send({ type: 'device.output', from: GSME, output: { type: 'alert', code: 0x1234, at: T0 } });
    });
    actor.start();
    admitPpmid(actor);
    expect(seen.slice(-4)).toEqual([
      `han ${CH} → ${PPMID} han.joinResult`,
      `han ${CH} → ${ESME} han.peerJoined`,
      `han ${CH} → ${GSME} han.peerJoined`,
      `alert ${GSME} 0x1234`,
    ]);
  });

  it('delivers each HAN message after its trace, as the machine defers them: a trace listener finds the member before it', () => {
    const actor = make();
    const found: string[] = [];
    /** What the message traced will change in its member, read as the trace is emitted. */
    const before = (to: string): string => {
      const snapshot = (actor.getSnapshot().children[to] as AnyActorRef).getSnapshot();
      if (to === CH) {
        const entry = snapshot.context.deviceLog.find((logged: { deviceId: string }) => logged.deviceId === PPMID);
        return `PPMID joined in the log: ${entry.joined}`;
      }
      if (to === PPMID) return `han ${snapshot.value.han}`;
      return `PPMID a peer: ${snapshot.context.hanPeers.includes(PPMID)}`;
    };
    actor.on('han', (event: Extract<DeviceSetEmitted, { type: 'han' }>) =>
      found.push(`${event.message.type} to ${event.to}: ${before(event.to)}`),
    );
    actor.start();
    admitPpmid(actor);
    expect(found).toEqual([
      `han.joinRequest to ${CH}: PPMID joined in the log: false`,
      `han.joinResult to ${PPMID}: han joining`,
      `han.peerJoined to ${ESME}: PPMID a peer: false`,
      `han.peerJoined to ${GSME}: PPMID a peer: false`,
    ]);
    // and each was delivered
    const members = actor.getSnapshot().children;
    expect((members[PPMID] as AnyActorRef).getSnapshot().value.han).toBe('joined');
    for (const meter of [ESME, GSME]) {
      expect((members[meter] as AnyActorRef).getSnapshot().context.hanPeers).toContain(PPMID);
    }
  });

  it('a member receiving HAN traffic sees it sent by the set (XState inspection)', () => {
    let set: AnyActorRef | undefined;
    const sent: string[] = [];
    const actor = make((event) => {
      if (event.type !== '@xstate.event' || !event.event.type.startsWith('han.')) return;
      const source = event.sourceRef === set ? 'set' : (event.sourceRef as AnyActorRef | undefined)?.id;
      sent.push(`${source} → ${(event.actorRef as AnyActorRef).id} ${event.event.type}`);
    });
    set = actor;
    actor.start();
    admitPpmid(actor);
    expect(sent).toEqual([
      `set → ${CH} han.joinRequest`,
      `set → ${PPMID} han.joinResult`,
      `set → ${ESME} han.peerJoined`,
      `set → ${GSME} han.peerJoined`,
    ]);
  });

  it('a snapshot observer of the set sees a step for every answer, as it always has', () => {
    const actor = make();
    let steps = 0;
    actor.subscribe({ next: () => steps++ });
    actor.start();
    steps = 0;
    toMember(actor, GSME, { type: 'readDeviceInfo', requestId: 'r1' });
    toMember(actor, CH, { type: 'readDeviceInfo', requestId: 'r2' });
    expect(steps).toBe(2);
  });
});

describe('DeviceSetActor', () => {
  /** Macrosteps of the set actor itself (not its members) while `act` runs on the started set, by XState's inspection. */
  function setSteps(
    make: (inspect: (event: InspectionEvent) => void) => AnyActorRef,
    act: (actor: AnyActorRef) => void,
  ): number {
    let steps = 0;
    let set: AnyActorRef | undefined;
    const actor = make((event) => {
      if (event.type === '@xstate.snapshot' && event.actorRef === set) steps++;
    });
    set = actor;
    actor.subscribe({ error: () => {} }); // as the device host does: errors only
    actor.start();
    steps = 0;
    act(actor);
    return steps;
  }

  /** One answer of the CH. */
  const setStepsForOneAnswer = (make: (inspect: (event: InspectionEvent) => void) => AnyActorRef) =>
    setSteps(make, (actor) => {
      const seen = record(actor);
      toMember(actor, CH, { type: 'readDeviceInfo', requestId: 'r1' });
      expect(seen).toEqual([`response ${CH} ok r1`]);
    });

  it("re-emits a member's answer without a step of the set's own when nobody observes its snapshots", () => {
    expect(setStepsForOneAnswer(setActorMakers.DeviceSetActor)).toBe(0);
  });

  it('the plain machine actor takes a step for the same answer (what DeviceSetActor saves)', () => {
    expect(setStepsForOneAnswer(setActorMakers['the plain machine actor'])).toBe(1);
  });

  /** The CH whitelists the PPMID and the PPMID joins (admitPpmid). */
  const setStepsForAJoin = (make: (inspect: (event: InspectionEvent) => void) => AnyActorRef) =>
    setSteps(make, admitPpmid);

  it('carries HAN traffic without a step of its own when nobody observes its snapshots', () => {
    expect(setStepsForAJoin(setActorMakers.DeviceSetActor)).toBe(0);
  });

  it("the plain machine actor takes a step for each member's output of the join (what DeviceSetActor saves)", () => {
    // r1 and its alert, r2, the join request, the CH's two alerts and its join result
    expect(setStepsForAJoin(setActorMakers['the plain machine actor'])).toBe(7);
  });
});
