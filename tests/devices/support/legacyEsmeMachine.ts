/**
 * FROZEN: devices/esme/esmeMachine.ts as of commit 61c8cbca210254b812b6ce47e51fc86d193240c1, the pre-change reference: the ESME with one parallel XState
 * region per limit detector. Kept only as the oracle of tests/devices/esmeDifferential.test.ts (the new machine must
 * raise the same alerts, at the same times, in the same order, and give the same responses); never imported by the
 * emulator. Its own header below describes that old machine. Do not change it to follow the new code.
 */
/**
 * The ESME (electricity smart meter) on the device core: supply (contactor), power cuts, RMS voltage quality,
 * power factor, load limit, the IHD ambient state, incorrect polarity, SR 6.5 / 6.12 / 6.22 / 4.10, payment mode and
 * prepayment credit (SR 1.6 / 2.2), and the risk-11 quirk. What fires when, with its assumptions: docs/esme.md.
 *
 * Regions (parallel):
 *   migration  the device core's (smso → dcc, dumb).
 *   power      powered | outage, following `outageStartedAt` (set by the powerCut / powerRestore handlers).
 *              powered.metering is the power-quality monitor; powered.suspended replaces it while the meter is
 *              dumb (no voltage or power alerts, no network data); powered.starting chooses between them.
 *              Metering (re)starts on entry, so a power cut or a dumb spell restarts every period and detector
 *              (metering.ts); the outage alert (0x8F35 / 0x8F36) is decided by the powerRestore handler.
 *   metering   one sub-region per detector:
 *     averaging, networkData  a measurement period / network-data interval ends on its `after`, re-entering.
 *     averageOver, averageUnder  edge-triggered on each completed period's average (averageVoltage.ts):
 *                0x8002 / 0x8085 and 0x8006 / 0x8089, once per crossing, at the end of the period.
 *     extremeOver, swell, extremeUnder, sag  withinLimit → beyond (timer armed) → alerted after the period →
 *                returning (back within, timer armed again) → withinLimit with the return code after the same
 *                period (detectorRegion, voltageExcursions.ts). A condition that stops before its period is over
 *                cancels silently. Each alert fires the instant its condition has lasted the period.
 *     powerFactor  the same shape with the profile's power-factor period: 0x8014 once the power factor has stayed
 *                below the threshold for the period, 0x8015 once it has stayed back at or above it for the period
 *                (judged only while current flows; no current cancels a pending change).
 *     polarity   0x81B8 when the wiring turns reversed, and at every metering start while it is.
 *     loadLimit  0x8F01 once the measured import has stayed above the limit for the load-limit period.
 *   payment    credit | prepayment (inCredit → draining → exhausted), prepayment.ts: the credit reaches zero at
 *              the `creditExhaustion` deadline, rescheduled (`esme.creditRescheduled`, raised only in prepayment) on
 *              every change of measured power or mode; exhausted opens the contactor. Beside `power`, so it runs on while the meter is dumb.
 *
 * Every command and bench control is handled at the root (a command handled inside one region would also fall
 * to the core's '*' → unsupported in the others); regions react to context through eventless transitions and to
 * internal `esme.*` events. Timed states compute their `after` delay from a deadline in context, and re-enter on
 * `esme.timersResumed` (common/timersResumption.ts) so a restored actor fires them at their original time.
 */
import { assign, fromCallback, not, setup, type ActionFunction, type EventObject } from 'xstate';
import { nowOf } from '../../../devices/common/clockTime';
import type { CoreInternalEvent } from '../../../devices/common/coreCommands';
import { deviceCoreActions, deviceCoreGuards, smartCommand } from '../../../devices/common/deviceCore';
import type { HanDownlink } from '../../../devices/common/hanMessages';
import { coreOnBesideTheRegion, legacyMigrationGuards, legacyMigrationRegion } from './legacyMigrationRegion';
import { meterBindingActions } from '../../../devices/common/meterBinding';
import { handle, patchContext } from '../../../devices/common/outcome';
import type { ContractCommand, DeviceEmitted } from '../../../devices/common/types';
import {
  isAverageAbove,
  isAverageBackAboveUnder,
  isAverageBackBelowOver,
  isAverageBelow,
} from '../../../devices/esme/averageVoltage';
import * as command from '../../../devices/esme/esmeCommands';
import type { EsmeInternalEvent } from '../../../devices/esme/esmeCommands';
import {
  createEsmeContext,
  isCurrentFlowing,
  type EsmeContext,
  type EsmeInput,
} from '../../../devices/esme/esmeContext';
import { EsmeAlert } from '../../../devices/esme/esmeProfile';
import {
  isAboveLoadLimit,
  isPowerFactorBack,
  isPowerFactorLow,
  measuredActivePower,
} from '../../../devices/esme/loadMonitor';
import * as metering from './legacyMetering';
import { isBeyond, voltageExcursions, type ExcursionName } from '../../../devices/esme/voltageExcursions';

export type EsmeEvent =
  | ContractCommand
  | CoreInternalEvent
  | EsmeInternalEvent
  | Extract<HanDownlink, { type: 'han.peerJoined' | 'han.peerLeft' }>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAction = ActionFunction<any, any, any, any, any, any, any, any, any>;
type AlertName = keyof typeof EsmeAlert;
type AlertActionName = `esme.alert.${AlertName}`;

const alertNames = Object.keys(EsmeAlert) as AlertName[];

/** The action that raises one ESME alert (logged always, emitted if alert behaviour enables it). */
function alertAction(code: number): AlertActionName {
  const name = alertNames.find((candidate) => EsmeAlert[candidate] === code);
  if (!name) throw new Error(`not an ESME alert: ${code}`);
  return `esme.alert.${name}`;
}

const alertActions = Object.fromEntries(
  alertNames.map((name) => [
    `esme.alert.${name}`,
    handle<EsmeContext, EsmeEvent>(() => ({ alerts: [{ code: EsmeAlert[name] }] })),
  ]),
) as Record<AlertActionName, AnyAction>;

/** Bench controls: the physical world. Answered even by a dumb meter (it still has mains on its terminals). */
function benchControl<TAction extends string>(action: TAction) {
  return [{ guard: 'core.isUnsupported', actions: 'core.respondUnsupported' }, { actions: action }] as const;
}

const measuredPower = (context: EsmeContext) => measuredActivePower(context.demand, isCurrentFlowing(context));

type DetectorGuard =
  | { type: 'esme.isBeyond'; params: { excursion: ExcursionName } }
  | { type: 'esme.isWithin'; params: { excursion: ExcursionName } }
  | 'esme.isPowerFactorLow'
  | 'esme.isPowerFactorNotLow'
  | 'esme.isPowerFactorBack'
  | 'esme.isPowerFactorNotBack';

/** A detector's two conditions, each with its negation (guards are named, so the diagrams can print them). */
interface DetectorConditions {
  onset: DetectorGuard;
  notOnset: DetectorGuard;
  clear: DetectorGuard;
  notClear: DetectorGuard;
}

/**
 * A detector with a period both ways: its onset must hold for the whole period before the alert is raised, and
 * its clearing must hold for the whole period before the return alert is raised (GBCS names one configurable
 * period per excursion; the return waits for the same period). A condition that stops holding before its period
 * is over cancels the pending transition silently: a voltage back within for 5 s of a 60 s period raises nothing,
 * and a brief return after an alert does not end it.
 *
 *   withinLimit --onset--> beyond --period--> alerted (raised) --clear--> returning --period--> withinLimit (returned)
 *   beyond --not onset--> withinLimit; returning --not clear--> alerted
 */
function detectorRegion(
  timer: metering.DetectorTimer,
  { onset, notOnset, clear, notClear }: DetectorConditions,
  raised: number,
  returned: number,
) {
  const arm = { type: 'esme.armTimer', params: { timer } } as const;
  const period = `${timer}Period`;
  return {
    initial: 'withinLimit',
    states: {
      withinLimit: { always: { guard: onset, target: 'beyond', actions: arm } },
      beyond: {
        after: { [period]: { target: 'alerted', actions: alertAction(raised) } },
        always: { guard: notOnset, target: 'withinLimit' },
        on: { 'esme.timersResumed': { target: 'beyond', reenter: true } },
      },
      alerted: { always: { guard: clear, target: 'returning', actions: arm } },
      returning: {
        after: { [period]: { target: 'withinLimit', actions: alertAction(returned) } },
        always: { guard: notClear, target: 'alerted' },
        on: { 'esme.timersResumed': { target: 'returning', reenter: true } },
      },
    },
  } as const;
}

/** One instantaneous excursion detector (extreme over/under-voltage, swell, sag). */
function excursionRegion(name: ExcursionName) {
  const excursion = voltageExcursions[name];
  const beyond = { type: 'esme.isBeyond', params: { excursion: name } } as const;
  const within = { type: 'esme.isWithin', params: { excursion: name } } as const;
  return detectorRegion(
    name,
    { onset: beyond, notOnset: within, clear: within, notClear: beyond },
    excursion.raisedAlert,
    excursion.returnedAlert,
  );
}

export const legacyEsmeMachine = setup({
  types: {
    context: {} as EsmeContext,
    input: {} as EsmeInput,
    events: {} as EsmeEvent,
    emitted: {} as DeviceEmitted,
  },
  // frozen as it was: a child that sends the resumption on every start, the first included
  actors: {
    'esme.timersResumption': fromCallback<EventObject>(({ sendBack }) => sendBack({ type: 'esme.timersResumed' })),
  },
  actions: {
    ...deviceCoreActions,
    ...meterBindingActions,
    ...alertActions,
    'esme.voltageConfig': handle(command.voltageConfig),
    'esme.powerThresholds': handle(command.powerThresholds),
    'esme.setSupply': handle(command.setSupply),
    'esme.readSupply': handle(command.readSupply),
    'esme.alertBehaviour': handle(command.alertBehaviour),
    'esme.readNetworkData': handle(command.readNetworkData),
    'esme.mainsVoltage': handle(command.mainsVoltage),
    'esme.load': handle(command.load),
    'esme.powerCut': handle(command.powerCut),
    'esme.powerRestore': handle(command.powerRestore),
    'esme.setPaymentMode': handle(command.setPaymentMode),
    'esme.topUp': handle(command.topUp),
    'esme.readPaymentMode': handle(command.readPaymentMode),
    'esme.exhaustCredit': handle(command.exhaustCredit),
    'esme.polarity': handle(command.polarity),
    'esme.startMetering': patchContext(metering.startMetering),
    'esme.stopMetering': patchContext(metering.stopMetering),
    'esme.endAveragingPeriod': patchContext(metering.endAveragingPeriod),
    'esme.endNetworkDataInterval': patchContext(metering.endNetworkDataInterval),
    'esme.armTimer': assign(({ context, system }, params: { timer: metering.DetectorTimer }) => ({
      deadlines: metering.armedDeadlines(context, params.timer, nowOf(system)),
    })),
  },
  guards: {
    ...deviceCoreGuards,
    ...legacyMigrationGuards,
    'esme.isPowered': ({ context }) => context.outageStartedAt === null,
    'esme.isUnpowered': ({ context }) => context.outageStartedAt !== null,
    'esme.isBeyond': ({ context }, params: { excursion: ExcursionName }) =>
      isBeyond(params.excursion, context.mainsVoltage, context.voltageConfig),
    'esme.isWithin': ({ context }, params: { excursion: ExcursionName }) =>
      !isBeyond(params.excursion, context.mainsVoltage, context.voltageConfig),
    'esme.isAverageAbove': ({ context }) => isAverageAbove(context.lastAverageRmsVoltage, context.voltageConfig),
    'esme.isAverageBackBelowOver': ({ context }) =>
      isAverageBackBelowOver(context.lastAverageRmsVoltage, context.voltageConfig),
    'esme.isAverageBelow': ({ context }) => isAverageBelow(context.lastAverageRmsVoltage, context.voltageConfig),
    'esme.isAverageBackAboveUnder': ({ context }) =>
      isAverageBackAboveUnder(context.lastAverageRmsVoltage, context.voltageConfig),
    'esme.isPowerFactorLow': ({ context }) =>
      isPowerFactorLow(measuredPower(context), context.demand.powerFactor, context.settings.powerFactorThreshold),
    'esme.isPowerFactorNotLow': ({ context }) =>
      !isPowerFactorLow(measuredPower(context), context.demand.powerFactor, context.settings.powerFactorThreshold),
    'esme.isPowerFactorBack': ({ context }) =>
      isPowerFactorBack(measuredPower(context), context.demand.powerFactor, context.settings.powerFactorThreshold),
    'esme.isPowerFactorNotBack': ({ context }) =>
      !isPowerFactorBack(measuredPower(context), context.demand.powerFactor, context.settings.powerFactorThreshold),
    'esme.isAboveLoadLimit': ({ context }) =>
      isAboveLoadLimit(measuredPower(context), context.settings.loadLimitThreshold),
    'esme.isPrepayment': ({ context }) => context.paymentMode === 'prepayment',
    'esme.isCreditMode': ({ context }) => context.paymentMode === 'credit',
    'esme.hasCredit': ({ context }) => context.creditBalance > 0,
    'esme.hasNoCredit': ({ context }) => context.creditBalance <= 0,
    'esme.isCreditDraining': ({ context }) => context.deadlines.creditExhaustion !== null,
    'esme.isCreditSteady': ({ context }) => context.deadlines.creditExhaustion === null,
    'esme.isPolarityReversed': ({ context }) => context.polarityReversed,
    'esme.isPolarityCorrect': ({ context }) => !context.polarityReversed,
    'esme.isWithinLoadLimit': ({ context }) =>
      !isAboveLoadLimit(measuredPower(context), context.settings.loadLimitThreshold),
  },
  delays: {
    averagePeriod: ({ context, system }) => metering.remainingMs(context.deadlines, 'averagePeriod', nowOf(system)),
    networkDataInterval: ({ context, system }) =>
      metering.remainingMs(context.deadlines, 'networkDataInterval', nowOf(system)),
    extremeOverPeriod: ({ context, system }) => metering.remainingMs(context.deadlines, 'extremeOver', nowOf(system)),
    swellPeriod: ({ context, system }) => metering.remainingMs(context.deadlines, 'swell', nowOf(system)),
    extremeUnderPeriod: ({ context, system }) => metering.remainingMs(context.deadlines, 'extremeUnder', nowOf(system)),
    sagPeriod: ({ context, system }) => metering.remainingMs(context.deadlines, 'sag', nowOf(system)),
    powerFactorPeriod: ({ context, system }) => metering.remainingMs(context.deadlines, 'powerFactor', nowOf(system)),
    loadLimitPeriod: ({ context, system }) => metering.remainingMs(context.deadlines, 'loadLimit', nowOf(system)),
    creditExhaustion: ({ context, system }) =>
      metering.remainingMs(context.deadlines, 'creditExhaustion', nowOf(system)),
  },
}).createMachine({
  id: 'esme',
  type: 'parallel',
  context: ({ input }) => createEsmeContext(input),
  invoke: { id: 'timersResumption', src: 'esme.timersResumption' },
  on: {
    ...coreOnBesideTheRegion,
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
  },
  states: {
    migration: legacyMigrationRegion,
    power: {
      initial: 'powered',
      states: {
        powered: {
          always: { guard: 'esme.isUnpowered', target: 'outage' },
          // Transient: decide before entering metering, so a dumb meter coming back from a power cut never
          // enters metering (whose detectors would take their eventless transitions in the same step).
          initial: 'starting',
          states: {
            starting: { always: [{ guard: 'core.isDumb', target: 'suspended' }, { target: 'metering' }] },
            metering: {
              type: 'parallel',
              entry: 'esme.startMetering',
              exit: 'esme.stopMetering',
              // Becoming dumb while metering: the migration region turns dumb on an internal event, after every
              // detector's eventless transitions have run to completion, so none fires on the way out.
              always: { guard: 'core.isDumb', target: 'suspended' },
              states: {
                averaging: {
                  initial: 'measuring',
                  states: {
                    measuring: {
                      after: {
                        averagePeriod: { target: 'measuring', reenter: true, actions: 'esme.endAveragingPeriod' },
                      },
                      on: {
                        'esme.averagingRestarted': { target: 'measuring', reenter: true },
                        'esme.timersResumed': { target: 'measuring', reenter: true },
                      },
                    },
                  },
                },
                networkData: {
                  initial: 'recording',
                  states: {
                    recording: {
                      after: {
                        networkDataInterval: {
                          target: 'recording',
                          reenter: true,
                          actions: 'esme.endNetworkDataInterval',
                        },
                      },
                      on: { 'esme.timersResumed': { target: 'recording', reenter: true } },
                    },
                  },
                },
                averageOver: {
                  initial: 'withinLimit',
                  states: {
                    withinLimit: { always: { guard: 'esme.isAverageAbove', target: 'above' } },
                    above: {
                      entry: alertAction(EsmeAlert.averageOverVoltage),
                      always: {
                        guard: 'esme.isAverageBackBelowOver',
                        target: 'withinLimit',
                        actions: alertAction(EsmeAlert.averageOverVoltageReturned),
                      },
                    },
                  },
                },
                averageUnder: {
                  initial: 'withinLimit',
                  states: {
                    withinLimit: { always: { guard: 'esme.isAverageBelow', target: 'below' } },
                    below: {
                      entry: alertAction(EsmeAlert.averageUnderVoltage),
                      always: {
                        guard: 'esme.isAverageBackAboveUnder',
                        target: 'withinLimit',
                        actions: alertAction(EsmeAlert.averageUnderVoltageReturned),
                      },
                    },
                  },
                },
                extremeOver: excursionRegion('extremeOver'),
                swell: excursionRegion('swell'),
                extremeUnder: excursionRegion('extremeUnder'),
                sag: excursionRegion('sag'),
                powerFactor: detectorRegion(
                  'powerFactor',
                  {
                    onset: 'esme.isPowerFactorLow',
                    notOnset: 'esme.isPowerFactorNotLow',
                    clear: 'esme.isPowerFactorBack',
                    notClear: 'esme.isPowerFactorNotBack',
                  },
                  EsmeAlert.powerFactorBelowThreshold,
                  EsmeAlert.powerFactorReturned,
                ),
                // Incorrect polarity: detected when the wiring turns reversed and at every metering start while it
                // is (power-up, end of a dumb spell); no return code exists, so none is raised when it is corrected.
                polarity: {
                  initial: 'correct',
                  states: {
                    correct: { always: { guard: 'esme.isPolarityReversed', target: 'reversed' } },
                    reversed: {
                      entry: alertAction(EsmeAlert.incorrectPolarity),
                      always: { guard: 'esme.isPolarityCorrect', target: 'correct' },
                    },
                  },
                },
                loadLimit: {
                  initial: 'withinLimit',
                  states: {
                    withinLimit: {
                      always: {
                        guard: 'esme.isAboveLoadLimit',
                        target: 'beyond',
                        actions: { type: 'esme.armTimer', params: { timer: 'loadLimit' } },
                      },
                    },
                    beyond: {
                      after: { loadLimitPeriod: { target: 'alerted' } },
                      always: { guard: 'esme.isWithinLoadLimit', target: 'withinLimit' },
                      on: { 'esme.timersResumed': { target: 'beyond', reenter: true } },
                    },
                    // No return code exists for the load limit: the alert re-arms once the import drops back.
                    alerted: {
                      entry: alertAction(EsmeAlert.loadLimit),
                      always: { guard: 'esme.isWithinLoadLimit', target: 'withinLimit' },
                    },
                  },
                },
              },
            },
            suspended: { always: { guard: not('core.isDumb'), target: 'metering' } },
          },
        },
        outage: { always: { guard: 'esme.isPowered', target: 'powered' } },
      },
    },
    // Payment mode and prepayment credit (prepayment.ts). Beside `power`, not inside metering: the meter's local
    // prepayment function keeps running while it is dumb (assumed), only remote top-ups are refused.
    payment: {
      initial: 'credit',
      states: {
        credit: { always: { guard: 'esme.isPrepayment', target: 'prepayment' } },
        prepayment: {
          always: { guard: 'esme.isCreditMode', target: 'credit' },
          initial: 'inCredit',
          states: {
            inCredit: {
              always: [
                { guard: 'esme.hasNoCredit', target: 'exhausted' },
                { guard: 'esme.isCreditDraining', target: 'draining' },
              ],
            },
            // Import flows: the credit reaches zero at the deadline unless a change reschedules it.
            draining: {
              after: { creditExhaustion: { target: 'exhausted' } },
              always: { guard: 'esme.isCreditSteady', target: 'inCredit' },
              on: {
                'esme.creditRescheduled': { target: 'draining', reenter: true },
                'esme.timersResumed': { target: 'draining', reenter: true },
              },
            },
            exhausted: {
              entry: 'esme.exhaustCredit',
              always: { guard: 'esme.hasCredit', target: 'inCredit' },
            },
          },
        },
      },
    },
  },
});
