/**
 * The GSME's decisions: SR 6.7 gas flow configuration, and the lossy HAN every command to a sleepy battery
 * meter crosses first.
 */
import type { DeviceCoreContext } from '../common/coreContext';
import { deviceTime } from '../common/coreContext';
import { deliverOverHan } from '../common/hanDelivery';
import type { Handler } from '../common/outcome';
import type { CommandEvent, EventFields } from '../common/types';
import { hasQuirk } from '../quirks/registry';
import type { GsmeContext } from './gsmeContext';

const DAY_MS = 24 * 3600 * 1000;

/** Three decimal places at most (the contract's unit for m³/h), tolerant of binary floating point. */
function hasAtMostThreeDecimals(value: number): boolean {
  return Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6;
}

/**
 * Quirk 91333 limits SR 6.7 on what the device is, not on a label: Itron GSME firmware (the quirk only resolves on
 * Itron sets) in DCC service (migrated). A dormant Itron that migrates shows it from its migration on; on its SMSO
 * the limitation was never reported, so 6.7 is unrestricted there.
 */
function isGasFlowRateLimited(context: GsmeContext): boolean {
  return hasQuirk(context, '91333') && context.migrationState === 'dcc';
}

/**
 * SR 6.7. Quirk 91333: at most one applied per day; a second the same day is `rateLimited` and changes nothing.
 * The day is the UTC calendar day of device time (assumed: the defect says only "once per day").
 */
export const gasFlowConfig: Handler<GsmeContext, CommandEvent> = ({ context, event, now }) => {
  const { uncontrolledFlowRateThreshold, averagingPeriod } = event as EventFields<'gasFlowConfig'>;
  if (
    typeof uncontrolledFlowRateThreshold !== 'number' ||
    !Number.isFinite(uncontrolledFlowRateThreshold) ||
    uncontrolledFlowRateThreshold < 0 ||
    !hasAtMostThreeDecimals(uncontrolledFlowRateThreshold) ||
    typeof averagingPeriod !== 'number' ||
    !Number.isInteger(averagingPeriod) ||
    averagingPeriod < 1
  ) {
    return { response: { status: 'invalidParameter' } };
  }
  const today = Math.floor(deviceTime(context, now) / DAY_MS);
  if (isGasFlowRateLimited(context) && context.lastGasFlowConfigDay === today) {
    return { response: { status: 'rateLimited' } };
  }
  return {
    context: { gasFlow: { uncontrolledFlowRateThreshold, averagingPeriod }, lastGasFlowConfigDay: today },
    response: { status: 'ok' },
  };
};

/**
 * Wraps a handler so the command first has to reach the meter: up to hanMaxAttempts tries, each lost with
 * hanFailureRate, drawn from the meter's generator. All lost: `busy` and nothing applied (the contract has no
 * timeout status; busy is what the CH reports for a GSME it could not reach).
 */
export function overLossyHan<TContext extends DeviceCoreContext, TEvent>(
  handler: Handler<TContext, TEvent>,
): Handler<TContext, TEvent> {
  return (args) => {
    const { context } = args;
    const delivery = deliverOverHan(context.random, context.hanFailureRate, context.hanMaxAttempts);
    if (!delivery.delivered) {
      return { context: { random: delivery.random } as Partial<TContext>, response: { status: 'busy' } };
    }
    // The handler gets the context as it came (no copy of the whole context per command): none of the handlers
    // wrapped here draws from the generator, so the draws' new state only has to reach the patch.
    const outcome = handler(args);
    // One literal of one shape, not `{ ...outcome, context: { random, ...outcome.context } }`: spreading outcomes of
    // a dozen shapes is V8's slow path (~0.5 µs a spread), on every command the GSME answers.
    const patch = { random: delivery.random } as Partial<TContext>;
    if (outcome.context !== undefined) Object.assign(patch, outcome.context);
    return {
      context: patch,
      response: outcome.response,
      alerts: outcome.alerts,
      toParent: outcome.toParent,
      raise: outcome.raise,
    };
  };
}
