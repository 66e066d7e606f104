import { createDeviceCoreContext, type DeviceCoreContext, type DeviceCoreInput } from '../common/coreContext';
import type { Eui } from '../common/types';
import type { HanLogEntry } from './hanDeviceLog';

export interface ChContext extends DeviceCoreContext {
  deviceLog: HanLogEntry[];
  /** The profile's join window maximum, seconds (Elster 255, Itron 3600). */
  joinWindowMax: number;
  /** When the network's permit-join ends, ms: the latest close of any open window (0: never opened). */
  permitJoinUntil: number;
}

/** A device already on the HAN when the CH starts (the set's own meters). */
export interface InitialLogEntry {
  deviceId: Eui;
  installCode: string;
  joined: boolean;
}

export interface ChInput extends DeviceCoreInput {
  deviceLog?: InitialLogEntry[];
}

export function createChContext(input: ChInput): ChContext {
  return createDeviceCoreContext('CH', input, {
    deviceLog: (input.deviceLog ?? []).map((entry) => ({
      deviceId: entry.deviceId,
      installCode: entry.installCode.toLowerCase(),
      joinWindowOpenedAt: 0,
      joinWindowClosesAt: 0,
      joined: entry.joined,
    })),
    joinWindowMax: input.profile.joinWindowMax.value,
    permitJoinUntil: 0,
  });
}
