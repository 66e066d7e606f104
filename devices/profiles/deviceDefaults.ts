/**
 * Device sections both vendor profiles start from. Vendor files override what differs; everything here not
 * fixed by a public document is labelled assumed.
 */
import { Alert } from '../common/alertCodes';
import type { ContractMessage } from '../common/types';
import type { EsmeProfile } from '../esme/esmeProfile';
import type { DeviceProfile, GsmeProfile, PpmidProfile, Sourced } from './types';

const assumed = <T>(value: T, note: string): Sourced<T> => ({ value, source: 'assumed', note });

/** Every device answers these (the device core). */
const CORE_COMMANDS: ContractMessage[] = [
  'readDeviceInfo',
  'readCredentials',
  'replaceCredentials',
  'readEventLog',
  'commission',
  'clockSync',
  'injectFault',
];

export const SUPPORTED_COMMANDS: Record<'CH' | 'ESME' | 'GSME' | 'PPMID', ContractMessage[]> = {
  CH: [...CORE_COMMANDS, 'hanLogAdd', 'hanLogRemove', 'readDeviceLog'],
  ESME: [
    ...CORE_COMMANDS,
    'join',
    'unjoin',
    'voltageConfig',
    'powerThresholds',
    'setSupply',
    'readSupply',
    'alertBehaviour',
    'readNetworkData',
    'mainsVoltage',
    'load',
    'powerCut',
    'powerRestore',
    'setPaymentMode',
    'topUp',
    'readPaymentMode',
    'polarity',
  ],
  GSME: [...CORE_COMMANDS, 'join', 'unjoin', 'alertBehaviour', 'gasFlowConfig'],
  PPMID: [...CORE_COMMANDS, 'powerOn'],
};

const eventLogCapacity = assumed(
  100,
  'entries per log (event, security); GBCS sizes device logs, the figure per vendor is not public',
);

/**
 * Mains-powered devices: ZigBee MAC-level retries hide losses from the application, so none are modelled.
 */
const mainsHanFailureRate = assumed(0, 'mains powered, always listening: losses absorbed by MAC retries');
const singleAttempt = assumed(1, 'one application-level try; MAC retries are inside it');

/**
 * The GSME sleeps between polls, so a message waits for its wake-up and is lost more often than a mains device's.
 * No public figure gives a per-message loss (the 77 % of OPSG_34 is the success rate of migration repeat attempts,
 * the GSME profile's migrationRetrySuccessRate), so the per-try loss is an assumption.
 */
export const gsmeHanFailureRate = assumed(
  0.05,
  'per-try HAN loss to or from the sleepy GSME, not public: 5 % is a round illustrative value (3 tries: 0.0125 % of ' +
    'commands busy); not derived from the 77 %, which is a migration retry success rate',
);
export const gsmeHanMaxAttempts = assumed(3, 'tries before the CH gives up on the sleepy GSME');

/** The GSME's configurable alerts: the binding outcomes, owned by the gas supplier. */
export const gsmeAlertDefaults = assumed(
  [Alert.joinFailed, Alert.joinSucceeded, Alert.unjoinFailed, Alert.unjoinSucceeded].map((code) => ({
    code,
    owner: 'supplier' as const,
    enabled: true,
  })),
  'join/unjoin outcomes configurable by the supplier, all enabled',
);

export function deviceProfile(
  type: 'CH' | 'ESME' | 'GSME' | 'PPMID',
  firmwareVersion: string,
  overrides: Partial<DeviceProfile> = {},
): DeviceProfile {
  return {
    firmwareVersion: assumed(firmwareVersion, 'firmware version strings are not public'),
    supportedCommands: assumed(SUPPORTED_COMMANDS[type], 'the contract messages this device type handles'),
    eventLogCapacity,
    alertDefaults: assumed([], 'no configurable alerts'),
    hanFailureRate: mainsHanFailureRate,
    hanMaxAttempts: singleAttempt,
    ...overrides,
  };
}

/** The ESME's DeviceProfile alert defaults are the ESME profile's, so the two never disagree. */
export function esmeDeviceProfile(firmwareVersion: string, esme: EsmeProfile): DeviceProfile {
  return deviceProfile('ESME', firmwareVersion, { alertDefaults: esme.alertDefaults });
}

/** Gas flow configuration defaults: the same assumption for both vendors until a vendor figure is known. */
export const defaultGsmeSettings: GsmeProfile = {
  migrationRetrySuccessRate: {
    value: 0.77,
    source: 'public',
    note:
      'OPSG_34 minutes (July 2020): "issues with Gas meter communications on Migration repeat attempts but were ' +
      'tracking a 77% success rate on all retries". The success rate of a migration repeat attempt for gas, for the ' +
      "fleet simulator's migration retry model; no device behaviour uses it (the HAN loss is hanFailureRate)",
  },
  uncontrolledFlowRateThreshold: { value: 6, source: 'assumed', note: "m³/h, above a G4 meter's 6 m³/h maximum flow" },
  averagingPeriod: { value: 300, source: 'assumed', note: 'seconds over which the flow rate is averaged' },
};

export const defaultPpmidSettings: PpmidProfile = {
  joinAttemptTimeout: {
    value: 30,
    source: 'assumed',
    note: 'seconds a PPMID waits for the CH to answer its join request',
  },
  joinRetryInterval: {
    value: 60,
    source: 'assumed',
    note:
      'seconds from a failed join attempt to the next while powered: a ZigBee SE device off a network keeps ' +
      "rescanning and retrying the join periodically; the interval is the manufacturer's and not public",
  },
};
