/** Honeywell Elster: CH, ESME, GSME and PPMID as the emulator models them. */
import { defaultEsmeProfile } from '../esme/esmeProfile';
import {
  defaultGsmeSettings,
  defaultPpmidSettings,
  deviceProfile,
  esmeDeviceProfile,
  gsmeAlertDefaults,
  gsmeHanFailureRate,
  gsmeHanMaxAttempts,
} from './deviceDefaults';
import type { VendorProfile } from './types';

const esme = defaultEsmeProfile;

export const elsterProfile: VendorProfile = {
  vendor: 'elster',
  displayName: 'Honeywell Elster',
  joinWindowMax: {
    value: 255,
    source: 'assumed',
    note:
      'public: SECP_74_1511_06 (risk 10) says an 8.11 with a join period over 255 s is rejected (defect 91342) and the ' +
      "DCC's fix clamps it to 255. Assumed: that the CH's own window never exceeds 255 s, read from a ZigBee " +
      'permit-join duration being one byte (0xFF meant "forever" before R21); the defect report gives no cause',
  },
  devices: {
    CH: deviceProfile('CH', 'ELSTER-CH-3.2.1'),
    ESME: esmeDeviceProfile('ELSTER-ESME-4.1.7', esme),
    GSME: deviceProfile('GSME', 'ELSTER-GSME-2.0.5', {
      alertDefaults: gsmeAlertDefaults,
      hanFailureRate: gsmeHanFailureRate,
      hanMaxAttempts: gsmeHanMaxAttempts,
    }),
    PPMID: deviceProfile('PPMID', 'ELSTER-PPMID-1.4.0'),
  },
  esme,
  gsme: defaultGsmeSettings,
  ppmid: defaultPpmidSettings,
};
