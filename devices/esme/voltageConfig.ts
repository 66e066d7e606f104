/**
 * Validation of an SR 6.5 voltage configuration (`voltageConfig`).
 *
 * GBCS carries each threshold and period as an unsigned 16-bit field, so periods are whole seconds in
 * 1..65535 and thresholds must be positive. Beyond that, two orderings (assumed rule, not public):
 *
 *   extremeUnder ≤ sag < swell ≤ extremeOver        averageUnder < averageOver
 *
 * An extreme threshold beyond its sag/swell neighbour would make the "extreme" alert fire on milder excursions
 * than the ordinary one; a sag threshold above the swell threshold, or an average under-threshold at or above the
 * over-threshold, would put a steady voltage in both excursions at once. The average band is not ordered against
 * the sag/swell band: it judges a period's mean, they judge the instantaneous RMS, and the DCC's own RTDS 6.5
 * templates (ECS29a/c: average 200 / 264 V around sag/swell 216 / 253 V) set it wider. Anything else is refused
 * with 'invalidParameter'.
 */
import type { EventFields } from '../common/types';
import type { VoltageConfig } from './esmeProfile';

const voltageConfigFields = [
  'averageOverThreshold',
  'averageUnderThreshold',
  'averageMeasurementPeriod',
  'extremeOverThreshold',
  'extremeOverPeriod',
  'extremeUnderThreshold',
  'extremeUnderPeriod',
  'sagThreshold',
  'sagPeriod',
  'swellThreshold',
  'swellPeriod',
] as const satisfies readonly (keyof VoltageConfig)[];

const periodFields = new Set<keyof VoltageConfig>([
  'averageMeasurementPeriod',
  'extremeOverPeriod',
  'extremeUnderPeriod',
  'sagPeriod',
  'swellPeriod',
]);

/** Largest value of a GBCS 16-bit unsigned period, in seconds. */
const maxPeriodSeconds = 0xffff;
/**
 * Largest voltage accepted, as a threshold or as a bench `mainsVoltage`: 16-bit decivolts would allow 6553.5 V,
 * but a 230 V meter is destroyed long before 1000 V, so anything above is a typing error (assumed bound).
 */
export const maxThresholdVolts = 1000;

function validField(field: keyof VoltageConfig, value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (periodFields.has(field)) return Number.isInteger(value) && value >= 1 && value <= maxPeriodSeconds;
  return value > 0 && value <= maxThresholdVolts;
}

/**
 * The configuration carried by `fields` if it is valid, else undefined. Extra fields (type, requestId) are
 * ignored; a missing or malformed field makes the whole request invalid (6.5 sets all of them at once).
 */
export function parseVoltageConfig(fields: EventFields<'voltageConfig'>): VoltageConfig | undefined {
  const config: Partial<VoltageConfig> = {};
  for (const field of voltageConfigFields) {
    const value = fields[field];
    if (!validField(field, value)) return undefined;
    config[field] = value;
  }
  const c = config as VoltageConfig;
  const ordered =
    c.extremeUnderThreshold <= c.sagThreshold &&
    c.sagThreshold < c.swellThreshold &&
    c.swellThreshold <= c.extremeOverThreshold &&
    c.averageUnderThreshold < c.averageOverThreshold;
  return ordered ? c : undefined;
}
