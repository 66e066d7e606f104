/**
 * What a failed expectation says came instead (issue 17): the alerts that did arrive in an alert window, each with
 * its DUIS description, and the nearest miss outside it; for a refused request, the device's refusal as the S1SP
 * reported it in the response's SMETS1Debug. The executor (executor.ts) gives these plain inputs; nothing here
 * runs a bench, so each text can be tested on hand-built alerts and responses.
 */
import { alertDescription, alertHex, dccAlertDescription } from '../duis/alertDescriptions';
import type { DuisResponseReading } from '../duis/responseReader';

/** An alert as the DCC user gets it: its code (GBCS as a number, or a DCC code), its originator, its time. */
export interface SeenAlert {
  readonly at: number;
  readonly gbcs?: number;
  readonly dcc?: string;
  readonly originator: string;
}

/** `0x8F48 "Device joining failed"`, `N24 "Update HAN Device Log Result"`: every DUIS alert code with its description. */
export function alertName(alert: Pick<SeenAlert, 'gbcs' | 'dcc'>): string {
  if (alert.gbcs !== undefined) {
    const description = alertDescription(alert.gbcs);
    return `0x${alertHex(alert.gbcs)}${description === undefined ? '' : ` "${description}"`}`;
  }
  if (alert.dcc !== undefined) {
    const description = dccAlertDescription(alert.dcc);
    return `${alert.dcc}${description === undefined ? '' : ` "${description}"`}`;
  }
  return 'an alert without a code';
}

/** Seconds relative to the end of the step the window follows: `+30 s`, `-2 s`. */
function relative(at: number, stepEndMs: number): string {
  const s = (at - stepEndMs) / 1000;
  return `${s < 0 ? '-' : '+'}${Math.abs(s)} s`;
}

/** Alerts of one code from one originator are told once, with their count and span; at most this many kinds. */
const MAX_KINDS = 10;

function listed(alerts: readonly SeenAlert[], stepEndMs: number): string {
  const kinds = new Map<string, SeenAlert[]>();
  for (const alert of alerts) {
    const key = `${alertName(alert)} from ${alert.originator}`;
    const same = kinds.get(key);
    if (same === undefined) kinds.set(key, [alert]);
    else same.push(alert);
  }
  const told = [...kinds].slice(0, MAX_KINDS).map(([key, same]) => {
    const first = relative(same[0]!.at, stepEndMs);
    return same.length === 1
      ? `${key} at ${first}`
      : `${key} ${same.length} times, ${first} to ${relative(same[same.length - 1]!.at, stepEndMs)}`;
  });
  if (kinds.size > MAX_KINDS) told.push(`and ${kinds.size - MAX_KINDS} other kinds of alert`);
  return told.join('; ');
}

export interface AlertWindow {
  /** The end of the step before the expect: the times in the text are relative to it. */
  readonly stepEndMs: number;
  /** The window's last instant (step end + `within`). */
  readonly deadline: number;
  /** Every alert that arrived in the window, whatever its code or device, in arrival order. */
  readonly inWindow: readonly SeenAlert[];
  /** The alerts of the expected code and device that arrived outside the window (before it or after it), so far. */
  readonly outside: readonly SeenAlert[];
}

/** What came, for an `alert` expectation that found nothing matching: the window's alerts and the nearest miss. */
export function missingAlertText(window: AlertWindow): string {
  const parts = ['no such alert'];
  parts.push(
    window.inWindow.length === 0
      ? 'no alert at all arrived in the window'
      : `in the window came ${listed(window.inWindow, window.stepEndMs)}`,
  );
  const miss = nearestMiss(window);
  if (miss !== undefined) {
    const when =
      miss.at > window.deadline
        ? `${(miss.at - window.deadline) / 1000} s after the window closed`
        : `${(window.stepEndMs - miss.at) / 1000} s before the step ended, before the window opened`;
    parts.push(`nearest miss: ${alertName(miss)} from ${miss.originator} ${when}`);
  }
  return parts.join('; ');
}

/** What came, for a `noAlert` expectation that saw matching alerts: how many, and each with its description. */
export function unwantedAlertsText(found: readonly SeenAlert[], stepEndMs: number): string {
  if (found.length === 0) return 'no such alert';
  return `${found.length} such alert${found.length === 1 ? '' : 's'}: ${listed(found, stepEndMs)}`;
}

/** The matching alert closest in time to the window, before or after it. */
function nearestMiss(window: AlertWindow): SeenAlert | undefined {
  const distance = (a: SeenAlert) => (a.at > window.deadline ? a.at - window.deadline : window.stepEndMs - a.at);
  let best: SeenAlert | undefined;
  for (const alert of window.outside) if (best === undefined || distance(alert) < distance(best)) best = alert;
  return best;
}

/**
 * The device's refusal in a DUIS response, as the S1SP reports it: each `SMETS1Debug/SMETS1Response`'s Error (with
 * its step position and GBCS response code). Empty when the response carries none.
 */
export function refusalsOf(reading: DuisResponseReading): string[] {
  const entries = reading.smets1?.debugEntries ?? [];
  return entries.map(
    (entry) => `${entry.error} (step ${entry.position || '?'}, response code ${entry.responseCode || '?'})`,
  );
}

/** `MessageSuccess false (the device refused: hanLogAdd answered invalidParameter (step 1, response code 2))`. */
export function messageSuccessText(flags: readonly string[], refusals: readonly string[]): string {
  if (flags.length === 0)
    return refusals.length === 0
      ? 'no SMETS1 response'
      : `no SMETS1 response; the device refused: ${refusals.join('; ')}`;
  return `MessageSuccess ${flags.join(', ')}${refusals.length === 0 ? '' : ` (the device refused: ${refusals.join('; ')})`}`;
}
