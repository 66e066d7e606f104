/**
 * Average RMS voltage against the average over/under thresholds (0x8002/0x8085, 0x8006/0x8089).
 *
 * The comparison is made once per measurement period, with the period's time-weighted average (rounded to
 * 0.1 V, see timeWeightedAverage.ts). Strict, like the instantaneous excursions: above means greater than the
 * over-threshold, below means less than the under-threshold. `null` stands for "no period completed since the
 * measurement (re)started": it is neither above nor back, so the alert state holds.
 */
import type { VoltageConfig } from './esmeProfile';

export function isAverageAbove(average: number | null, config: VoltageConfig): boolean {
  return average !== null && average > config.averageOverThreshold;
}

export function isAverageBackBelowOver(average: number | null, config: VoltageConfig): boolean {
  return average !== null && average <= config.averageOverThreshold;
}

export function isAverageBelow(average: number | null, config: VoltageConfig): boolean {
  return average !== null && average < config.averageUnderThreshold;
}

export function isAverageBackAboveUnder(average: number | null, config: VoltageConfig): boolean {
  return average !== null && average >= config.averageUnderThreshold;
}
