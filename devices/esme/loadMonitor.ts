/**
 * Active power and power factor as the meter measures them, and what they drive: the load-limit alert
 * (0x8F01), the power-factor alerts (0x8014/0x8015) and the IHD ambient state set by SR 6.12.
 *
 * The `load` stimulus is the consumer's demand. The meter only measures it while current flows, that is while
 * the supply (contactor) is enabled: disabled or armed, the measured active power is 0 W.
 */
import type { EventFields } from '../common/types';
import type { PowerThresholds } from './esmeProfile';

/** The consumer's demand, as the bench last set it. */
export interface Demand {
  activePower: number;
  powerFactor: number;
}

export type AmbientState = 'low' | 'medium' | 'high';

/** Active power import the meter measures: the demand while the contactor is closed, else nothing. */
export function measuredActivePower(demand: Demand, supplyEnabled: boolean): number {
  return supplyEnabled ? Math.max(0, demand.activePower) : 0;
}

/** Load limit: strictly above the threshold counts (0x8F01 after the load-limit period). */
export function isAboveLoadLimit(activePower: number, loadLimitThreshold: number): boolean {
  return activePower > loadLimitThreshold;
}

/**
 * Power factor is only defined while current flows: with no measured power the meter has nothing to judge,
 * so neither "low" nor "back" holds and the power-factor alert state is kept as it was.
 */
export function isPowerFactorLow(activePower: number, powerFactor: number, threshold: number): boolean {
  return activePower > 0 && powerFactor < threshold;
}

export function isPowerFactorBack(activePower: number, powerFactor: number, threshold: number): boolean {
  return activePower > 0 && powerFactor >= threshold;
}

/** IHD ambient colour: below lowMedium is low, below mediumHigh is medium, else high. */
export function ambientState(activePower: number, thresholds: PowerThresholds): AmbientState {
  if (activePower < thresholds.lowMediumThreshold) return 'low';
  if (activePower < thresholds.mediumHighThreshold) return 'medium';
  return 'high';
}

/** SR 6.12 validation: two non-negative finite thresholds, lowMedium strictly below mediumHigh. */
export function parsePowerThresholds(fields: EventFields<'powerThresholds'>): PowerThresholds | undefined {
  const { lowMediumThreshold, mediumHighThreshold } = fields;
  if (typeof lowMediumThreshold !== 'number' || typeof mediumHighThreshold !== 'number') return undefined;
  if (!Number.isFinite(lowMediumThreshold) || !Number.isFinite(mediumHighThreshold)) return undefined;
  if (lowMediumThreshold < 0 || lowMediumThreshold >= mediumHighThreshold) return undefined;
  return { lowMediumThreshold, mediumHighThreshold };
}

/** Validation of the `load` stimulus: finite power, power factor within 0..1. */
export function parseDemand(fields: EventFields<'load'>): Demand | undefined {
  const { activePower, powerFactor } = fields;
  if (typeof activePower !== 'number' || !Number.isFinite(activePower)) return undefined;
  if (typeof powerFactor !== 'number' || !(powerFactor >= 0 && powerFactor <= 1)) return undefined;
  return { activePower, powerFactor };
}
