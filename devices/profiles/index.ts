import type { Vendor } from '../common/types';
import { elsterProfile } from './elster';
import { itronProfile } from './itron';
import type { VendorProfile } from './types';

export type { VendorProfile, DeviceProfile, GsmeProfile, PpmidProfile, MigrationStep, DurationDistribution, Sourced, ValueSource } from './types';
export { itronProfile } from './itron';
export { elsterProfile } from './elster';
export { sampleDuration, migrationBounds, minSeconds, maxSeconds } from './distribution';
export { profileReport, assumedValues, type ProfileValueRow } from './report';

export const VENDOR_PROFILES: Readonly<Record<Vendor, VendorProfile>> = { itron: itronProfile, elster: elsterProfile };

export function profileFor(vendor: Vendor): VendorProfile {
  return VENDOR_PROFILES[vendor];
}
