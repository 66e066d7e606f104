/**
 * A device set: one home's CH, ESME, GSME and optionally PPMID, as children of one parent actor.
 *
 *   input   DeviceSetInput (deviceSetInput.ts): vendor, installation, EUIs (RTDS defaults), seed, quirk
 *           overrides, initial credential slots (per member if given), migration state, optional PPMID.
 *   accepts { type: 'command', to: <EUI>, command: { type: <contract message>, requestId, ...fields } }
 *           → forwarded unchanged to the child with that EUI; an EUI not in the set is answered
 *             { type: 'response', requestId, status: 'unknownDevice', source: to }.
 *   emits   every child's { type: 'response' | 'alert', ... } with `source: <EUI>` added, and for traces every
 *           HAN message it carries: { type: 'han', from, to, message }.
 *
 * The children are real actors (ids = their EUIs), so `getPersistedSnapshot()` of the set persists them all and
 * `createActor(deviceSetMachine, { snapshot, input })` restores them. They send the set their responses, alerts and
 * HAN traffic as `device.output` events, emitting nothing themselves (common/outcome.ts); the set emits the responses
 * and alerts and carries HAN traffic between them (hanRouting.ts): a powered PPMID's join request to the CH, the CH's
 * answer back, "device joined" and "device left" to the meters, a meter's binding to the PPMID. HAN losses are the
 * devices' own (seeded). The device host runs the machine as a DeviceSetActor (deviceSetActor.ts), which re-emits an
 * answer or carries HAN traffic without this machine's step when that step would be seen by no one (it changes
 * nothing of the set).
 */
import { emit, enqueueActions, sendTo, setup, type AnyEventObject } from 'xstate';
import { chMachine } from '../ch/chMachine';
import type { HanDownlink } from '../common/hanMessages';
import type { DeviceOutputEvent } from '../common/outcome';
import { resumingTimersOnRestore } from '../common/timersResumption';
import type { AlertEmitted, ContractCommand, DeviceType, Eui, ResponseEmitted, Vendor } from '../common/types';
import { esmeMachine } from '../esme/esmeMachine';
import { gsmeMachine } from '../gsme/gsmeMachine';
import { ppmidMachine } from '../ppmid/ppmidMachine';
import type { VendorProfile } from '../profiles/types';
import {
  joiningInstallCodes,
  credentialsOf,
  isMember,
  profileOf,
  resolveMembers,
  type DeviceSetInput,
  type DeviceSetMembers,
} from './deviceSetInput';
import { routeHan, type HanDelivery } from './hanRouting';

interface DeviceSetContext {
  vendor: Vendor;
  members: DeviceSetMembers;
}

export interface DeviceSetCommand {
  type: 'command';
  to: Eui;
  command: ContractCommand;
}

export type DeviceSetEvent = DeviceSetCommand | DeviceOutputEvent;

export type DeviceSetEmitted =
  | (ResponseEmitted & { source: Eui })
  | (AlertEmitted & { source: Eui })
  | { type: 'han'; from: Eui; to: Eui; message: HanDownlink };

const isResponseOrAlert = (output: DeviceOutputEvent['output']): output is ResponseEmitted | AlertEmitted =>
  output.type === 'response' || output.type === 'alert';

/** What the set emits for a member's output: a response or alert with its source; HAN traffic: nothing (routed). */
export function sourcedOutput({ from, output }: DeviceOutputEvent): DeviceSetEmitted | undefined {
  // Object.assign, not `{ ...output, source }` (a field added after a spread is V8's slow path): every answer.
  return isResponseOrAlert(output) ? Object.assign({}, output, { source: from }) : undefined;
}

/** The `han` trace the set emits before it delivers a member's HAN message (routeHan gives the deliveries). */
export function hanTrace(from: Eui, delivery: HanDelivery): DeviceSetEmitted {
  return { type: 'han', from, to: delivery.to, message: delivery.message };
}

/**
 * A member's input: the set's common fields, then the member's own spread last (a literal that adds fields after a
 * spread is V8's slow path, ~2 µs each; a set is created per installation). A module function, not a closure made
 * per set: tsx names every named closure again at each call that makes it.
 */
function memberInput<TOwn extends object>(
  input: DeviceSetInput,
  profile: VendorProfile,
  members: DeviceSetMembers,
  type: DeviceType,
  own: TOwn,
) {
  return {
    profile,
    seed: input.seed,
    migrationState: input.migrationState,
    quirks: input.quirks,
    credentials: credentialsOf(input, type),
    eui: members[type]!,
    ...own,
  };
}

// Every command and every answer passes here, so the common paths are guarded built-in actions (sendTo, emit):
// cheaper per event than enqueueActions, which builds its enqueue object on every call. HAN traffic, rare, keeps
// the enqueue form (a variable number of deliveries).
const deviceSetDefinition = setup({
  types: {
    context: {} as DeviceSetContext,
    input: {} as DeviceSetInput,
    events: {} as DeviceSetEvent,
    emitted: {} as DeviceSetEmitted,
  },
  actors: { ch: chMachine, esme: esmeMachine, gsme: gsmeMachine, ppmid: ppmidMachine },
  guards: {
    'set.isToMember': ({ context, event }) => isMember(context.members, (event as DeviceSetCommand).to),
    'set.isResponseOrAlert': ({ event }) => isResponseOrAlert((event as DeviceOutputEvent).output),
  },
  actions: {
    'set.forwardCommand': sendTo(
      ({ event }) => (event as DeviceSetCommand).to,
      ({ event }) => (event as DeviceSetCommand).command,
    ),
    'set.refuseUnknownDevice': emit(({ event }) => {
      const { to, command } = event as DeviceSetCommand;
      return { type: 'response', requestId: command.requestId, status: 'unknownDevice', source: to } as const;
    }),
    // guarded by set.isResponseOrAlert: never undefined here
    'set.reemitOutput': emit(({ event }) => sourcedOutput(event as DeviceOutputEvent)!),
    'set.carryHan': enqueueActions(({ context, event, enqueue }) => {
      const { from, output } = event as DeviceOutputEvent;
      for (const delivery of routeHan(context.members, from, output as AnyEventObject)) {
        enqueue.emit(hanTrace(from, delivery));
        enqueue.sendTo(delivery.to, delivery.message);
      }
    }),
  },
}).createMachine({
  id: 'deviceSet',
  context: ({ input, spawn }) => {
    const members = resolveMembers(input);
    const profile = profileOf(input);
    // checked once for the set (it was once per joining member)
    const installCodes = joiningInstallCodes(input.installCodes);
    // The meters are on the HAN already: the CH starts with them joined.
    spawn('ch', {
      id: members.CH,
      input: memberInput(input, profile, members, 'CH', {
        deviceLog: [
          { deviceId: members.ESME, installCode: installCodes.ESME, joined: true },
          { deviceId: members.GSME, installCode: installCodes.GSME, joined: true },
        ],
      }),
    });
    spawn('esme', {
      id: members.ESME,
      input: memberInput(input, profile, members, 'ESME', {
        paymentMode: input.payment?.mode,
        creditBalance: input.payment?.creditBalance,
      }),
    });
    spawn('gsme', { id: members.GSME, input: memberInput(input, profile, members, 'GSME', {}) });
    if (members.PPMID) {
      spawn('ppmid', {
        id: members.PPMID,
        input: memberInput(input, profile, members, 'PPMID', { installCode: installCodes.PPMID }),
      });
    }
    return { vendor: profile.vendor, members };
  },
  on: {
    command: [{ guard: 'set.isToMember', actions: 'set.forwardCommand' }, { actions: 'set.refuseUnknownDevice' }],
    'device.output': [{ guard: 'set.isResponseOrAlert', actions: 'set.reemitOutput' }, { actions: 'set.carryHan' }],
  },
});

// no timer of its own (its members re-arm theirs): rebuilt so that every machine of a set has the same layout
export const deviceSetMachine = resumingTimersOnRestore(deviceSetDefinition);
