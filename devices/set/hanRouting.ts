/**
 * Where HAN traffic goes inside a set: a pure function from (members, sender, message) to deliveries.
 * The CH decides joins, meters decide bindings; the set only carries messages between them by EUI.
 */
import type { AnyEventObject } from 'xstate';
import type { HanDownlink, HanUplink } from '../common/hanMessages';
import type { Eui } from '../common/types';
import { isMember, type DeviceSetMembers } from './deviceSetInput';

export interface HanDelivery {
  to: Eui;
  message: HanDownlink;
}

export function routeHan(members: DeviceSetMembers, from: Eui, uplink: AnyEventObject): HanDelivery[] {
  const message = uplink as HanUplink;
  const meters = [members.ESME, members.GSME];
  const deliver = (to: Eui, downlink: HanDownlink): HanDelivery[] =>
    isMember(members, to) ? [{ to, message: downlink }] : [];
  switch (message.type) {
    case 'han.joinRequest':
      return deliver(members.CH, { type: 'han.joinRequest', deviceId: from, installCode: message.installCode });
    case 'han.joinResult':
      if (from !== members.CH) return [];
      return [
        ...deliver(message.deviceId, { type: 'han.joinResult', joined: message.joined }),
        ...(message.joined
          ? meters.flatMap((meter) => deliver(meter, { type: 'han.peerJoined', deviceId: message.deviceId }))
          : []),
      ];
    case 'han.deviceLeft':
      if (from !== members.CH) return [];
      return Object.values(members)
        .filter((eui) => eui !== members.CH)
        .flatMap((eui) => deliver(eui, { type: 'han.peerLeft', deviceId: message.deviceId }));
    case 'han.bound':
      return deliver(message.deviceId, { type: 'han.bound', meterId: from });
    case 'han.unbound':
      return deliver(message.deviceId, { type: 'han.unbound', meterId: from });
    default:
      return [];
  }
}
