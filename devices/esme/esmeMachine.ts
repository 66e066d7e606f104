/**
 * The ESME (electricity smart meter) on the device core: supply (contactor), power cuts, RMS voltage quality,
 * power factor, load limit, the IHD ambient state, incorrect polarity, SR 6.5 / 6.12 / 6.22 / 4.10, payment mode and
 * prepayment credit (SR 1.6 / 2.2), and the risk-11 quirk. What fires when, with its assumptions: docs/esme.md.
 *
 * No regions: everything is context, judged by pure functions after the handlers that change what they watch;
 * XState re-checks a region's eventless transitions after every microstep of every event, and takes every event
 * through each region, so each region it had cost every event the meter received. The device core's migration
 * (smso → dcc, dumb) is context too (deviceCore.ts migrationOn); it was the last region.
 *
 *   power      not a region: `power` (metering | suspended | outage) is context, judged after the powerCut and
 *              powerRestore handlers and as the migration enters smso or dumb (the ESME's own
 *              core.enterSmso / core.enterDumb) (powerState.ts withPower). Entering `metering` starts metering
 *              (metering.ts startMetering), so a power cut or a dumb spell restarts every period and detector; a
 *              dumb meter back from a power cut never enters it. The outage alert (0x8F35 / 0x8F36) is decided by the
 *              powerRestore handler. Becoming dumb while metering: the migration turns dumb on an internal
 *              event, after the handler that took the event has judged the detectors, so none fires on the way out.
 *              It was a region (powered.starting | powered.metering | powered.suspended | outage) with eventless
 *              transitions on esme.isUnpowered, esme.isPowered and core.isDumb.
 *   metering   the measurement period, the network-data interval and the limit detectors (averages, extreme
 *              over/under-voltage, swell, sag, power factor, polarity, load limit) live in context
 *              (limitDetectors.ts), judged by one pure function after every handler that changes what they watch
 *              (metering.ts withDetectors) and at metering start. Their timers are one list in clock order
 *              (meteringSchedule.ts) and ONE delayed `esme.meteringDue`, due at its head, armed while `power` is
 *              `metering`: re-armed on `esme.meteringRescheduled` (the head moved, or metering started or stopped:
 *              cancelled then), when a voltageConfig restarts the measurement period (`esme.averagingRestarted`),
 *              on `esme.timersResumed` and after each firing, when every metering timer due fires in order
 *              (metering.ts meteringDue). They were eleven parallel regions with 24 eventless transitions.
 *   payment    not a region: the payment state (credit | inCredit | draining | exhausted) is context, judged by
 *              one pure function after every handler that changes the mode, the credit or its deadline and as the
 *              machine starts (paymentState.ts withPayment; `paid` below). The credit reaches zero at the
 *              `creditExhaustion` deadline: one delayed `esme.creditExhausted`, re-armed on `esme.creditRescheduled`
 *              (raised on every change of the credit in prepayment, after the judgement) while draining, cancelled
 *              otherwise. It runs on while the meter is dumb. It was a region with eventless transitions on every
 *              level, which XState evaluated on every microstep of every event, in credit mode too.
 *
 * Every command and bench control is handled at the root (a command handled inside one region would also fall
 * to the core's '*' → unsupported in the others). The two timers compute their delay from context (the schedule's
 * head, the credit's deadline) and are re-armed on `esme.timersResumed` (common/timersResumption.ts) so a restored
 * actor fires them at their original time: the metering timer first, then the credit's (a raised
 * `esme.creditRescheduled`), in the order the regions re-armed theirs. Each timer is armed where the region it
 * replaces entered its timed state (before the internal events then queued), so timers due at one instant fire in
 * the same order.
 */
import { cancel, raise, setup } from 'xstate';
import type { CoreInternalEvent } from '../common/coreCommands';
import {
  deviceCoreActions,
  deviceCoreGuards,
  deviceCoreOn,
  migrationEntered,
  smartCommand,
} from '../common/deviceCore';
import type { HanDownlink } from '../common/hanMessages';
import { meterBindingActions } from '../common/meterBinding';
import { handle, patchContext, type Handler } from '../common/outcome';
import { nowOf } from '../common/clockTime';
import { resumingTimersOnRestore } from '../common/timersResumption';
import type { ContractCommand, DeviceEmitted } from '../common/types';
import * as command from './esmeCommands';
import type { EsmeInternalEvent } from './esmeCommands';
import { createEsmeContext, type EsmeContext, type EsmeInput } from './esmeContext';
import * as metering from './metering';
import { nextDueMs } from './meteringSchedule';
import { creditRunOut, withPayment } from './paymentState';
import { withPower } from './powerState';

type EsmeEvent =
  | ContractCommand
  | CoreInternalEvent
  | EsmeInternalEvent
  | Extract<HanDownlink, { type: 'han.peerJoined' | 'han.peerLeft' }>;

/** Bench controls: the physical world. Answered even by a dumb meter (it still has mains on its terminals). */
function benchControl<TAction extends string>(action: TAction) {
  return [{ guard: 'core.isUnsupported', actions: 'core.respondUnsupported' }, { actions: action }] as const;
}

/** Entering `exhausted`: the balance is zero and a closed contactor opens (its detectors judged on the change). */
const exhaustCredit = metering.withDetectors(command.exhaustCredit);

/** A handler followed by the payment state's judgement (paymentState.ts). */
const paid = <TEvent>(handler: Handler<EsmeContext, TEvent>) => withPayment(handler, exhaustCredit);

/** The id of the credit exhaustion timer (a delayed `esme.creditExhausted`), cancelled by id. */
const creditTimer = 'esme.creditExhaustion';

/** The id of the one metering timer (a delayed `esme.meteringDue`), cancelled by id. */
const meteringTimer = 'esme.metering';

/** The migration entering `state`, then the power state judged on it (dumb: suspended; smart: metering). */
const enterMigrationState = (state: 'smso' | 'dumb') => handle(withPower(() => ({ context: migrationEntered[state] })));

const esmeDefinition = setup({
  types: {
    context: {} as EsmeContext,
    input: {} as EsmeInput,
    events: {} as EsmeEvent,
    emitted: {} as DeviceEmitted,
  },
  actions: {
    ...deviceCoreActions,
    ...meterBindingActions,
    'esme.voltageConfig': handle(metering.withDetectors(command.voltageConfig)),
    'esme.powerThresholds': handle(command.powerThresholds),
    'esme.setSupply': handle(paid(metering.withDetectors(command.setSupply))),
    'esme.readSupply': handle(command.readSupply),
    'esme.alertBehaviour': handle(command.alertBehaviour),
    'esme.readNetworkData': handle(command.readNetworkData),
    'esme.mainsVoltage': handle(metering.withDetectors(command.mainsVoltage)),
    'esme.load': handle(paid(metering.withDetectors(command.load))),
    'esme.powerCut': handle(withPower(paid(metering.withDetectors(command.powerCut)))),
    'esme.powerRestore': handle(withPower(paid(metering.withDetectors(command.powerRestore)))),
    // The core's, with the power state judged: the only ways out of and back from dumb. dcc is entered only from
    // smso, where the power state cannot change, so core.enterDcc stays the core's plain context patch.
    'core.enterSmso': enterMigrationState('smso'),
    'core.enterDumb': enterMigrationState('dumb'),
    'esme.setPaymentMode': handle(paid(metering.withDetectors(command.setPaymentMode))),
    'esme.topUp': handle(paid(metering.withDetectors(command.topUp))),
    'esme.readPaymentMode': handle(command.readPaymentMode),
    'esme.polarity': handle(metering.withDetectors(command.polarity)),
    // As the machine starts: a meter created in prepayment goes into credit or out of it at once.
    'esme.judgePayment': handle(paid(() => ({}))),
    'esme.creditRunOut': handle(creditRunOut(exhaustCredit)),
    'esme.cancelCreditTimer': cancel(creditTimer),
    'esme.armCreditTimer': raise({ type: 'esme.creditExhausted' }, { id: creditTimer, delay: 'creditExhaustion' }),
    // After the resumption's other timers are re-armed (the metering timer first, as the regions' order had it).
    'esme.resumeCreditTimer': raise({ type: 'esme.creditRescheduled' }),
    'esme.startMetering': handle(metering.startMetering),
    'esme.cancelMeteringTimer': cancel(meteringTimer),
    'esme.armMeteringTimer': raise({ type: 'esme.meteringDue' }, { id: meteringTimer, delay: 'meteringDue' }),
    'esme.meteringDue': handle(metering.meteringDue),
    'esme.restartAveraging': patchContext(metering.restartAveraging),
    'esme.resumeTimers': patchContext(metering.resumeTimers),
  },
  guards: {
    ...deviceCoreGuards,
    'esme.isMetering': ({ context }) => context.power === 'metering',
    'esme.isDraining': ({ context }) => context.payment === 'draining',
  },
  delays: {
    meteringDue: ({ context, system }) => nextDueMs(context.meteringSchedule, nowOf(system)),
    creditExhaustion: ({ context, system }) =>
      metering.remainingMs(context.deadlines, 'creditExhaustion', nowOf(system)),
  },
}).createMachine({
  id: 'esme',
  context: ({ input }) => createEsmeContext(input),
  on: {
    ...deviceCoreOn,
    join: smartCommand('meter.join'),
    unjoin: smartCommand('meter.unjoin'),
    'han.peerJoined': { actions: 'meter.peerJoined' },
    'han.peerLeft': { actions: 'meter.peerLeft' },
    voltageConfig: smartCommand('esme.voltageConfig'),
    powerThresholds: smartCommand('esme.powerThresholds'),
    setSupply: smartCommand('esme.setSupply'),
    readSupply: smartCommand('esme.readSupply'),
    alertBehaviour: smartCommand('esme.alertBehaviour'),
    readNetworkData: smartCommand('esme.readNetworkData'),
    mainsVoltage: benchControl('esme.mainsVoltage'),
    load: benchControl('esme.load'),
    powerCut: benchControl('esme.powerCut'),
    powerRestore: benchControl('esme.powerRestore'),
    setPaymentMode: smartCommand('esme.setPaymentMode'),
    topUp: smartCommand('esme.topUp'),
    readPaymentMode: smartCommand('esme.readPaymentMode'),
    polarity: benchControl('esme.polarity'),
    // The credit exhaustion timer (paymentState.ts): re-armed on every change of the credit while draining.
    'esme.creditRescheduled': [
      { guard: 'esme.isDraining', actions: ['esme.cancelCreditTimer', 'esme.armCreditTimer'] },
      { actions: 'esme.cancelCreditTimer' },
    ],
    'esme.creditExhausted': { guard: 'esme.isDraining', actions: 'esme.creditRunOut' },
    // The metering timer (powerState.ts, metering.ts): armed while metering, at the head of its schedule.
    'esme.meteringDue': { guard: 'esme.isMetering', actions: ['esme.meteringDue', 'esme.armMeteringTimer'] },
    'esme.meteringRescheduled': [
      { guard: 'esme.isMetering', actions: ['esme.cancelMeteringTimer', 'esme.armMeteringTimer'] },
      { actions: 'esme.cancelMeteringTimer' },
    ],
    'esme.averagingRestarted': {
      guard: 'esme.isMetering',
      actions: ['esme.restartAveraging', 'esme.cancelMeteringTimer', 'esme.armMeteringTimer'],
    },
    'esme.timersResumed': [
      {
        guard: 'esme.isMetering',
        actions: ['esme.resumeTimers', 'esme.cancelMeteringTimer', 'esme.armMeteringTimer', 'esme.resumeCreditTimer'],
      },
      { actions: 'esme.resumeCreditTimer' },
    ],
  },
  // A new meter is powered and smart (its input cannot make it dumb): it meters from its start, after the payment's
  // judgement, as the power region entered metering after the root's entry.
  entry: ['esme.judgePayment', 'esme.startMetering', 'esme.armMeteringTimer'],
});

export const esmeMachine = resumingTimersOnRestore(esmeDefinition, { type: 'esme.timersResumed' });
