/**
 * Time-weighted average of a piecewise-constant RMS voltage over a window.
 *
 * The bench drives the voltage as a sequence of `mainsVoltage` steps: each value holds from its instant until
 * the next step. So the average over a window is the integral of that step function divided by the window's
 * length, and it only needs updating when the voltage changes or the window closes. The state is plain JSON
 * (it lives in the machine context and must survive a persisted-snapshot round trip).
 */

export interface AveragingWindow {
  /** When the window opened (ms since the epoch). */
  startedAt: number;
  /** The instant up to which `voltMilliseconds` has been integrated. */
  integratedUntil: number;
  /** The voltage holding since `integratedUntil`. */
  voltage: number;
  /** ∫ v dt from `startedAt` to `integratedUntil`, in volt-milliseconds. */
  voltMilliseconds: number;
}

export function openWindow(at: number, voltage: number): AveragingWindow {
  return { startedAt: at, integratedUntil: at, voltage, voltMilliseconds: 0 };
}

/** The voltage steps to `voltage` at `at`: integrate the old level up to `at`, then hold the new one. */
export function stepVoltage(window: AveragingWindow, at: number, voltage: number): AveragingWindow {
  return {
    startedAt: window.startedAt,
    integratedUntil: at,
    voltage,
    voltMilliseconds: window.voltMilliseconds + window.voltage * (at - window.integratedUntil),
  };
}

/**
 * The average over [startedAt, at], rounded to 0.1 V: the meter reports voltages to one decimal place
 * (docs/contract.md), and the thresholds are compared with the value it reports, so that a test engineer reading
 * a record can tell from it alone whether an alert was due.
 */
export function windowAverage(window: AveragingWindow, at: number): number {
  const length = at - window.startedAt;
  if (length <= 0) return roundToDecivolts(window.voltage);
  const total = window.voltMilliseconds + window.voltage * (at - window.integratedUntil);
  return roundToDecivolts(total / length);
}

function roundToDecivolts(volts: number): number {
  return Math.round(volts * 10) / 10;
}
