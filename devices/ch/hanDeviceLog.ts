/**
 * The CH's HAN device log (the whitelist of SR 8.11): which devices may join, with which install code, until when,
 * and whether they have. Pure functions over JSON data.
 */
import type { Eui } from '../common/types';

export interface HanLogEntry {
  deviceId: Eui;
  /** ZigBee install code, lower-case hex, 6–16 bytes. */
  installCode: string;
  /** The join window for this device, ms since the epoch: a join is let in while openedAt <= now < closesAt. */
  joinWindowOpenedAt: number;
  joinWindowClosesAt: number;
  joined: boolean;
}

/** DUIS SR 8.11 JoinTimePeriod range, seconds. */
const JOIN_PERIOD_MIN = 1;
const JOIN_PERIOD_MAX = 3600;

/**
 * The largest permit-join duration a one-byte ZigBee field can carry without meaning "forever" (0xFF before
 * ZigBee R21): the boundary of defect 91342.
 */
export const ONE_BYTE_JOIN_PERIOD_MAX = 255;

/**
 * Entries the device log holds. Assumed: no public SMETS1 document gives a CH's device log size; 16 is a typical
 * ZigBee SE trust-centre whitelist size (a home's HAN: meters, PPMID/IHD, a few CADs), chosen so that a bench can
 * fill it. It keeps every Read Device Log answer well inside the response's one-byte entry count.
 */
const HAN_DEVICE_LOG_CAPACITY = 16;

const INSTALL_CODE = /^(?:[0-9a-fA-F]{2}){6,16}$/;

export function isInstallCode(value: unknown): value is string {
  return typeof value === 'string' && INSTALL_CODE.test(value);
}

export function isJoinPeriod(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= JOIN_PERIOD_MIN && value <= JOIN_PERIOD_MAX;
}

export function findEntry(log: readonly HanLogEntry[], deviceId: Eui): HanLogEntry | undefined {
  return log.find((entry) => entry.deviceId === deviceId);
}

/** Whether the log has no room for this device (one already listed can always be updated). */
export function isLogFull(log: readonly HanLogEntry[], deviceId: Eui): boolean {
  return log.length >= HAN_DEVICE_LOG_CAPACITY && findEntry(log, deviceId) === undefined;
}

/** Adds the device, or updates its install code and window if it is already listed (a joined device stays joined). */
export function upsertEntry(log: readonly HanLogEntry[], entry: HanLogEntry): HanLogEntry[] {
  const existing = findEntry(log, entry.deviceId);
  if (!existing) return [...log, entry];
  return log.map((candidate) =>
    candidate.deviceId === entry.deviceId ? { ...entry, joined: existing.joined } : candidate,
  );
}

export function removeEntry(log: readonly HanLogEntry[], deviceId: Eui): HanLogEntry[] {
  return log.filter((entry) => entry.deviceId !== deviceId);
}

export function markJoined(log: readonly HanLogEntry[], deviceId: Eui): HanLogEntry[] {
  return log.map((entry) => (entry.deviceId === deviceId ? { ...entry, joined: true } : entry));
}

export function isWindowOpen(entry: HanLogEntry, now: number): boolean {
  return entry.joinWindowOpenedAt <= now && now < entry.joinWindowClosesAt;
}
