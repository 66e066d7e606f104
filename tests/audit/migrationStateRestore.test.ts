/**
 * Audit of the migration as context (devices/common/deviceCore.ts migrationOn: `migrationState` and `swapInProgress`,
 * once a region's mirror): every device, persisted in each of smso, dumb and dcc and restored (through JSON, with an
 * input naming the other start state, as an emulator restarted with other options), has the migration of the
 * snapshot, answers readDeviceInfo with that state, and moves on from it (dumb → recovery → the swap → commission →
 * dcc).
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { REMOTE_PARTY_ROLES as R } from '../../common/credentials/roles';
import { chMachine } from '../../devices/ch';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { gsmeMachine } from '../../devices/gsme';
import { ppmidMachine } from '../../devices/ppmid';
import { itronProfile } from '../../devices/profiles';
import { startDevice, T0 } from '../devices/support/deviceHarness';
import { initialSlots, newParty, replacement } from '../devices/support/pki';

const EUI = '00-DB-12-34-56-78-90-B1';
const INSTALL_CODE = '0011223344556677';
const dccSupplier = newParty(R.supplier, '90-B3-D5-1F-30-01-00-0A');
const dccNetworkOperator = newParty(R.networkOperator, '90-B3-D5-1F-30-02-00-09');
const devices = [
  ['CH', chMachine, {}],
  ['ESME', esmeMachine, {}],
  ['GSME', gsmeMachine, {}],
  ['PPMID', ppmidMachine, { installCode: INSTALL_CODE }],
] as const;

type Device = ReturnType<typeof startDevice<AnyStateMachine>>;

/** Where the device stands in the migration: its state, and whether a swap is in progress. */
const mirror = (device: Device) => {
  const { migrationState, swapInProgress } = device.actor.getSnapshot().context;
  return [migrationState, swapInProgress];
};

const toDumb = (device: Device) => {
  device.command(
    'replaceCredentials',
    replacement(EUI, R.supplier, 'supplierBySupplier', dccSupplier.certificate, R.supplier),
  );
  device.command(
    'replaceCredentials',
    replacement(EUI, R.networkOperator, 'NObyNO', dccSupplier.certificate, R.networkOperator),
  );
};
const recover = (device: Device) =>
  device.command(
    'replaceCredentials',
    replacement(EUI, R.networkOperator, 'anyExceptAbnormalRootByRecovery', dccNetworkOperator.certificate, R.recovery),
  ).status;
const commission = (device: Device) => device.command('commission', { currentTime: T0, tolerancePeriod: 60 }).status;

describe('migrationState after a restore from each state, on every device', () => {
  for (const [name, machine, own] of devices) {
    const input = (migrationState: 'smso' | 'dcc') => ({
      eui: EUI,
      profile: itronProfile,
      credentials: initialSlots,
      migrationState,
      ...own,
    });
    const start = (migrationState: 'smso' | 'dcc', snapshot?: unknown) => {
      const device = startDevice(machine as AnyStateMachine, input(migrationState) as never, { snapshot });
      // the GSME's commands cross a lossy HAN first: none lost here (a restored device keeps the setting)
      if (snapshot === undefined) device.command('injectFault', { fault: 'hanFailureRate', value: 0 });
      return device;
    };
    const restored = (device: Device, migrationState: 'smso' | 'dcc') =>
      start(migrationState, JSON.parse(JSON.stringify(device.actor.getPersistedSnapshot())));
    const reported = (device: Device) =>
      (device.command('readDeviceInfo').body as { migrationState?: string }).migrationState;

    it(`${name}: restored in dumb (input dcc), recovered, commissioned`, () => {
      const device = start('smso');
      toDumb(device);
      expect(mirror(device)).toEqual(['dumb', false]);
      const again = restored(device, 'dcc');
      expect(mirror(again)).toEqual(['dumb', false]);
      expect(reported(again)).toBe('dumb');
      expect(recover(again)).toBe('ok');
      expect(mirror(again)).toEqual(['smso', true]);
      expect(commission(again)).toBe('ok');
      expect(mirror(again)).toEqual(['dcc', false]);
    });

    it(`${name}: restored in the swap (input dcc), commissioned`, () => {
      const device = start('smso');
      device.command(
        'replaceCredentials',
        replacement(EUI, R.supplier, 'supplierBySupplier', dccSupplier.certificate, R.supplier),
      );
      const again = restored(device, 'dcc');
      expect(mirror(again)).toEqual(['smso', true]);
      expect(reported(again)).toBe('smso');
      expect(commission(again)).toBe('ok');
      expect(mirror(again)).toEqual(['dcc', false]);
    });

    it(`${name}: restored in dcc (input smso) stays dcc`, () => {
      const device = start('smso');
      expect(commission(device)).toBe('ok');
      const again = restored(device, 'smso');
      expect(mirror(again)).toEqual(['dcc', false]);
      expect(reported(again)).toBe('dcc');
      // a recovery replacement moves nothing out of dcc
      recover(again);
      expect(mirror(again)).toEqual(['dcc', false]);
    });

    it(`${name}: created in dcc, restored with input smso`, () => {
      const again = restored(start('dcc'), 'smso');
      expect(mirror(again)).toEqual(['dcc', false]);
      expect(reported(again)).toBe('dcc');
    });
  }
});
