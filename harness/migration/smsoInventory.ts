/**
 * What the SMSO's migration file records of each device it hands over: vendor, type and firmware (the MA110-style
 * inventory the eligibility checks read). An independent record of the devices, as the DCC receives it: written
 * here, not read from the emulated devices' profiles, so the migration judges an installation by its paperwork as
 * the DCC does, and a device whose firmware moved on without the file shows up as the mismatch it is. That the RTDS
 * bench's emulated devices run what this file says is checked over the bench protocol (readDeviceInfo) in
 * tests/migration/smsoInventory.test.ts, not assumed by sharing a table.
 *
 * The firmware strings are assumed: no public source gives a SMETS1 product's firmware (the emulated products'
 * strings, written out again).
 */
import { assumed } from '../../common/assumptions';
import type { DeviceType } from '../duis/serviceCatalogue';
import type { Vendor } from '../s1sp/vendors';

const INVENTORY_SOURCE =
  "assumed: an SMSO's migration file records each device's model and firmware, which no public source gives for " +
  'a SMETS1 product; these are the firmware strings the emulated products report';

const SMSO_FIRMWARE: Readonly<Record<Vendor, Readonly<Record<DeviceType, string>>>> = {
  itron: assumed(
    'migration.smsoInventory.itron',
    {
      CHF: 'ITRON-CH-01.06.02',
      ESME: 'ITRON-ESME-02.11.00',
      GSME: 'ITRON-GSME-01.09.04',
      PPMID: 'ITRON-PPMID-01.02.00',
    },
    INVENTORY_SOURCE,
  ),
  elster: assumed(
    'migration.smsoInventory.elster',
    { CHF: 'ELSTER-CH-3.2.1', ESME: 'ELSTER-ESME-4.1.7', GSME: 'ELSTER-GSME-2.0.5', PPMID: 'ELSTER-PPMID-1.4.0' },
    INVENTORY_SOURCE,
  ),
};

/** The firmware the SMSO's file records for a vendor's device of this type. */
export function inventoryFirmware(vendor: Vendor, type: DeviceType): string {
  return SMSO_FIRMWARE[vendor][type];
}
