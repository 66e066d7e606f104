/**
 * A device's event and security logs (SR 6.13 Read Event or Security Log). Every alert the device raises is
 * logged with its time and code, whether or not alert behaviour lets it out. Logs are bounded rings: beyond the
 * profile's capacity the oldest entry is dropped, as a device's flash log wraps.
 */
import { SECURITY_LOG_ALERTS } from './alertCodes';

export interface LogEntry {
  /** ms since the Unix epoch (the clock's now when raised). */
  at: number;
  code: number;
}

export type LogName = 'event' | 'security';

export interface DeviceLogs {
  event: LogEntry[];
  security: LogEntry[];
}

export function emptyLogs(): DeviceLogs {
  return { event: [], security: [] };
}

function logFor(code: number): LogName {
  return SECURITY_LOG_ALERTS.has(code) ? 'security' : 'event';
}

/** The logs with one more entry in the log the code belongs to, the oldest dropped beyond `capacity`. */
export function appendToLog(logs: DeviceLogs, entry: LogEntry, capacity: number): DeviceLogs {
  const name = logFor(entry.code);
  const grown = [...logs[name], entry];
  return { ...logs, [name]: grown.length > capacity ? grown.slice(grown.length - capacity) : grown };
}

/** Entries of one log with `from <= at <= to`, oldest first. */
export function readLog(logs: DeviceLogs, name: LogName, from: number, to: number): LogEntry[] {
  return logs[name].filter((entry) => entry.at >= from && entry.at <= to);
}

export function isLogName(value: unknown): value is LogName {
  return value === 'event' || value === 'security';
}
