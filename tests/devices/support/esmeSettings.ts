/**
 * A vendor profile with some ESME settings and voltage defaults replaced, each an `assumed` value with the test's
 * note: the short or shifted periods and what-if thresholds the ESME's tests run on, written as the numbers only.
 */
import type { EsmeProfile } from '../../../devices/esme/esmeProfile';
import type { Sourced, VendorProfile } from '../../../devices/profiles/types';

/** The ESME profile's settings that are one sourced number. */
type NumberSetting = {
  [K in keyof EsmeProfile]: EsmeProfile[K] extends Sourced<number> ? K : never;
}[keyof EsmeProfile];

export function withEsmeSettings(
  base: VendorProfile,
  note: string,
  changes: {
    voltage?: Partial<Record<keyof EsmeProfile['voltageDefaults'], number>>;
    esme?: Partial<Record<NumberSetting, number>>;
  },
): VendorProfile {
  const assumed = (values: Record<string, number> = {}) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value, source: 'assumed', note }]));
  return {
    ...base,
    esme: {
      ...base.esme,
      ...assumed(changes.esme),
      voltageDefaults: { ...base.esme.voltageDefaults, ...assumed(changes.voltage) },
    },
  };
}
