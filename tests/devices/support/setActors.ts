/**
 * Test support for DeviceSetActor (devices/set/deviceSetActor.ts) against the plain machine's actor: one set input,
 * an actor of each kind made from it, and the device host's way of sending a member a command.
 */
import { createActor, type AnyActorRef, type InspectionEvent } from 'xstate';
import { createDeviceSetActor, deviceSetMachine, RTDS_EUIS } from '../../../devices/set';
import { VirtualClock } from '../../../emulator/clock';
import { T0 } from './deviceHarness';
import { initialSlots } from './pki';

export const setInput = { vendor: 'elster', ppmid: true, seed: 42, credentials: initialSlots } as const;

type Inspector = (event: InspectionEvent) => void;

/** Each kind of set actor on a fresh VirtualClock at T0, unstarted; `inspect` as XState's option. */
export const setActorMakers = {
  'the plain machine actor': (inspect?: Inspector): AnyActorRef =>
    createActor(deviceSetMachine, { input: setInput, clock: new VirtualClock(T0), inspect }),
  DeviceSetActor: (inspect?: Inspector): AnyActorRef =>
    createDeviceSetActor({ input: setInput, clock: new VirtualClock(T0), inspect }),
};

/** As the device host sends: straight to the member, its answer back through the set. */
export const toMember = (actor: AnyActorRef, eui: string, command: object) =>
  (actor.getSnapshot().children[eui] as AnyActorRef).send(command);

/** The CH told of the PPMID (r1), then the PPMID powered on (r2): its join request crosses the HAN through the set. */
export function admitPpmid(actor: AnyActorRef): void {
  toMember(actor, RTDS_EUIS.CH, {
    type: 'hanLogAdd',
    requestId: 'r1',
    deviceId: RTDS_EUIS.PPMID,
    installCode: '30313233343536373839414243444546',
    joinPeriod: 60,
  });
  toMember(actor, RTDS_EUIS.PPMID, { type: 'powerOn', requestId: 'r2' });
}
