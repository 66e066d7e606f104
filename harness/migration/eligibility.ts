/**
 * The checks before any device is touched: is every device an eligible product, is the installation's data
 * consistent (MA110-style: every inventory device known to the DSP, in this installation, of the type the file says;
 * both meter points present), and is it a split-supplier home. A failure here is a correct rejection at the start
 * (the seeds count it right-first-time), not a failed attempt.
 *
 * The eligible product list is the migration's own (products.ts), written from the EPCL entries; its firmware
 * strings are assumed.
 */
import type { RegistrationData } from '../dsp/registrationData';
import type { MigrationInstallation } from './installation';
import { isEligibleProduct } from './products';

/** GT01 and GTA8 come from the HAN pre-check, not from here: a dormant installation's gas failure under the 2020 rule. */
export type RejectionCode = 'ineligible-product' | 'split-supplier' | 'data-mismatch' | 'GT01' | 'GTA8';

export interface Rejection {
  readonly code: RejectionCode;
  readonly detail: string;
}

export interface EligibilityOptions {
  /** The split-supplier fix (Core 1.1, seeds 000): with it, a split-supplier home is migrated. Default off. */
  readonly splitSupplierFix?: boolean;
}

/** The first reason the installation may not be migrated, or undefined. */
export function eligibility(
  installation: MigrationInstallation,
  registration: RegistrationData,
  options: EligibilityOptions = {},
): Rejection | undefined {
  for (const d of installation.devices) {
    if (!isEligibleProduct(d.vendor, d.deviceType, d.firmwareVersion)) {
      return {
        code: 'ineligible-product',
        detail: `${d.deviceType} ${d.deviceId}: ${d.vendor} firmware ${d.firmwareVersion} is not on the eligible product list`,
      };
    }
  }
  for (const type of ['ESME', 'GSME', 'CHF'] as const) {
    if (!installation.devices.some((d) => d.deviceType === type))
      return { code: 'data-mismatch', detail: `the inventory has no ${type}` };
  }
  for (const d of installation.devices) {
    const record = registration.device(d.deviceId);
    if (record === undefined)
      return { code: 'data-mismatch', detail: `${d.deviceType} ${d.deviceId} is not in the DSP inventory` };
    if (record.deviceType !== d.deviceType)
      return {
        code: 'data-mismatch',
        detail: `${d.deviceId} is a ${record.deviceType} in the DSP inventory, a ${d.deviceType} in the migration file`,
      };
    if (record.installation !== installation.id)
      return {
        code: 'data-mismatch',
        detail: `${d.deviceId} belongs to installation ${record.installation}, not ${installation.id}`,
      };
  }
  const esme = installation.devices.find((d) => d.deviceType === 'ESME')!;
  const points = registration
    .meterPointsOf(esme.deviceId)
    .concat(registration.meterPointsOf(installation.devices.find((d) => d.deviceType === 'GSME')!.deviceId));
  const electricity = points.find((m) => m.fuel === 'electricity' && m.mpxn === installation.mpan);
  const gas = points.find((m) => m.fuel === 'gas' && m.mpxn === installation.mprn);
  if (electricity === undefined)
    return {
      code: 'data-mismatch',
      detail: `MPAN ${installation.mpan} is not registered for installation ${installation.id}`,
    };
  if (gas === undefined)
    return {
      code: 'data-mismatch',
      detail: `MPRN ${installation.mprn} is not registered for installation ${installation.id}`,
    };
  if (electricity.supplier !== gas.supplier && options.splitSupplierFix !== true) {
    return {
      code: 'split-supplier',
      detail: `split supplier: electricity ${electricity.supplier}, gas ${gas.supplier}; not migrated until the fix (Core 1.1)`,
    };
  }
  return undefined;
}
