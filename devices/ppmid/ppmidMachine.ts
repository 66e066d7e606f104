/**
 * The Prepayment Meter Interface Device. Off until a `powerOn` stimulus; then it asks the CH to join, and while it
 * stays powered and off the HAN it asks again every joinRetryInterval (vendor profile, assumed), as a ZigBee SE
 * device rescans: a later 8.11 that whitelists it lets it in at its next attempt, without a power cycle. Once
 * joined, meters bind it with their join service (8.7) and it records which. Both timers (the attempt's timeout
 * and the next attempt) are deadlines in context, re-armed on restore by common/timersResumption.ts.
 */
import { setup } from 'xstate';
import type { CoreInternalEvent } from '../common/coreCommands';
import { alwaysAnswered, deviceCoreActions, deviceCoreGuards, deviceCoreOn } from '../common/deviceCore';
import type { HanDownlink } from '../common/hanMessages';
import { nowOf } from '../common/clockTime';
import { handle } from '../common/outcome';
import { resumingTimersOnRestore, timersResumedEvent } from '../common/timersResumption';
import type { ContractCommand, DeviceEmitted } from '../common/types';
import { createPpmidContext, type PpmidContext, type PpmidInput } from './ppmidContext';
import * as ppmid from './ppmidHandlers';

type PpmidEvent =
  | ContractCommand
  | CoreInternalEvent
  | Extract<HanDownlink, { type: 'han.joinResult' | 'han.peerLeft' | 'han.bound' | 'han.unbound' }>
  | { type: 'ppmid.poweredOn' }
  | typeof timersResumedEvent;

const ppmidDefinition = setup({
  types: {
    context: {} as PpmidContext,
    input: {} as PpmidInput,
    events: {} as PpmidEvent,
    emitted: {} as DeviceEmitted,
  },
  actions: {
    ...deviceCoreActions,
    'ppmid.powerOn': handle(ppmid.powerOn),
    'ppmid.requestJoin': handle(ppmid.requestJoin),
    'ppmid.scheduleRetry': handle(ppmid.scheduleRetry),
    'ppmid.bound': handle(ppmid.bound),
    'ppmid.unbound': handle(ppmid.unbound),
    'ppmid.leftHan': handle(ppmid.leftHan),
  },
  guards: {
    ...deviceCoreGuards,
    'ppmid.admitted': ({ event }) => event.type === 'han.joinResult' && event.joined,
    'ppmid.isSelf': ({ context, event }) => event.type === 'han.peerLeft' && event.deviceId === context.eui,
  },
  delays: {
    joinAttemptRemaining: ({ context, system }) => Math.max(0, context.joinAttemptDeadline - nowOf(system)),
    joinRetryRemaining: ({ context, system }) => Math.max(0, context.nextJoinAttemptAt - nowOf(system)),
  },
}).createMachine({
  id: 'ppmid',
  type: 'parallel',
  context: ({ input }) => createPpmidContext(input),
  on: {
    ...deviceCoreOn,
    // a power stimulus is physics: even a dumb PPMID powers on (and tries to join)
    powerOn: alwaysAnswered('ppmid.powerOn'),
  },
  states: {
    han: {
      initial: 'off',
      states: {
        off: {
          on: { 'ppmid.poweredOn': { target: 'joining', actions: 'ppmid.requestJoin' } },
        },
        joining: {
          on: {
            'han.joinResult': [
              { guard: 'ppmid.admitted', target: 'joined' },
              { target: 'notJoined', actions: 'ppmid.scheduleRetry' },
            ],
            // restored from a persisted snapshot: re-arm the timeout on the same deadline
            'core.timersResumed': { target: 'joining', reenter: true },
          },
          after: { joinAttemptRemaining: { target: 'notJoined', actions: 'ppmid.scheduleRetry' } },
        },
        joined: {
          on: {
            'han.bound': { actions: 'ppmid.bound' },
            'han.unbound': { actions: 'ppmid.unbound' },
            'han.peerLeft': {
              guard: 'ppmid.isSelf',
              target: 'notJoined',
              actions: ['ppmid.leftHan', 'ppmid.scheduleRetry'],
            },
          },
        },
        notJoined: {
          // powered and off the HAN: the next attempt at nextJoinAttemptAt
          after: { joinRetryRemaining: { target: 'joining', actions: 'ppmid.requestJoin' } },
          on: {
            // powered off and on again: an attempt at once
            'ppmid.poweredOn': { target: 'joining', actions: 'ppmid.requestJoin' },
            // restored from a persisted snapshot: re-arm the retry on the same deadline
            'core.timersResumed': { target: 'notJoined', reenter: true },
          },
        },
      },
    },
  },
});

export const ppmidMachine = resumingTimersOnRestore(ppmidDefinition, timersResumedEvent);
