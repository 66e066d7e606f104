/**
 * How reports write durations and virtual instants. One place, so the console, JUnit and HTML agree.
 */

/**
 * A virtual duration as a test engineer reads it: `350ms`, `12.5s`, `5m 00s`, `2h 03m 07.25s`. Whole
 * milliseconds (rounded); seconds keep only the decimals that are not zero.
 */
export function formatVirtualDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  const total = Math.round(Math.abs(ms));
  if (total < 1000) return `${sign}${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const secondsMs = total % 60_000;
  if (hours === 0 && minutes === 0) return `${sign}${seconds(secondsMs, false)}s`;
  const tail = `${seconds(secondsMs, true)}s`;
  if (hours === 0) return `${sign}${minutes}m ${tail}`;
  return `${sign}${hours}h ${String(minutes).padStart(2, '0')}m ${tail}`;
}

/** Seconds from whole milliseconds, trailing fractional zeros dropped; `pad` gives two integer digits. */
function seconds(ms: number, pad: boolean): string {
  const whole = String(Math.floor(ms / 1000));
  const fraction = String(ms % 1000).padStart(3, '0').replace(/0+$/, '');
  return `${pad ? whole.padStart(2, '0') : whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * Wall time: whole milliseconds under a second (`12ms`), above it the virtual format to a tenth of a second
 * (`1.2s`, `10m 44.1s`), since a run of minutes read as `644103ms` means counting digits.
 */
export function formatWallMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return Math.round(ms) < 1000 ? `${Math.round(ms)}ms` : formatVirtualDuration(Math.round(ms / 100) * 100);
}

/** A virtual instant in UTC, as the timeline axis shows it: `2026-01-01 00:05:00.000`. */
export function formatVirtualInstant(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? String(epochMs) : date.toISOString().replace('T', ' ').replace('Z', '');
}
