import { assumed } from '../../common/assumptions';
import type { Vendor } from '../common/types';
import { elsterProfile } from './elster';
import { itronProfile } from './itron';
import { assumedValues } from './report';
import type { VendorProfile } from './types';

export { itronProfile } from './itron';
export { elsterProfile } from './elster';
export { profileReport, assumedValues } from './report';

export const VENDOR_PROFILES: Readonly<Record<Vendor, VendorProfile>> = { itron: itronProfile, elster: elsterProfile };

// Every assumed value a vendor's devices run with goes into the one registry as `<vendor>.<path>`, e.g.
// `itron.esme.voltageDefaults.swellThreshold`: the devices read the profile, a run lists the registrations.
for (const profile of Object.values(VENDOR_PROFILES)) {
  for (const row of assumedValues(profile)) assumed(`${profile.vendor}.${row.path}`, row.value, row.note);
}
