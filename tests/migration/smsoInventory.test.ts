/**
 * The SMSO's inventory (harness/migration/smsoInventory.ts) is the migration's own record of the devices, not the
 * emulated devices' profiles: what the RTDS bench's devices run is asked of them over the bench protocol
 * (readDeviceInfo), and both are held to the firmware strings written out here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { assumption } from '../../common/assumptions';
import { itronProfile } from '../../devices/profiles';
import { DuisBench } from '../../harness/bench/duisBench';
import { RTDS_DEVICES } from '../../harness/dsp/registrationData';
import { benchInstallation } from '../../harness/migration/installation';

// written out by hand (docs/migration.md, the products' firmware), not read from either table
const FIRMWARE = {
  itron: {
    CHF: 'ITRON-CH-01.06.02',
    ESME: 'ITRON-ESME-02.11.00',
    GSME: 'ITRON-GSME-01.09.04',
    PPMID: 'ITRON-PPMID-01.02.00',
  },
  elster: { CHF: 'ELSTER-CH-3.2.1', ESME: 'ELSTER-ESME-4.1.7', GSME: 'ELSTER-GSME-2.0.5', PPMID: 'ELSTER-PPMID-1.4.0' },
} as const;

const EUIS = {
  CHF: RTDS_DEVICES.chf,
  ESME: RTDS_DEVICES.esme,
  GSME: RTDS_DEVICES.gsme,
  PPMID: RTDS_DEVICES.ppmid,
} as const;

let bench: DuisBench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

describe("the SMSO's inventory", () => {
  for (const vendor of ['itron', 'elster'] as const) {
    it(`records for ${vendor} the firmware the RTDS bench's devices report over the bench protocol`, async () => {
      const inventory = benchInstallation({ vendor, kind: 'dormant' }).devices;
      expect(Object.fromEntries(inventory.map((d) => [d.deviceType, d.firmwareVersion]))).toEqual(FIRMWARE[vendor]);
      expect(inventory.map((d) => [d.deviceType, d.deviceId])).toEqual(
        (['ESME', 'GSME', 'CHF', 'PPMID'] as const).map((type) => [type, EUIS[type]]),
      );

      bench = await DuisBench.start({ vendor, migrationState: 'smso' });
      for (const device of inventory) {
        const info = await bench.command(device.deviceId, { type: 'readDeviceInfo' });
        expect(info.status, device.deviceId).toBe('ok');
        expect(info.body, device.deviceId).toMatchObject({
          deviceType: device.deviceType === 'CHF' ? 'CH' : device.deviceType,
          vendor,
          firmwareVersion: FIRMWARE[vendor][device.deviceType],
        });
      }
    });
  }

  it('is not read from the device profiles: a profile whose firmware moved on leaves the record as it was', () => {
    const esme = itronProfile.devices.ESME as { firmwareVersion: typeof itronProfile.devices.ESME.firmwareVersion };
    const original = esme.firmwareVersion;
    esme.firmwareVersion = { ...original, value: 'ITRON-ESME-02.12.00' };
    try {
      const record = benchInstallation({ vendor: 'itron', kind: 'active' }).devices.find(
        (d) => d.deviceType === 'ESME',
      );
      expect(record?.firmwareVersion).toBe('ITRON-ESME-02.11.00');
    } finally {
      esme.firmwareVersion = original;
    }
  });

  it('is registered as assumed, with why', () => {
    expect(assumption('migration.smsoInventory.itron').value).toEqual(FIRMWARE.itron);
    expect(assumption('migration.smsoInventory.elster').value).toEqual(FIRMWARE.elster);
    expect(assumption('migration.smsoInventory.itron').source).toMatch(/^assumed: an SMSO's migration file records/);
  });
});
