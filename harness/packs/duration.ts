/**
 * Durations in pack files: one place that reads them. A duration is whole numbers with units, largest unit first,
 * each unit at most once: `300s`, `90min` (or `90m`), `2h`, `1h30m`, `7d`, `250ms`. Whole milliseconds, so virtual
 * time stays exact; a bare number is refused because its unit would be a guess.
 */

/** Capturing form: days, hours, minutes, seconds, milliseconds. */
const DURATION = /^(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)(?:min|m(?!s)))?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** The same grammar for the JSON Schema `pattern` (no capture groups needed there). */
export const DURATION_PATTERN = DURATION.source;

export const DURATION_EXPECTED =
  'a duration like 300s, 90min, 2h or 1h30m (units d, h, min or m, s, ms; largest first)';

const UNIT_MS = [86_400_000, 3_600_000, 60_000, 1000, 1] as const;

/** Milliseconds in `text`, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (match === null) return undefined;
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    const digits = match[i + 1];
    if (digits !== undefined) ms += Number(digits) * UNIT_MS[i];
  }
  return Number.isSafeInteger(ms) ? ms : undefined;
}
