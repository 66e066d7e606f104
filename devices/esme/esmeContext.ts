/**
 * The ESME's machine context: the device core's fields, the meter's HAN bindings, and the electricity meter's
 * own state. Plain JSON throughout (times in ms since the epoch, voltages in V, power in W), so a persisted
 * snapshot round-trips through JSON.stringify.
 */
import { createDeviceCoreContext, type DeviceCoreContext, type DeviceCoreInput } from '../common/coreContext';
import { withMeterBinding, type MeterBindingContext } from '../common/meterBinding';
import { defaultVoltageConfig, type EsmeProfile, type PowerThresholds, type VoltageConfig } from './esmeProfile';
import { ambientState, type AmbientState, type Demand } from './loadMonitor';
import { initialDetectors, type DetectorStates } from './limitDetectors';
import type { ScheduledTimer } from './meteringSchedule';
import type { NetworkDataRecord } from './networkData';
import type { AveragingWindow } from './timeWeightedAverage';
import type { PaymentState } from './paymentState';
import type { PowerState } from './powerState';
import type { ExcursionName } from './voltageExcursions';

/** The contactor: enabled (closed), disabled (open), armed (open, waiting for the consumer to close it). */
export type SupplyState = 'enabled' | 'disabled' | 'armed';

export function isSupplyState(value: unknown): value is SupplyState {
  return value === 'enabled' || value === 'disabled' || value === 'armed';
}

/** Credit or prepayment (prepayment.ts draws the credit down). */
export type PaymentMode = 'credit' | 'prepayment';

export function isPaymentMode(value: unknown): value is PaymentMode {
  return value === 'credit' || value === 'prepayment';
}

/** The machine's timers, each with its due time in `deadlines` (the metering ones share one XState timer). */
export type TimerName =
  'averagePeriod' | 'networkDataInterval' | ExcursionName | 'powerFactor' | 'loadLimit' | 'creditExhaustion';

/** The profile's values no command changes, copied as plain numbers (the profile's provenance stays there). */
export interface EsmeSettings {
  voltageConfigWritable: boolean;
  powerFactorThreshold: number;
  /** s */
  powerFactorPeriod: number;
  loadLimitThreshold: number;
  /** s */
  loadLimitPeriod: number;
  /** s */
  longOutageLimit: number;
  /** s */
  networkDataInterval: number;
  networkDataRetention: number;
  /** Pence per kWh drawn from the prepayment credit. */
  prepaymentUnitRate: number;
}

export interface EsmeOwnContext {
  settings: EsmeSettings;
  /** SR 6.5. */
  voltageConfig: VoltageConfig;
  /** SR 6.12. */
  powerThresholds: PowerThresholds;
  supply: SupplyState;
  /** The RMS voltage the bench last set (V): what the meter measures while powered. */
  mainsVoltage: number;
  /** The consumer's demand the bench last set. */
  demand: Demand;
  /** The IHD ambient colour, from the measured active power and the SR 6.12 thresholds. */
  ambientState: AmbientState;
  /** When the current power cut began (ms), or null while the meter is powered. */
  outageStartedAt: number | null;
  /** Whether the meter is metering, suspended (dumb) or cut (powerState.ts), judged on every change of either. */
  power: PowerState;
  /** The measurement period in progress (null while not metering: power cut or dumb). */
  averagingWindow: AveragingWindow | null;
  /** The average of the last completed measurement period (V), or null if none since metering (re)started. */
  lastAverageRmsVoltage: number | null;
  /** The network-data interval in progress (null while not metering). */
  networkDataWindow: AveragingWindow | null;
  /** SR 4.10 records, oldest first. */
  networkData: NetworkDataRecord[];
  /** Credit or prepayment (prepayment.ts). */
  paymentMode: PaymentMode;
  /** Where the payment stands (paymentState.ts), judged after every change of the mode, the credit or its deadline. */
  payment: PaymentState;
  /** Prepayment credit in pence, drawn down up to `creditSettledAt` (prepayment.ts). */
  creditBalance: number;
  /** When the credit was last settled (ms). */
  creditSettledAt: number;
  /** Whether the meter opened its contactor because the credit ran out (a top-up then arms the supply). */
  supplyCutForCredit: boolean;
  /** The bench's wiring: true when the meter is connected with incorrect (cross) polarity. */
  polarityReversed: boolean;
  /**
   * Due time (ms) of each timer while it is armed, null otherwise. XState does not persist its scheduled timers, so
   * the `after` delays are computed from these (due - now) and re-armed when a restored actor starts
   * (common/timersResumption.ts).
   */
  deadlines: Deadlines;
  /** The limit detectors' states (limitDetectors.ts); all initial while not metering. */
  detectors: DetectorStates;
  /** The armed metering timers in the order the clock fires them (meteringSchedule.ts); empty while not metering. */
  meteringSchedule: ScheduledTimer[];
}

export interface EsmeContext extends DeviceCoreContext, MeterBindingContext, EsmeOwnContext {}

/** What a device set passes to an ESME: the core's input (EUI, vendor profile, seed, quirk overrides...). */
export interface EsmeInput extends DeviceCoreInput {
  /** Default credit. */
  paymentMode?: PaymentMode;
  /** Prepayment credit at start, pence. Default 0. */
  creditBalance?: number;
}

/** Due time (ms) of each timer while it is armed, null otherwise. */
export type Deadlines = Record<TimerName, number | null>;

export const noDeadlines: Readonly<Deadlines> = {
  averagePeriod: null,
  networkDataInterval: null,
  extremeOver: null,
  swell: null,
  extremeUnder: null,
  sag: null,
  powerFactor: null,
  loadLimit: null,
  creditExhaustion: null,
};

/**
 * `deadlines` with `timer` due at `at` (null: disarmed), as a new record. Every deadlines record the meter makes is
 * made here, field by field in one order, so all of them share one object layout: spreads of records of several
 * layouts (a spread then a computed key, `{ ...d, [timer]: null }`, makes another) left the metering pass, which
 * reads and copies them at every timer, on V8's polymorphic paths: measured ~5x slower on meters that had lived.
 */
export function withDeadline(deadlines: Readonly<Deadlines>, timer: TimerName, at: number | null): Deadlines {
  const next: Deadlines = {
    averagePeriod: deadlines.averagePeriod,
    networkDataInterval: deadlines.networkDataInterval,
    extremeOver: deadlines.extremeOver,
    swell: deadlines.swell,
    extremeUnder: deadlines.extremeUnder,
    sag: deadlines.sag,
    powerFactor: deadlines.powerFactor,
    loadLimit: deadlines.loadLimit,
    creditExhaustion: deadlines.creditExhaustion,
  };
  next[timer] = at;
  return next;
}

/**
 * What an ESME of a profile starts with that no input changes: its settings, voltage configuration and power
 * thresholds, and the ambient state at 0 W. Made once per profile and shared by every ESME made from it (a set is made
 * per installation): a context is never modified in place, and a command that changes one of them puts a new object
 * in the next context. Not frozen: a frozen object has a hidden class of its own, and the metering pass reads these
 * fields on every judgement, from the shared objects and from the ones commands and restores make alike.
 */
interface EsmeStart {
  readonly settings: EsmeSettings;
  readonly voltageConfig: VoltageConfig;
  readonly powerThresholds: PowerThresholds;
  readonly ambientState: AmbientState;
}

/** Keyed by the profile object: held only while the profile is (a what-if profile is one object per bench). */
const startsOfProfile = new WeakMap<EsmeProfile, EsmeStart>();

function esmeStart(profile: EsmeProfile): EsmeStart {
  let start = startsOfProfile.get(profile);
  if (start === undefined) {
    const powerThresholds: PowerThresholds = {
      lowMediumThreshold: profile.powerThresholdDefaults.lowMediumThreshold.value,
      mediumHighThreshold: profile.powerThresholdDefaults.mediumHighThreshold.value,
    };
    start = {
      settings: esmeSettings(profile),
      voltageConfig: defaultVoltageConfig(profile),
      powerThresholds,
      ambientState: ambientState(0, powerThresholds),
    };
    startsOfProfile.set(profile, start);
  }
  return start;
}

/**
 * The deadlines a new ESME's context is made with (none armed), made by withDeadline so that it has the layout of
 * every other deadlines record. Not shared in practice: the machine's entry (metering.ts esme.startMetering) replaces
 * the record before anyone sees the context.
 */
const startDeadlines: Readonly<Deadlines> = withDeadline(noDeadlines, 'creditExhaustion', null);

/** The demand a new ESME starts with: none, at unity power factor. */
const startDemand: Readonly<Demand> = { activePower: 0, powerFactor: 1 };

function esmeSettings(profile: EsmeProfile): EsmeSettings {
  return {
    voltageConfigWritable: profile.voltageConfigWritable.value,
    powerFactorThreshold: profile.powerFactorThreshold.value,
    powerFactorPeriod: profile.powerFactorPeriod.value,
    loadLimitThreshold: profile.loadLimitThreshold.value,
    loadLimitPeriod: profile.loadLimitPeriod.value,
    longOutageLimit: profile.longOutageLimit.value,
    networkDataInterval: profile.networkDataInterval.value,
    networkDataRetention: profile.networkDataRetention.value,
    prepaymentUnitRate: profile.prepaymentUnitRate.value,
  };
}

function checkPaymentInput(input: EsmeInput): void {
  if (input.paymentMode !== undefined && !isPaymentMode(input.paymentMode)) {
    throw new Error(
      `ESME ${input.eui}: paymentMode must be credit or prepayment, not ${JSON.stringify(input.paymentMode)}`,
    );
  }
  const credit = input.creditBalance;
  if (credit !== undefined && !(typeof credit === 'number' && Number.isFinite(credit) && credit >= 0)) {
    throw new Error(
      `ESME ${input.eui}: creditBalance must be a non-negative number of pence, not ${JSON.stringify(credit)}`,
    );
  }
}

export function createEsmeContext(input: EsmeInput): EsmeContext {
  checkPaymentInput(input);
  const profile = input.profile.esme;
  const start = esmeStart(profile);
  return createDeviceCoreContext(
    'ESME',
    input,
    withMeterBinding({
      settings: start.settings,
      voltageConfig: start.voltageConfig,
      powerThresholds: start.powerThresholds,
      supply: 'enabled',
      mainsVoltage: profile.nominalVoltage.value,
      demand: startDemand,
      ambientState: start.ambientState,
      outageStartedAt: null,
      // Powered, and smart (an input cannot make a device dumb): the machine starts metering as it starts.
      power: 'metering',
      averagingWindow: null,
      lastAverageRmsVoltage: null,
      networkDataWindow: null,
      networkData: [],
      paymentMode: input.paymentMode ?? 'credit',
      // Judged as the machine starts (its root entry), as the payment region's eventless transitions did.
      payment: 'credit',
      creditBalance: input.creditBalance ?? 0,
      // The demand starts at 0 W, so nothing is drawn before the first change settles the balance at its own instant.
      creditSettledAt: 0,
      supplyCutForCredit: false,
      polarityReversed: false,
      deadlines: startDeadlines,
      detectors: initialDetectors,
      meteringSchedule: [],
    }),
  );
}

/** Whether current flows through the meter: powered and the contactor closed. */
export function isCurrentFlowing(context: Pick<EsmeContext, 'supply' | 'outageStartedAt'>): boolean {
  return context.supply === 'enabled' && context.outageStartedAt === null;
}
