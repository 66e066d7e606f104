/**
 * A vendor profile: every number a device's behaviour depends on that differs between Itron and Honeywell Elster
 * or is not fixed by the contract. One file per vendor (itron.ts, elster.ts) holds the data.
 *
 * Each value is `Sourced`: `public` (a published standard, a DCC or Ofgem document, the primer's public facts) or
 * `assumed` (not public: a plausible value a test engineer may change). profileReport() lists them so every
 * assumption travels into reports.
 */
import type { AlertSetting } from '../common/alertBehaviour';
import type { ContractMessage, DeviceType, Vendor } from '../common/types';
import type { EsmeProfile, Sourced, ValueSource } from '../esme/esmeProfile';

export type { Sourced, ValueSource };

/** What every device type of a vendor shares in shape. */
export interface DeviceProfile {
  firmwareVersion: Sourced<string>;
  /** Contract messages this device answers; any other gets status `unsupported`. */
  supportedCommands: Sourced<ContractMessage[]>;
  /** Entries kept per log (event, security); the oldest are dropped beyond it. */
  eventLogCapacity: Sourced<number>;
  /** Configurable alerts (SR 6.22), their owner and their state before any 6.22. */
  alertDefaults: Sourced<AlertSetting[]>;
  /** Probability that one HAN transmission to or from this device is lost. */
  hanFailureRate: Sourced<number>;
  /** Transmissions tried before a HAN exchange counts as failed. */
  hanMaxAttempts: Sourced<number>;
}

/** The gas meter's own configuration values (SR 6.7). */
export interface GsmeProfile {
  /** Probability that a repeat migration attempt of a gas meter succeeds (the fleet simulator's retry model). */
  migrationRetrySuccessRate: Sourced<number>;
  uncontrolledFlowRateThreshold: Sourced<number>;
  averagingPeriod: Sourced<number>;
}

/** The PPMID's own timing. */
export interface PpmidProfile {
  /** Seconds a PPMID waits for the CH's answer to its join request before it counts as not joined. */
  joinAttemptTimeout: Sourced<number>;
  /** Seconds between a failed join attempt and the next one, while the PPMID is powered and off the HAN. */
  joinRetryInterval: Sourced<number>;
}

export interface VendorProfile {
  vendor: Vendor;
  /** As users name the vendor. */
  displayName: string;
  /** The longest HAN join window (8.11 JoinTimePeriod) the CH honours, seconds. */
  joinWindowMax: Sourced<number>;
  devices: Record<DeviceType, DeviceProfile>;
  esme: EsmeProfile;
  gsme: GsmeProfile;
  ppmid: PpmidProfile;
}
