/**
 * Handlers (pure: context, event, now → Outcome) for the ESME's commands and bench controls of
 * docs/contract.md. The machine (esmeMachine.ts) wires them; the device core's outcome.ts applies them
 * (context patch, one response, alerts logged and emitted as alert behaviour allows).
 */
import { alertBehaviourHandler } from '../common/deviceCore';
import type { Handler, Outcome } from '../common/outcome';
import type { CommandEvent } from '../common/types';
import { hasQuirk } from '../quirks/registry';
import { isCurrentFlowing, isSupplyState, type EsmeContext } from './esmeContext';
import { ambientState, measuredActivePower, parseDemand, parsePowerThresholds } from './loadMonitor';
import { recordsBetween } from './networkData';
import { outageRestoredAlert } from './outage';
import { openWindow, stepVoltage } from './timeWeightedAverage';
import { maxThresholdVolts, parseVoltageConfig } from './voltageConfig';

type EsmeHandler = Handler<EsmeContext, CommandEvent>;

/**
 * Internal events for the ESME's own regions: raised by its voltageConfig handler, or sent by its
 * timersResumption child on every start. Never sent from outside (no requestId, so never answered).
 */
export type EsmeInternalEvent = { type: 'esme.averagingRestarted' } | { type: 'esme.timersResumed' };

const ok = { status: 'ok' } as const;
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Risk 11: a migrated Itron ESME keeps raising voltage and power alerts, but refuses the network operator's
 * voltage configuration (6.5) and alert behaviour (6.22). Only while the quirk is on and the meter is in the DCC.
 */
export function isRisk11Refusing(context: EsmeContext): boolean {
  return hasQuirk(context, 'risk11') && context.migrationState === 'dcc';
}

/** The ambient colour once `patch` is applied: measured power depends on supply, power and demand. */
function withAmbient(context: EsmeContext, patch: Partial<EsmeContext>): Partial<EsmeContext> {
  const next = { ...context, ...patch };
  const power = measuredActivePower(next.demand, isCurrentFlowing(next));
  return { ...patch, ambientState: ambientState(power, next.powerThresholds) };
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
  const config = parseVoltageConfig(event);
  if (!config) return { response: { status: 'invalidParameter' } };
  const metering = context.averagingWindow !== null;
  return {
    context: {
      voltageConfig: config,
      lastAverageRmsVoltage: null,
      ...(metering
        ? {
            averagingWindow: openWindow(now, context.mainsVoltage),
            deadlines: { ...context.deadlines, averagePeriod: now + config.averageMeasurementPeriod * 1000 },
          }
        : {}),
    },
    response: ok,
    raise: metering ? [{ type: 'esme.averagingRestarted' }] : [],
  };
};

/** SR 6.12: the IHD ambient thresholds. No alert; the ambient state follows at once. */
export const powerThresholds: EsmeHandler = ({ context, event }) => {
  const thresholds = parsePowerThresholds(event);
  if (!thresholds) return { response: { status: 'invalidParameter' } };
  return { context: withAmbient(context, { powerThresholds: thresholds }), response: ok };
};

export const setSupply: EsmeHandler = ({ context, event }) => {
  const { state } = event as { state?: unknown };
  if (!isSupplyState(state)) return { response: { status: 'invalidParameter' } };
  return { context: withAmbient(context, { supply: state }), response: ok };
};

export const readSupply: EsmeHandler = ({ context }) => ({ response: { status: 'ok', body: { state: context.supply } } });

/** SR 6.22 through the core (owner checks, all or nothing), after the risk-11 refusal of the network operator. */
export const alertBehaviour: EsmeHandler = (args) => {
  const { owner } = args.event as { owner?: unknown };
  if (owner === 'networkOperator' && isRisk11Refusing(args.context)) return { response: { status: 'notAuthorised' } };
  return alertBehaviourHandler(args) as Outcome<EsmeContext>;
};

/** SR 4.10: the average RMS voltage records with `from <= at <= to`. */
export const readNetworkData: EsmeHandler = ({ context, event }) => {
  const { from, to } = event as { from?: unknown; to?: unknown };
  if (!isFiniteNumber(from) || !isFiniteNumber(to) || from > to) return { response: { status: 'invalidParameter' } };
  return { response: { status: 'ok', body: { records: recordsBetween(context.networkData, from, to) } } };
};

/**
 * Bench: the RMS voltage from now on. The open averaging windows integrate the old level up to now; the
 * detector regions react to the new level through their eventless transitions.
 */
export const mainsVoltage: EsmeHandler = ({ context, event, now }) => {
  const { voltage } = event as { voltage?: unknown };
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
export const load: EsmeHandler = ({ context, event }) => {
  const demand = parseDemand(event);
  if (!demand) return { response: { status: 'invalidParameter' } };
  return { context: withAmbient(context, { demand }), response: ok };
};

/** Bench: the supply to the premises fails. A second cut during a cut changes nothing. */
export const powerCut: EsmeHandler = ({ context, now }) => {
  if (context.outageStartedAt !== null) return { response: ok };
  return { context: withAmbient(context, { outageStartedAt: now }), response: ok };
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
    context: withAmbient(context, { outageStartedAt: null }),
    response: ok,
    alerts: context.migrationState === 'dumb' ? [] : [{ code }],
  };
};
