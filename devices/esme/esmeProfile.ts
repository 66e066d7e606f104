/**
 * The ESME section of a vendor profile: every number the electricity meter's behaviour depends on that is not
 * fixed by the contract. Vendor profiles (devices/profiles/itron.ts, elster.ts) start from `defaultEsmeProfile`
 * and override what differs. Each value says where it comes from: `public` (a published standard or statute)
 * or `assumed` (not public: a plausible value a test engineer can change), so reports can label them.
 *
 * Units follow docs/contract.md: voltages in volts, periods in whole seconds, power in watts, power factor 0..1.
 */

/** Where a profile value comes from. */
export type ValueSource = 'public' | 'assumed';

/** A profile value with its provenance. */
export interface Sourced<T> {
  value: T;
  source: ValueSource;
  /** Why this value: the standard it comes from, or the reasoning behind the assumption. */
  note: string;
}

/** The voltage configuration set by SR 6.5 (`voltageConfig`), field for field as in the contract. */
export interface VoltageConfig {
  averageOverThreshold: number;
  averageUnderThreshold: number;
  averageMeasurementPeriod: number;
  extremeOverThreshold: number;
  extremeOverPeriod: number;
  extremeUnderThreshold: number;
  extremeUnderPeriod: number;
  sagThreshold: number;
  sagPeriod: number;
  swellThreshold: number;
  swellPeriod: number;
}

/** The instantaneous power thresholds set by SR 6.12 (`powerThresholds`), driving the IHD ambient state. */
export interface PowerThresholds {
  lowMediumThreshold: number;
  mediumHighThreshold: number;
}

/** Which party receives an alert, and so which party's SR 6.22 (`alertBehaviour`) can switch it. */
export type AlertOwner = 'supplier' | 'networkOperator';

/** One alert the ESME can raise: its owner and whether it is raised before any 6.22 changes it. */
export interface EsmeAlertDefault {
  code: number;
  owner: AlertOwner;
  enabled: boolean;
}

export interface EsmeProfile {
  /** Whether SR 6.5 can change the voltage configuration at all on this meter. */
  voltageConfigWritable: Sourced<boolean>;
  /** Nominal RMS voltage: the voltage before any `mainsVoltage` stimulus. */
  nominalVoltage: Sourced<number>;
  /** The voltage configuration the meter ships with, one sourced value per field. */
  voltageDefaults: { [K in keyof VoltageConfig]: Sourced<number> };
  /** Power factor below which 0x8014 is raised (and at or above which 0x8015 returns it). */
  powerFactorThreshold: Sourced<number>;
  /** How long the power factor must stay below the threshold (or back at or above it) before 0x8014 (0x8015). */
  powerFactorPeriod: Sourced<number>;
  /** Active power import above which, for `loadLimitPeriod`, 0x8F01 is raised. */
  loadLimitThreshold: Sourced<number>;
  loadLimitPeriod: Sourced<number>;
  /** An outage lasting this long or longer is restored with 0x8F36 instead of 0x8F35. */
  longOutageLimit: Sourced<number>;
  /** The interval of the average RMS voltage profile that `readNetworkData` (SR 4.10) returns. */
  networkDataInterval: Sourced<number>;
  /** How many network-data records the meter keeps; the oldest are dropped beyond this. */
  networkDataRetention: Sourced<number>;
  /** Pence per kWh a prepayment meter draws from its credit (prepayment.ts). */
  prepaymentUnitRate: Sourced<number>;
  /** The IHD ambient thresholds before any SR 6.12. */
  powerThresholdDefaults: { [K in keyof PowerThresholds]: Sourced<number> };
  /** Every alert this machine raises, with its owner and default enablement. */
  alertDefaults: Sourced<EsmeAlertDefault[]>;
}

const nominal = 230;

/**
 * The GBCS alert codes the ESME machine raises. Named here so the machine, the profile and the tests all spell
 * them once.
 */
export const EsmeAlert = {
  averageOverVoltage: 0x8002,
  averageOverVoltageReturned: 0x8085,
  averageUnderVoltage: 0x8006,
  averageUnderVoltageReturned: 0x8089,
  powerFactorBelowThreshold: 0x8014,
  powerFactorReturned: 0x8015,
  extremeOverVoltage: 0x8020,
  extremeOverVoltageReturned: 0x808d,
  swell: 0x8024,
  swellReturned: 0x8091,
  extremeUnderVoltage: 0x8028,
  extremeUnderVoltageReturned: 0x8095,
  sag: 0x802c,
  sagReturned: 0x8099,
  loadLimit: 0x8f01,
  supplyOutageRestored: 0x8f35,
  supplyOutageRestoredLong: 0x8f36,
  incorrectPolarity: 0x81b8,
} as const;

const networkOperatorAlerts: number[] = [
  EsmeAlert.averageOverVoltage,
  EsmeAlert.averageOverVoltageReturned,
  EsmeAlert.averageUnderVoltage,
  EsmeAlert.averageUnderVoltageReturned,
  EsmeAlert.powerFactorBelowThreshold,
  EsmeAlert.powerFactorReturned,
  EsmeAlert.extremeOverVoltage,
  EsmeAlert.extremeOverVoltageReturned,
  EsmeAlert.swell,
  EsmeAlert.swellReturned,
  EsmeAlert.extremeUnderVoltage,
  EsmeAlert.extremeUnderVoltageReturned,
  EsmeAlert.sag,
  EsmeAlert.sagReturned,
  EsmeAlert.supplyOutageRestored,
  EsmeAlert.supplyOutageRestoredLong,
];
const supplierAlerts: number[] = [EsmeAlert.loadLimit];
// 0x81B8 (incorrect polarity) is in neither list: a safety alert, not configurable by 6.22 (assumed), so always emitted.

export const defaultEsmeProfile: EsmeProfile = {
  voltageConfigWritable: {
    value: true,
    source: 'public',
    note: 'SR 6.5 Update Device Configuration (Voltage) is an ED service request in DUIS; risk 11 (a quirk) refuses it',
  },
  nominalVoltage: { value: nominal, source: 'public', note: 'UK nominal low-voltage supply, 230 V' },
  voltageDefaults: {
    averageOverThreshold: {
      value: 253,
      source: 'assumed',
      note: "the statutory upper limit, 230 V +10% (ESQCR 2002, public) and the DNOs' recommended threshold; that a meter ships with it is assumed",
    },
    averageUnderThreshold: {
      value: 216.2,
      source: 'assumed',
      note: "the statutory lower limit, 230 V -6% (ESQCR 2002, public) and the DNOs' recommended threshold; that a meter ships with it is assumed",
    },
    averageMeasurementPeriod: {
      value: 1800,
      source: 'assumed',
      note: '30 minutes, the settlement period and the network-data interval',
    },
    extremeOverThreshold: { value: 264.5, source: 'assumed', note: '230 V +15%' },
    extremeOverPeriod: { value: 10, source: 'assumed', note: 'short: an extreme excursion is reported quickly' },
    extremeUnderThreshold: { value: 195.5, source: 'assumed', note: '230 V -15%' },
    extremeUnderPeriod: { value: 10, source: 'assumed', note: 'short: an extreme excursion is reported quickly' },
    sagThreshold: { value: 207, source: 'assumed', note: '230 V -10%' },
    sagPeriod: { value: 60, source: 'assumed', note: 'one minute' },
    swellThreshold: { value: 258.8, source: 'assumed', note: '230 V +12.5%' },
    swellPeriod: { value: 60, source: 'assumed', note: 'one minute' },
  },
  powerFactorThreshold: { value: 0.85, source: 'assumed', note: 'a common reactive-power charging threshold' },
  powerFactorPeriod: {
    value: 60,
    source: 'assumed',
    note:
      'no public figure: one minute, like the sag/swell periods, so a power factor wavering around the threshold ' +
      '(0.84/0.86 every 10 s) raises nothing instead of an alert every change',
  },
  loadLimitThreshold: { value: 23000, source: 'assumed', note: '100 A service fuse at 230 V' },
  loadLimitPeriod: { value: 60, source: 'assumed', note: 'one minute above the limit' },
  longOutageLimit: {
    value: 180,
    source: 'public',
    note: 'GBCS 0x8F36 "supply outage restored, outage >= 3 minutes"',
  },
  networkDataInterval: {
    value: 1800,
    source: 'assumed',
    note: 'half-hourly average RMS voltage profile; the contract fixes one record per 30 min',
  },
  networkDataRetention: {
    value: 1440,
    source: 'assumed',
    note: '30 days of half-hourly records, the largest SR 4.10 response the primer mentions',
  },
  prepaymentUnitRate: {
    value: 25,
    source: 'assumed',
    note: 'one flat rate, 25 p/kWh (a round figure near UK domestic rates); no standing charge, emergency credit or debt',
  },
  powerThresholdDefaults: {
    lowMediumThreshold: { value: 1000, source: 'assumed', note: 'IHD amber at 1 kW' },
    mediumHighThreshold: { value: 3000, source: 'assumed', note: 'IHD red at 3 kW' },
  },
  alertDefaults: {
    value: [
      ...networkOperatorAlerts.map((code) => ({ code, owner: 'networkOperator' as const, enabled: true })),
      ...supplierAlerts.map((code) => ({ code, owner: 'supplier' as const, enabled: true })),
    ],
    source: 'assumed',
    note: 'voltage, power-factor and outage alerts go to the DNO, the load limit to the supplier; all enabled',
  },
};

/** The plain voltage configuration a profile starts the meter with. */
export function defaultVoltageConfig(profile: EsmeProfile): VoltageConfig {
  const d = profile.voltageDefaults;
  return {
    averageOverThreshold: d.averageOverThreshold.value,
    averageUnderThreshold: d.averageUnderThreshold.value,
    averageMeasurementPeriod: d.averageMeasurementPeriod.value,
    extremeOverThreshold: d.extremeOverThreshold.value,
    extremeOverPeriod: d.extremeOverPeriod.value,
    extremeUnderThreshold: d.extremeUnderThreshold.value,
    extremeUnderPeriod: d.extremeUnderPeriod.value,
    sagThreshold: d.sagThreshold.value,
    sagPeriod: d.sagPeriod.value,
    swellThreshold: d.swellThreshold.value,
    swellPeriod: d.swellPeriod.value,
  };
}
