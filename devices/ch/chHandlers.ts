/**
 * The CH's decisions (pure: context, event, now → Outcome): SR 8.11 device log updates, 8.9 reads, and join
 * requests arriving over the HAN from a device that has just powered on.
 */
import { Alert } from '../common/alertCodes';
import { euiPayload } from '../common/hanMessages';
import type { Handler } from '../common/outcome';
import { isEui, type CommandEvent, type Eui, type EventFields } from '../common/types';
import { hasQuirk } from '../quirks/registry';
import type { ChContext } from './chContext';
import {
  findEntry,
  isInstallCode,
  isJoinPeriod,
  isLogFull,
  isWindowOpen,
  markJoined,
  ONE_BYTE_JOIN_PERIOD_MAX,
  removeEntry,
  upsertEntry,
} from './hanDeviceLog';

type ChHandler<TEvent = CommandEvent> = Handler<ChContext, TEvent>;

/**
 * SR 8.11 Add. Opens the device's join window for joinPeriod seconds, capped at the profile's join window maximum.
 * The log holds HAN_DEVICE_LOG_CAPACITY devices (assumed): a new device past that is refused with `full`.
 *
 * Quirk 91342 (Elster CH firmware with the defect; SECP_74_1511_06: "SR 8.11 is rejected if the join period is
 * greater than 255 seconds"): a joinPeriod above 255 s, which the bench wire carries whole, is refused:
 * `invalidParameter`, no log change, and 0x8F48 (join failed, the device's EUI) because the device named can never
 * join from this request; its periodic join attempts keep failing until an 8.11 of 255 s or less. The cause
 * (a one-byte ZigBee permit-join duration) is assumed.
 */
export const hanLogAdd: ChHandler = ({ context, event, now }) => {
  const { deviceId, installCode, joinPeriod } = event as EventFields<'hanLogAdd'>;
  if (!isEui(deviceId) || !isInstallCode(installCode) || !isJoinPeriod(joinPeriod)) {
    return { response: { status: 'invalidParameter' } };
  }
  if (hasQuirk(context, '91342') && joinPeriod > ONE_BYTE_JOIN_PERIOD_MAX) {
    return {
      response: { status: 'invalidParameter' },
      alerts: [{ code: Alert.joinFailed, payload: euiPayload(deviceId) }],
    };
  }
  // A full log refuses a new device with `full` (nothing changes, no alert); an update of a listed one goes on.
  if (isLogFull(context.deviceLog, deviceId)) return { response: { status: 'full' } };
  const windowSeconds = Math.min(joinPeriod, context.joinWindowMax);
  const closesAt = now + windowSeconds * 1000;
  return {
    context: {
      deviceLog: upsertEntry(context.deviceLog, {
        deviceId,
        installCode: installCode.toLowerCase(),
        joinWindowOpenedAt: now,
        joinWindowClosesAt: closesAt,
        joined: false,
      }),
      permitJoinUntil: Math.max(context.permitJoinUntil, closesAt),
    },
    response: { status: 'ok' },
    alerts: [{ code: Alert.deviceLogChanged }],
    raise: [{ type: 'ch.permitJoinOpened' }],
  };
};

/** SR 8.11 Remove. A device removed while joined leaves the HAN: the set tells the meters and the device. */
export const hanLogRemove: ChHandler = ({ context, event }) => {
  const { deviceId } = event as EventFields<'hanLogRemove'>;
  if (!isEui(deviceId)) return { response: { status: 'invalidParameter' } };
  const entry = findEntry(context.deviceLog, deviceId);
  if (!entry) return { response: { status: 'invalidParameter' } };
  return {
    context: { deviceLog: removeEntry(context.deviceLog, deviceId) },
    response: { status: 'ok' },
    alerts: [{ code: Alert.deviceLogChanged }],
    toParent: entry.joined ? [{ type: 'han.deviceLeft', deviceId }] : [],
  };
};

/** SR 8.9. */
export const readDeviceLog: ChHandler = ({ context }) => ({
  response: {
    status: 'ok',
    body: { entries: context.deviceLog.map(({ deviceId, joined }) => ({ deviceId, joined })) },
  },
});

interface JoinRequest {
  type: 'han.joinRequest';
  deviceId: Eui;
  installCode: string;
}

/**
 * A device asks to join (the PPMID at power-on). Let in only if listed, inside its own window, with its install
 * code (a wrong code means the link key derivation fails): 0x8F49 join succeeded and 0x8183 device joined SMHAN.
 * Otherwise 0x8F48. Decided on the entry's window times, not on the `han` region's state, which only drives the
 * network's permit-join timer: openedAt <= now < closesAt, so at exactly +255 s a 255 s window is closed.
 */
export const joinRequest: ChHandler<JoinRequest> = ({ context, event, now }) => {
  const { deviceId, installCode } = event;
  const payload = euiPayload(deviceId);
  const entry = findEntry(context.deviceLog, deviceId);
  if (entry?.joined) return { toParent: [{ type: 'han.joinResult', deviceId, joined: true }] };
  const admitted = entry !== undefined && isWindowOpen(entry, now) && entry.installCode === installCode.toLowerCase();
  if (!admitted) {
    return {
      alerts: [{ code: Alert.joinFailed, payload }],
      toParent: [{ type: 'han.joinResult', deviceId, joined: false }],
    };
  }
  return {
    context: { deviceLog: markJoined(context.deviceLog, deviceId) },
    alerts: [
      { code: Alert.joinSucceeded, payload },
      { code: Alert.deviceJoinedSmhan, payload },
    ],
    toParent: [{ type: 'han.joinResult', deviceId, joined: true }],
  };
};
