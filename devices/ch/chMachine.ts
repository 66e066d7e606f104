/**
 * The Communications Hub (Function): coordinator of the home area network. Keeps the HAN device log, opens join
 * windows, lets devices in or refuses them.
 *
 * Region: `han`, the network's permit-join (the device core's migration is context): open while any device's join window
 * is; the `after` delay is computed from the clock at entry, so a virtual 255 s closes at exactly +255,000 ms.
 * Each device's own window is kept in the device log and is what a join is decided on (chHandlers.ts).
 * A restored CH re-arms its permit-join timer through common/timersResumption.ts.
 */
import { setup } from 'xstate';
import { nowOf } from '../common/clockTime';
import type { CoreInternalEvent } from '../common/coreCommands';
import { deviceCoreActions, deviceCoreGuards, deviceCoreOn, smartCommand } from '../common/deviceCore';
import type { HanDownlink } from '../common/hanMessages';
import { handle } from '../common/outcome';
import { resumingTimersOnRestore, timersResumedEvent } from '../common/timersResumption';
import type { ContractCommand, DeviceEmitted } from '../common/types';
import { createChContext, type ChContext, type ChInput } from './chContext';
import * as ch from './chHandlers';

type ChEvent =
  | ContractCommand
  | Extract<HanDownlink, { type: 'han.joinRequest' }>
  | CoreInternalEvent
  | { type: 'ch.permitJoinOpened' }
  | typeof timersResumedEvent;

const chDefinition = setup({
  types: {
    context: {} as ChContext,
    input: {} as ChInput,
    events: {} as ChEvent,
    emitted: {} as DeviceEmitted,
  },
  actions: {
    ...deviceCoreActions,
    'ch.hanLogAdd': handle(ch.hanLogAdd),
    'ch.hanLogRemove': handle(ch.hanLogRemove),
    'ch.readDeviceLog': handle(ch.readDeviceLog),
    'ch.joinRequest': handle(ch.joinRequest),
  },
  guards: { ...deviceCoreGuards },
  delays: {
    /** What is left of the permit-join at the moment the region (re-)enters `permitJoinOpen`. */
    permitJoinRemaining: ({ context, system }) => Math.max(0, context.permitJoinUntil - nowOf(system)),
  },
}).createMachine({
  id: 'ch',
  type: 'parallel',
  context: ({ input }) => createChContext(input),
  on: {
    ...deviceCoreOn,
    hanLogAdd: smartCommand('ch.hanLogAdd'),
    hanLogRemove: smartCommand('ch.hanLogRemove'),
    readDeviceLog: smartCommand('ch.readDeviceLog'),
    'han.joinRequest': { actions: 'ch.joinRequest' },
  },
  states: {
    han: {
      initial: 'permitJoinClosed',
      states: {
        permitJoinClosed: {
          on: { 'ch.permitJoinOpened': { target: 'permitJoinOpen' } },
        },
        permitJoinOpen: {
          after: { permitJoinRemaining: { target: 'permitJoinClosed' } },
          on: {
            // a later 8.11 may extend the permit-join: re-enter to restart the timer on the new end
            'ch.permitJoinOpened': { target: 'permitJoinOpen', reenter: true },
            // restored from a persisted snapshot: re-arm the timer on the same permitJoinUntil
            'core.timersResumed': { target: 'permitJoinOpen', reenter: true },
          },
        },
      },
    },
  },
});

export const chMachine = resumingTimersOnRestore(chDefinition, timersResumedEvent);
