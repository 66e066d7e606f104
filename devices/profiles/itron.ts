/** Itron: CH, ESME, GSME and PPMID as the emulator models them. */
import {
  defaultGsmeSettings,
  defaultPpmidSettings,
  deviceProfile,
  esmeDeviceProfile,
  gsmeAlertDefaults,
  gsmeHanFailureRate,
  gsmeHanMaxAttempts,
} from './deviceDefaults';
import { itronEsmeProfile } from './itronEsme';
import type { VendorProfile } from './types';

/** The pre-migration voltage and power-factor configuration (itronEsme.ts, risk 11). */
const esme = itronEsmeProfile;

export const itronProfile: VendorProfile = {
  vendor: 'itron',
  displayName: 'Itron',
  joinWindowMax: {
    value: 3600,
    source: 'assumed',
    note:
      'DUIS SR 8.11 allows a JoinTimePeriod of 1..3600 s (public); that Itron honours the full range is assumed: no ' +
      'defect is recorded against Itron for it',
  },
  devices: {
    CH: deviceProfile('CH', 'ITRON-CH-01.06.02'),
    ESME: esmeDeviceProfile('ITRON-ESME-02.11.00', esme),
    GSME: deviceProfile('GSME', 'ITRON-GSME-01.09.04', {
      alertDefaults: gsmeAlertDefaults,
      hanFailureRate: gsmeHanFailureRate,
      hanMaxAttempts: gsmeHanMaxAttempts,
    }),
    PPMID: deviceProfile('PPMID', 'ITRON-PPMID-01.02.00'),
  },
  esme,
  gsme: defaultGsmeSettings,
  ppmid: defaultPpmidSettings,
};
