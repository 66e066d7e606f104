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
 * On power-on: one join request to the CH via the device set, unless the HAN loses it (then no answer comes and
 * the attempt times out at joinAttemptDeadline).
 */
export const requestJoin: Handler<PpmidContext, AnyEventObject> = ({ context, now }) => {
  const delivery = deliverOverHan(context.random, context.hanFailureRate, context.hanMaxAttempts);
  return {
    context: { random: delivery.random, joinAttemptDeadline: now + context.joinAttemptTimeout * 1000 },
    toParent: delivery.delivered ? [{ type: 'han.joinRequest', installCode: context.installCode }] : [],
  };
};

export const bound: Handler<PpmidContext, AnyEventObject> = ({ context, event }) => {
  const { meterId } = event as unknown as { meterId: Eui };
  return context.bindings.includes(meterId) ? {} : { context: { bindings: [...context.bindings, meterId] } };
};

export const unbound: Handler<PpmidContext, AnyEventObject> = ({ context, event }) => {
  const { meterId } = event as unknown as { meterId: Eui };
  return { context: { bindings: context.bindings.filter((id) => id !== meterId) } };
};

/** Off the HAN, nothing is bound any more. */
export const leftHan: Handler<PpmidContext, AnyEventObject> = () => ({ context: { bindings: [] } });
