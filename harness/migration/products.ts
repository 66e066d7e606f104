/**
 * The eligible product list the migration checks an installation's inventory against (MA110: a device not on it
 * rejects the installation at the start). The migration's own list, not the emulated devices' profiles: a bench
 * whose device reports firmware the list lacks is rejected, as the DCC would reject it.
 *
 * Public (SECP_74_1511_06, seeds/002): the DCC's Eligible Products Combination List (EPCL) grew by entries of a
 * vendor and an installation kind, Itron Dormant first, then Itron Active and Honeywell Elster Dormant (November
 * 2019). The list is keyed by device model and firmware, which that paper does not publish, so the firmware strings
 * are assumed (the ones this project's emulated products carry), and every kind of installation of a listed product
 * is eligible here (Elster Active is migrated by the packs; its entry is assumed to have followed).
 */
import { assumed } from '../../common/assumptions';
import type { DeviceType } from '../duis/serviceCatalogue';
import type { Vendor } from '../s1sp/vendors';

const FIRMWARE_SOURCE =
  "assumed: the EPCL (SECP_74_1511_06: Itron Dormant, Itron Active, Honeywell Elster Dormant entries) lists models and firmware not published there; these strings are the emulated products'";

/** The firmware of each eligible product, by vendor and device type. */
const ELIGIBLE_FIRMWARE: Readonly<Record<Vendor, Readonly<Record<DeviceType, string>>>> = {
  itron: assumed(
    'migration.eligibleProducts.itron',
    {
      CHF: 'ITRON-CH-01.06.02',
      ESME: 'ITRON-ESME-02.11.00',
      GSME: 'ITRON-GSME-01.09.04',
      PPMID: 'ITRON-PPMID-01.02.00',
    },
    FIRMWARE_SOURCE,
  ),
  elster: assumed(
    'migration.eligibleProducts.elster',
    { CHF: 'ELSTER-CH-3.2.1', ESME: 'ELSTER-ESME-4.1.7', GSME: 'ELSTER-GSME-2.0.5', PPMID: 'ELSTER-PPMID-1.4.0' },
    FIRMWARE_SOURCE,
  ),
};

/** Whether a device of this vendor, type and firmware is on the list. */
export function isEligibleProduct(vendor: Vendor, type: DeviceType, firmware: string): boolean {
  return Object.hasOwn(ELIGIBLE_FIRMWARE, vendor) && ELIGIBLE_FIRMWARE[vendor][type] === firmware;
}
