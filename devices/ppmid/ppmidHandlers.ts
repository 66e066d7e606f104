/** The PPMID's decisions: power-on, its join request over the HAN, and the bindings meters tell it about. */
import { deliverOverHan } from '../common/hanDelivery';
import type { Handler } from '../common/outcome';
import type { CommandEvent, Eui } from '../common/types';
import type { AnyEventObject } from 'xstate';
import type { PpmidContext } from './ppmidContext';

/** The stimulus is accepted at once; whether the PPMID gets onto the HAN shows in the CH's alerts. */
export const powerOn: Handler<PpmidContext, CommandEvent> = () => ({
  response: { status: 'ok' },
  raise: [{ type: 'ppmid.poweredOn' }],
});

/**
 * One join attempt (at power-on, then every retry while off the HAN): a join request to the CH via the device
 * set, unless the HAN loses it (then no answer comes and the attempt times out at joinAttemptDeadline).
 */
export const requestJoin: Handler<PpmidContext, AnyEventObject> = ({ context, now }) => {
  const delivery = deliverOverHan(context.random, context.hanFailureRate, context.hanMaxAttempts);
  return {
    context: {
      random: delivery.random,
      joinAttemptDeadline: now + context.joinAttemptTimeout * 1000,
      nextJoinAttemptAt: 0,
    },
    toParent: delivery.delivered ? [{ type: 'han.joinRequest', installCode: context.installCode }] : [],
  };
};

/**
 * Not on the HAN (refused, no answer, or removed): the next attempt is joinRetryInterval after this moment. A real
 * HAN device keeps trying while powered, so a later 8.11 lets it in without a power cycle.
 */
export const scheduleRetry: Handler<PpmidContext, AnyEventObject> = ({ context, now }) => ({
  context: { joinAttemptDeadline: 0, nextJoinAttemptAt: now + context.joinRetryInterval * 1000 },
});

export const bound: Handler<PpmidContext, AnyEventObject> = ({ context, event }) => {
  const { meterId } = event as unknown as { meterId: Eui };
  return context.bindings.includes(meterId) ? {} : { context: { bindings: [...context.bindings, meterId] } };
};

export const unbound: Handler<PpmidContext, AnyEventObject> = ({ context, event }) => {
  const { meterId } = event as unknown as { meterId: Eui };
  return { context: { bindings: context.bindings.filter((id) => id !== meterId) } };
};

/** Off the HAN, nothing is bound any more; it starts trying to join again (scheduleRetry runs next). */
export const leftHan: Handler<PpmidContext, AnyEventObject> = () => ({ context: { bindings: [] } });
