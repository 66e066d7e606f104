/**
 * One installation awaiting migration, as the DCC's migration service sees it: the devices of a bench set (set 0's
 * RTDS EUIs), its meter points, and the SMSO's inventory record of each device (the MA110-style data the eligibility
 * checks read). Registration Data for it holds every device `InstalledNotCommissioned` (assumed: the DSP knows a
 * migrating device from the migration inventory before commissioning; DUIS names the status, not when it is set).
 */
import { RegistrationData, RTDS_DEVICES, RTDS_USERS, type SmiStatus } from '../dsp/registrationData';
import type { DeviceType } from '../duis/serviceCatalogue';
import type { Vendor } from '../s1sp/vendors';
import { inventoryFirmware } from './smsoInventory';

export type InstallationKind = 'dormant' | 'active';

/** What the SMSO's migration file says about one device (vendor and firmware, as the product list is keyed). */
export interface InventoryDevice {
  readonly deviceId: string;
  readonly deviceType: DeviceType;
  readonly vendor: Vendor;
  readonly firmwareVersion: string;
}

export interface MigrationInstallation {
  readonly id: string;
  readonly kind: InstallationKind;
  readonly mpan: string;
  readonly mprn: string;
  /** The registered electricity supplier and, when it differs (split supplier), the gas one. */
  readonly electricitySupplier: string;
  readonly gasSupplier: string;
  readonly networkOperator: string;
  readonly devices: readonly InventoryDevice[];
}

/** The devices by type (every installation here has one of each; the PPMID is optional). */
export function deviceOf(installation: MigrationInstallation, type: DeviceType): string | undefined {
  return installation.devices.find((d) => d.deviceType === type)?.deviceId;
}

/**
 * The installation of a DuisBench's set 0 (RTDS EUIs unless `ids` says otherwise), its inventory the SMSO's file
 * (smsoInventory.ts), not the devices. `gasSupplier` other than the RTDS supplier makes it a split-supplier home;
 * `firmware` overrides one device's inventory record.
 */
export function benchInstallation(options: {
  readonly vendor: Vendor;
  readonly kind: InstallationKind;
  readonly ppmid?: boolean;
  readonly gasSupplier?: string;
  readonly firmware?: Partial<Record<DeviceType, string>>;
  /** The devices' EUIs where they are not the RTDS ones (a pack's `bench.euis`). */
  readonly ids?: Partial<Record<DeviceType, string>>;
}): MigrationInstallation {
  const types: DeviceType[] = ['ESME', 'GSME', 'CHF', ...(options.ppmid === false ? [] : (['PPMID'] as const))];
  const ids: Record<DeviceType, string> = {
    ESME: RTDS_DEVICES.esme,
    GSME: RTDS_DEVICES.gsme,
    CHF: RTDS_DEVICES.chf,
    PPMID: RTDS_DEVICES.ppmid,
    ...options.ids,
  };
  return {
    id: 'RTDS-1',
    kind: options.kind,
    mpan: '1312345678111',
    mprn: '1234567890',
    electricitySupplier: RTDS_USERS.supplier,
    gasSupplier: options.gasSupplier ?? RTDS_USERS.supplier,
    networkOperator: RTDS_USERS.networkOperator,
    devices: types.map((deviceType) => ({
      deviceId: ids[deviceType],
      deviceType,
      vendor: options.vendor,
      firmwareVersion: options.firmware?.[deviceType] ?? inventoryFirmware(options.vendor, deviceType),
    })),
  };
}

/**
 * Registration Data for the installation before migration: its meter points (a split-supplier home names a second
 * supplier for gas, a SEC party with the GS role), every device `InstalledNotCommissioned`, and the network
 * operator on record as the holder of the meters' network-operator slots (the SMSO provisioned the registered DNO).
 */
export function migrationRegistrationData(
  installation: MigrationInstallation,
  status: SmiStatus = 'InstalledNotCommissioned',
): RegistrationData {
  const split = installation.gasSupplier !== installation.electricitySupplier;
  const meters = installation.devices.filter((d) => d.deviceType === 'ESME' || d.deviceType === 'GSME');
  return new RegistrationData({
    users: [
      { userId: installation.electricitySupplier, roles: split ? ['IS'] : ['IS', 'GS'] },
      ...(split ? [{ userId: installation.gasSupplier, roles: ['GS' as const] }] : []),
      { userId: installation.networkOperator, roles: ['ED', 'GT'] },
    ],
    meterPoints: [
      {
        mpxn: installation.mpan,
        fuel: 'electricity',
        installation: installation.id,
        supplier: installation.electricitySupplier,
        networkOperator: installation.networkOperator,
      },
      {
        mpxn: installation.mprn,
        fuel: 'gas',
        installation: installation.id,
        supplier: installation.gasSupplier,
        networkOperator: installation.networkOperator,
      },
    ],
    devices: installation.devices.map((d) => ({
      deviceId: d.deviceId,
      deviceType: d.deviceType,
      installation: installation.id,
      smiStatus: status,
    })),
    networkOperatorSlots: Object.fromEntries(meters.map((d) => [d.deviceId, installation.networkOperator])),
  });
}
