/**
 * Inter-device HAN traffic: what devices tell their device set (via outcome `toParent`) and what the set tells
 * them. These never cross the contract boundary; the set carries them between its children by EUI.
 */
import type { Eui } from './types';

/** Device → set. */
export type HanUplink =
  /** PPMID powered on: it asks the CH to let it in. */
  | { type: 'han.joinRequest'; installCode: string }
  /** CH: the outcome of a join request from `deviceId`. */
  | { type: 'han.joinResult'; deviceId: Eui; joined: boolean }
  /** CH: `deviceId` left the HAN (removed from the device log while joined). */
  | { type: 'han.deviceLeft'; deviceId: Eui }
  /** Meter: it bound (join service) or unbound the other device. */
  | { type: 'han.bound'; deviceId: Eui }
  | { type: 'han.unbound'; deviceId: Eui };

/** Set → device. */
export type HanDownlink =
  | { type: 'han.joinRequest'; deviceId: Eui; installCode: string }
  | { type: 'han.joinResult'; joined: boolean }
  | { type: 'han.peerJoined'; deviceId: Eui }
  | { type: 'han.peerLeft'; deviceId: Eui }
  | { type: 'han.bound'; meterId: Eui }
  | { type: 'han.unbound'; meterId: Eui };

/** An EUI as an alert payload: its 8 bytes, lower-case hex. */
export function euiPayload(eui: Eui): string {
  return eui.replaceAll('-', '').toLowerCase();
}
