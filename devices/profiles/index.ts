import type { Vendor } from '../common/types';
import { elsterProfile } from './elster';
import { itronProfile } from './itron';
import type { VendorProfile } from './types';

export { itronProfile } from './itron';
export { elsterProfile } from './elster';
export { profileReport, assumedValues } from './report';

export const VENDOR_PROFILES: Readonly<Record<Vendor, VendorProfile>> = { itron: itronProfile, elster: elsterProfile };
