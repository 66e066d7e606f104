/**
 * The shipped calibration (fleet/calibration.yaml) against the device model it sits on: a poor gas HAN's good day
 * sets the GSME back to the calibration's good-day loss, which must be the loss the GSME has anyway (its vendor
 * profile's), or a good day would be a third kind of day and every figure would move.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VENDOR_PROFILES } from '../../devices/profiles';
import { loadFleetConfig } from '../../harness/fleet/config';

const SHIPPED = fileURLToPath(new URL('../../fleet/calibration.yaml', import.meta.url));

describe('the shipped calibration', () => {
  it("puts a poor gas HAN's good day at the GSME's own loss, every vendor's, labelled assumed", () => {
    const { config } = loadFleetConfig(SHIPPED);
    const goodDay = config.population.poorGasHanGoodDayLossRate;
    for (const vendor of ['itron', 'elster'] as const)
      expect([vendor, goodDay.value]).toEqual([vendor, VENDOR_PROFILES[vendor].devices.GSME.hanFailureRate.value]);
    expect(goodDay.source).toBe('assumed');
    expect(goodDay.note).toContain('hanFailureRate');
  });
});
