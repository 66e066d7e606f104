/** Event models and inputs shared by the model-based tests and the scenario tests. */
import type { AnyEventObject } from 'xstate';
import { REMOTE_PARTY_ROLES as R } from '../../../common/credentials/roles';
import type { DeviceType } from '../../../devices/common/types';
import type { VendorProfile } from '../../../devices/profiles/types';
import { T0 } from './deviceHarness';
import { clockSync, pki, replacement } from './pki';

export const EUI = {
  ESME: '00-DB-12-34-56-78-90-A0',
  GSME: '00-DB-12-34-56-78-90-A1',
  CH: '00-DB-12-34-56-78-90-A2',
  PPMID: '00-DB-12-34-56-78-90-A3',
} as const;

export const INSTALL_CODE = '0011223344556677';

export const command = (type: string, fields: Record<string, unknown> = {}): AnyEventObject => ({
  type,
  requestId: `model:${type}`,
  ...fields,
});

/**
 * The core's commands for the device `eui`, each in the variants that take different transitions: a replacement
 * accepted (the supplier re-installing its own certificate, counter 1), authenticated but refused part-way (the
 * network operator, authenticated, sending a supplier certificate for its slot: 0x8F30, the dumb trigger), forged
 * (signed by the network operator for the supplier's mode: 0x8F3D, changes nothing), by recovery, and a clockSync
 * signed by the supplier with counter 2. Fixed counters: the traversal replays the same events on many paths; a
 * repeat is refused as a replay (0x8F3E) and changes nothing.
 */
export const coreCommands = (eui: string): AnyEventObject[] => [
  command('readDeviceInfo'),
  command('readCredentials', { role: R.supplier }),
  command(
    'replaceCredentials',
    replacement(eui, R.supplier, 'supplierBySupplier', pki.parties[R.supplier].certificate, R.supplier, 1),
  ),
  {
    ...command(
      'replaceCredentials',
      replacement(eui, R.networkOperator, 'NObyNO', pki.parties[R.supplier].certificate, R.networkOperator, 1),
    ),
    requestId: 'model:refusedPartWay',
  },
  {
    ...command(
      'replaceCredentials',
      replacement(eui, R.supplier, 'supplierBySupplier', pki.parties[R.supplier].certificate, R.networkOperator, 1),
    ),
    requestId: 'model:forged',
  },
  {
    ...command(
      'replaceCredentials',
      replacement(
        eui,
        R.supplier,
        'anyExceptAbnormalRootByRecovery',
        pki.parties[R.supplier].certificate,
        R.recovery,
        1,
      ),
    ),
    requestId: 'model:recovery',
  },
  command('readEventLog', { log: 'event', from: 0, to: T0 }),
  command('commission', { currentTime: T0, tolerancePeriod: 60 }),
  command('clockSync', clockSync(eui, T0, { counter: 2 })),
  command('injectFault', { fault: 'hanFailureRate', value: 0 }),
  // a command of another device type: the core's '*' answers unsupported
  command('readNetworkData', { from: 0, to: T0 }),
];

/** The profile with nothing supported for one device type: every command's `unsupported` branch. */
export function withNothingSupported(profile: VendorProfile, type: DeviceType): VendorProfile {
  const device = profile.devices[type];
  return {
    ...profile,
    devices: {
      ...profile.devices,
      [type]: { ...device, supportedCommands: { ...device.supportedCommands, value: [] } },
    },
  };
}

/** The profile with a lossless HAN for one device type (losses are tested on their own). */
export function withLosslessHan(profile: VendorProfile, type: DeviceType): VendorProfile {
  const device = profile.devices[type];
  return {
    ...profile,
    devices: { ...profile.devices, [type]: { ...device, hanFailureRate: { ...device.hanFailureRate, value: 0 } } },
  };
}
