/**
 * The gas meter: battery powered and sleepy, so every command crosses a lossy HAN first (gsmeHandlers.ts
 * overLossyHan, seeded generator in the context). Answers SR 6.7 gas flow configuration, 8.7/8.8 binding
 * (a PPMID) and 6.22 alert behaviour on top of the device core.
 */
import { setup } from 'xstate';
import * as core from '../common/coreCommands';
import type { CoreInternalEvent } from '../common/coreCommands';
import {
  alertBehaviourHandler,
  deviceCoreActions,
  deviceCoreGuards,
  deviceCoreOn,
  smartCommand,
} from '../common/deviceCore';
import type { HanDownlink } from '../common/hanMessages';
import { joinHandler, meterBindingActions, unjoinHandler } from '../common/meterBinding';
import { handle } from '../common/outcome';
import { resumingTimersOnRestore } from '../common/timersResumption';
import type { ContractCommand, DeviceEmitted } from '../common/types';
import { createGsmeContext, type GsmeContext, type GsmeInput } from './gsmeContext';
import { gasFlowConfig, overLossyHan } from './gsmeHandlers';

type GsmeEvent =
  ContractCommand | CoreInternalEvent | Extract<HanDownlink, { type: 'han.peerJoined' | 'han.peerLeft' }>;

const gsmeDefinition = setup({
  types: {
    context: {} as GsmeContext,
    input: {} as GsmeInput,
    events: {} as GsmeEvent,
    emitted: {} as DeviceEmitted,
  },
  actions: {
    ...deviceCoreActions,
    ...meterBindingActions,
    // Same names as the core's: what reaches the GSME over the HAN may be lost on the way. Bench control
    // (injectFault) is applied by the emulator directly and is not lossy.
    'core.respondUnsupported': handle(overLossyHan(core.respondUnsupported)),
    'core.respondDumbMode': handle(overLossyHan(core.respondDumbMode)),
    'core.readDeviceInfo': handle(overLossyHan(core.readDeviceInfo)),
    'core.readCredentials': handle(overLossyHan(core.readCredentials)),
    'core.replaceCredentials': handle(overLossyHan(core.replaceCredentials)),
    'core.readEventLog': handle(overLossyHan(core.readEventLog)),
    'core.commission': handle(overLossyHan(core.commission)),
    'core.clockSync': handle(overLossyHan(core.clockSync)),
    'core.alertBehaviour': handle(overLossyHan(alertBehaviourHandler)),
    'meter.join': handle(overLossyHan(joinHandler)),
    'meter.unjoin': handle(overLossyHan(unjoinHandler)),
    'gsme.gasFlowConfig': handle(overLossyHan(gasFlowConfig)),
  },
  guards: { ...deviceCoreGuards },
}).createMachine({
  id: 'gsme',
  context: ({ input }) => createGsmeContext(input),
  on: {
    ...deviceCoreOn,
    gasFlowConfig: smartCommand('gsme.gasFlowConfig'),
    alertBehaviour: smartCommand('core.alertBehaviour'),
    join: smartCommand('meter.join'),
    unjoin: smartCommand('meter.unjoin'),
    'han.peerJoined': { actions: 'meter.peerJoined' },
    'han.peerLeft': { actions: 'meter.peerLeft' },
  },
});

// no timed state: restored as XState does, rebuilt so that every machine of a set has the same layout
export const gsmeMachine = resumingTimersOnRestore(gsmeDefinition);
