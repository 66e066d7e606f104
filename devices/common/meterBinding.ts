/**
 * The meters' side of the HAN (ESME and GSME): which devices are on the HAN (told by the device set when the CH
 * lets one in or drops it) and which of them this meter is bound to (SR 8.7 join / 8.8 unjoin, e.g. a PPMID).
 *
 * Compose: extend the context with MeterBindingContext (withMeterBinding(own)), add the actions below and
 *   on: { join: smartCommand('meter.join'), unjoin: smartCommand('meter.unjoin'),
 *         'han.peerJoined': { actions: 'meter.peerJoined' }, 'han.peerLeft': { actions: 'meter.peerLeft' } }
 */
import { Alert } from './alertCodes';
import type { DeviceCoreContext } from './coreContext';
import { euiPayload } from './hanMessages';
import { handle, type Handler } from './outcome';
import { isEui, type CommandEvent, type Eui, type EventFields } from './types';
import type { AnyEventObject } from 'xstate';

export interface MeterBindingContext {
  /** Devices the CH has let into the HAN, as the device set reports them. */
  hanPeers: Eui[];
  /** Devices bound to this meter by a join service (8.7). */
  bindings: Eui[];
}

/** A meter's own fields after the (empty) HAN bindings; spread last, see createDeviceCoreContext. */
export function withMeterBinding<TOwn extends object>(own: TOwn): MeterBindingContext & TOwn {
  return { hanPeers: [], bindings: [], ...own };
}

type MeterContext = DeviceCoreContext & MeterBindingContext;

/** 8.7: binds a device that is on the HAN; a device the CH has not let in cannot be bound (0x8F48). */
export const joinHandler: Handler<MeterContext, CommandEvent> = ({ context, event }) => {
  const { otherDeviceId, critical } = event as EventFields<'join'>;
  if (!isEui(otherDeviceId) || typeof critical !== 'boolean') return { response: { status: 'invalidParameter' } };
  const payload = euiPayload(otherDeviceId);
  if (!context.hanPeers.includes(otherDeviceId)) {
    return { response: { status: 'invalidParameter' }, alerts: [{ code: Alert.joinFailed, payload }] };
  }
  const bindings = context.bindings.includes(otherDeviceId) ? context.bindings : [...context.bindings, otherDeviceId];
  return {
    context: { bindings },
    response: { status: 'ok' },
    alerts: [{ code: Alert.joinSucceeded, payload }],
    toParent: [{ type: 'han.bound', deviceId: otherDeviceId }],
  };
};

/** 8.8: unbinds; unbinding a device that is not bound fails with 0x8F4A. */
export const unjoinHandler: Handler<MeterContext, CommandEvent> = ({ context, event }) => {
  const { otherDeviceId } = event as EventFields<'unjoin'>;
  if (!isEui(otherDeviceId)) return { response: { status: 'invalidParameter' } };
  const payload = euiPayload(otherDeviceId);
  if (!context.bindings.includes(otherDeviceId)) {
    return { response: { status: 'invalidParameter' }, alerts: [{ code: Alert.unjoinFailed, payload }] };
  }
  return {
    context: { bindings: context.bindings.filter((id) => id !== otherDeviceId) },
    response: { status: 'ok' },
    alerts: [{ code: Alert.unjoinSucceeded, payload }],
    toParent: [{ type: 'han.unbound', deviceId: otherDeviceId }],
  };
};

const peerJoined: Handler<MeterContext, AnyEventObject> = ({ context, event }) => {
  const { deviceId } = event as unknown as { deviceId: Eui };
  return context.hanPeers.includes(deviceId) ? {} : { context: { hanPeers: [...context.hanPeers, deviceId] } };
};

/** A device that leaves the HAN loses its bindings too: nothing reaches it any more. */
const peerLeft: Handler<MeterContext, AnyEventObject> = ({ context, event }) => {
  const { deviceId } = event as unknown as { deviceId: Eui };
  return {
    context: {
      hanPeers: context.hanPeers.filter((id) => id !== deviceId),
      bindings: context.bindings.filter((id) => id !== deviceId),
    },
  };
};

export const meterBindingActions = {
  'meter.join': handle(joinHandler),
  'meter.unjoin': handle(unjoinHandler),
  'meter.peerJoined': handle(peerJoined),
  'meter.peerLeft': handle(peerLeft),
};
