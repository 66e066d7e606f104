/**
 * Handlers (pure: context, event, now → Outcome) for the ESME's commands and bench controls of
 * docs/contract.md. The machine (esmeMachine.ts) wires them; the device core's outcome.ts applies them
 * (context patch, one response, alerts logged and emitted as alert behaviour allows).
 */
import { alertBehaviourHandler } from '../common/deviceCore';
import type { Handler, Outcome } from '../common/outcome';
import type { CommandEvent, EventFields } from '../common/types';
import { hasQuirk } from '../quirks/registry';
import { isCurrentFlowing, isPaymentMode, isSupplyState, withDeadline, type EsmeContext } from './esmeContext';
import { ambientState, measuredActivePower, parseDemand, parsePowerThresholds } from './loadMonitor';
import { recordsBetween } from './networkData';
import { outageRestoredAlert } from './outage';
import { balanceAt, isTopUpAmount, settledWith } from './prepayment';
import { openWindow, stepVoltage } from './timeWeightedAverage';
import { maxThresholdVolts, parseVoltageConfig } from './voltageConfig';

type EsmeHandler = Handler<EsmeContext, CommandEvent>;

/**
 * Internal events for the ESME's own states: raised by its handlers (metering.ts and powerState.ts raise esme.meteringRescheduled), delayed by its machine (its
 * timers: esme.meteringDue, esme.creditExhausted),
 * or, for esme.timersResumed, by its machine as it starts from a restored snapshot (devices/common/timersResumption.ts).
 * Never sent from outside (no requestId, so never answered).
 */
export type EsmeInternalEvent =
  | { type: 'esme.averagingRestarted' }
  | { type: 'esme.meteringRescheduled' }
  | { type: 'esme.meteringDue' }
  | { type: 'esme.timersResumed' }
  | { type: 'esme.creditRescheduled' }
  | { type: 'esme.creditExhausted' };

const creditRescheduled = { type: 'esme.creditRescheduled' } as const;

const ok = { status: 'ok' } as const;
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Risk 11: a migrated Itron ESME keeps raising voltage and power alerts, but refuses the network operator's
 * voltage configuration (6.5) and alert behaviour (6.22). Only while the quirk is on and the meter is in the DCC.
 */
function isRisk11Refusing(context: EsmeContext): boolean {
  return hasQuirk(context, 'risk11') && context.migrationState === 'dcc';
}

/** The ambient colour once `patch` is applied: measured power depends on supply, power and demand. */
function withAmbient(context: EsmeContext, patch: Partial<EsmeContext>): Partial<EsmeContext> {
  // The fields read, as the patch leaves them (no copy of the whole context: this runs on every supply change).
  const flowing = isCurrentFlowing({
    supply: patch.supply ?? context.supply,
    outageStartedAt: 'outageStartedAt' in patch ? patch.outageStartedAt! : context.outageStartedAt,
  });
  const power = measuredActivePower(patch.demand ?? context.demand, flowing);
  // Object.assign, not `{ ...patch, ambientState }`: a field added after a spread is V8's slow path.
  return Object.assign({}, patch, {
    ambientState: ambientState(power, patch.powerThresholds ?? context.powerThresholds),
  });
}

/**
 * A change of what the meter measures (supply, power, demand) or of its payment mode: the prepayment credit is
 * settled up to now under the old state, the exhaustion rescheduled under the new one (prepayment.ts), and the
 * ambient colour follows. The reschedule event (the machine re-arms the exhaustion timer on it) is raised only for
 * a meter in prepayment after the change, or one leaving it with the timer armed: in credit mode there is no timer,
 * and an event still costs the machine a microstep.
 */
function measuredChange(
  context: EsmeContext,
  patch: Partial<EsmeContext>,
  now: number,
): Pick<Outcome<EsmeContext>, 'context' | 'raise'> {
  // A new object each call: the commands add their response to it (Object.assign, as in withAmbient).
  const next = withAmbient(context, settledWith(context, patch, now));
  const prepayment = (next.paymentMode ?? context.paymentMode) === 'prepayment';
  // Leaving prepayment with the exhaustion timer armed: the event cancels it (esmeMachine.ts).
  const armed = context.deadlines.creditExhaustion !== null;
  return prepayment || armed ? { context: next, raise: [creditRescheduled] } : { context: next };
}

/**
 * SR 6.5. Checks in the order a meter would: can this configuration be written at all (profile), may this party
 * write it (risk 11), is it valid. An accepted configuration starts a new measurement period at once (the
 * period in progress is dropped, not evaluated: its average would mix two configurations), and forgets the
 * last period's average, so the new thresholds are first compared at the end of that new period.
 */
export const voltageConfig: EsmeHandler = ({ context, event, now }) => {
  if (!context.settings.voltageConfigWritable) return { response: { status: 'unsupported' } };
  if (isRisk11Refusing(context)) return { response: { status: 'notAuthorised' } };
  const config = parseVoltageConfig(event as EventFields<'voltageConfig'>);
  if (!config) return { response: { status: 'invalidParameter' } };
  const metering = context.averagingWindow !== null;
  return {
    context: {
      voltageConfig: config,
      lastAverageRmsVoltage: null,
      ...(metering
        ? {
            averagingWindow: openWindow(now, context.mainsVoltage),
            deadlines: withDeadline(context.deadlines, 'averagePeriod', now + config.averageMeasurementPeriod * 1000),
          }
        : {}),
    },
    response: ok,
    raise: metering ? [{ type: 'esme.averagingRestarted' }] : [],
  };
};

/** SR 6.12: the IHD ambient thresholds. No alert; the ambient state follows at once. */
export const powerThresholds: EsmeHandler = ({ context, event }) => {
  const thresholds = parsePowerThresholds(event as EventFields<'powerThresholds'>);
  if (!thresholds) return { response: { status: 'invalidParameter' } };
  return { context: withAmbient(context, { powerThresholds: thresholds }), response: ok };
};

export const setSupply: EsmeHandler = ({ context, event, now }) => {
  const { state } = event as EventFields<'setSupply'>;
  if (!isSupplyState(state)) return { response: { status: 'invalidParameter' } };
  return Object.assign(measuredChange(context, { supply: state, supplyCutForCredit: false }, now), { response: ok });
};

export const readSupply: EsmeHandler = ({ context }) => ({
  response: { status: 'ok', body: { state: context.supply } },
});

/** SR 6.22 through the core (owner checks, all or nothing), after the risk-11 refusal of the network operator. */
export const alertBehaviour: EsmeHandler = (args) => {
  const { owner } = args.event as EventFields<'alertBehaviour'>;
  if (owner === 'networkOperator' && isRisk11Refusing(args.context)) return { response: { status: 'notAuthorised' } };
  return alertBehaviourHandler(args) as Outcome<EsmeContext>;
};

/** SR 4.10: the average RMS voltage records with `from <= at <= to`. */
export const readNetworkData: EsmeHandler = ({ context, event }) => {
  const { from, to } = event as EventFields<'readNetworkData'>;
  if (!isFiniteNumber(from) || !isFiniteNumber(to) || from > to) return { response: { status: 'invalidParameter' } };
  return { response: { status: 'ok', body: { records: recordsBetween(context.networkData, from, to) } } };
};

/**
 * Bench: the RMS voltage from now on. The open averaging windows integrate the old level up to now; the
 * limit detectors judge the new level (the machine runs them after this handler, metering.ts withDetectors).
 */
export const mainsVoltage: EsmeHandler = ({ context, event, now }) => {
  const { voltage } = event as EventFields<'mainsVoltage'>;
  if (!isFiniteNumber(voltage) || voltage < 0 || voltage > maxThresholdVolts) {
    return { response: { status: 'invalidParameter' } };
  }
  return {
    context: {
      mainsVoltage: voltage,
      averagingWindow: context.averagingWindow && stepVoltage(context.averagingWindow, now, voltage),
      networkDataWindow: context.networkDataWindow && stepVoltage(context.networkDataWindow, now, voltage),
    },
    response: ok,
  };
};

/** Bench: the consumer's demand from now on. */
export const load: EsmeHandler = ({ context, event, now }) => {
  const demand = parseDemand(event as EventFields<'load'>);
  if (!demand) return { response: { status: 'invalidParameter' } };
  return Object.assign(measuredChange(context, { demand }, now), { response: ok });
};

/** Bench: the supply to the premises fails. A second cut during a cut changes nothing. */
export const powerCut: EsmeHandler = ({ context, now }) => {
  if (context.outageStartedAt !== null) return { response: ok };
  return Object.assign(measuredChange(context, { outageStartedAt: now }, now), { response: ok });
};

/**
 * Bench: the supply comes back. The outage's length decides the alert (outage.ts: 0x8F36 at >= the long-outage
 * limit, else 0x8F35), raised at the moment of restoration. A dumb meter raises none (its smart functions are
 * off). A restore without a cut changes nothing.
 */
export const powerRestore: EsmeHandler = ({ context, now }) => {
  if (context.outageStartedAt === null) return { response: ok };
  const code = outageRestoredAlert(now - context.outageStartedAt, context.settings.longOutageLimit);
  return {
    ...measuredChange(context, { outageStartedAt: null }, now),
    response: ok,
    alerts: context.migrationState === 'dumb' ? [] : [{ code }],
  };
};

/**
 * Payment mode (DUIS SR 1.6 Update Payment Mode, the supplier's): credit or prepayment. The credit drawn so far
 * is settled under the old mode; the balance is kept either way.
 */
export const setPaymentMode: EsmeHandler = ({ context, event, now }) => {
  const { mode } = event as EventFields<'setPaymentMode'>;
  if (!isPaymentMode(mode)) return { response: { status: 'invalidParameter' } };
  return Object.assign(measuredChange(context, { paymentMode: mode }, now), { response: ok });
};

/**
 * A top-up (DUIS SR 2.2 Top Up Device): pence added to the credit. If the meter had opened its contactor for lack
 * of credit and the balance is now above zero, the supply is armed (the consumer closes it). A dumb meter never
 * gets here (smartCommand answers dumbMode): the seeds' grave case.
 */
export const topUp: EsmeHandler = ({ context, event, now }) => {
  const { amount } = event as EventFields<'topUp'>;
  if (!isTopUpAmount(amount)) return { response: { status: 'invalidParameter' } };
  const creditBalance = balanceAt(context, now) + amount;
  const rearm = context.supplyCutForCredit && creditBalance > 0;
  const patch: Partial<EsmeContext> = rearm
    ? { creditBalance, supply: 'armed', supplyCutForCredit: false }
    : { creditBalance };
  return Object.assign(measuredChange(context, patch, now), { response: ok });
};

/** The payment mode and the credit balance now, in pence to three decimals (the wire's thousandths). */
export const readPaymentMode: EsmeHandler = ({ context, now }) => ({
  response: {
    status: 'ok',
    body: { mode: context.paymentMode, creditBalance: Math.floor(balanceAt(context, now) * 1000) / 1000 },
  },
});

/**
 * The prepayment credit reached zero (the machine's exhaustion timer, or prepayment entered with none): the
 * balance is zero from now, and a closed contactor opens.
 */
export const exhaustCredit: Handler<EsmeContext, unknown> = ({ context, now }) => {
  const cut = context.supply === 'enabled';
  const patch: Partial<EsmeContext> = cut
    ? { creditBalance: 0, supply: 'disabled', supplyCutForCredit: true }
    : { creditBalance: 0 };
  return measuredChange(context, patch, now);
};

/** Bench: the meter's wiring from now on (true: incorrect, cross polarity). The polarity detector raises 0x81B8. */
export const polarity: EsmeHandler = ({ event }) => {
  const { reversed } = event as EventFields<'polarity'>;
  if (typeof reversed !== 'boolean') return { response: { status: 'invalidParameter' } };
  return { context: { polarityReversed: reversed }, response: ok };
};
