import { createDeviceCoreContext, type DeviceCoreContext, type DeviceCoreInput } from '../common/coreContext';
import { withMeterBinding, type MeterBindingContext } from '../common/meterBinding';

/** SR 6.7 Update Device Configuration (Gas Flow), field for field as in the contract. */
export interface GasFlowConfig {
  /** m³/h, three decimals. */
  uncontrolledFlowRateThreshold: number;
  /** seconds. */
  averagingPeriod: number;
}

export interface GsmeContext extends DeviceCoreContext, MeterBindingContext {
  gasFlow: GasFlowConfig;
  /** Day number (UTC days of device time, an assumption of quirk 91333) of the last applied 6.7; null before any. */
  lastGasFlowConfigDay: number | null;
}

export type GsmeInput = DeviceCoreInput;

type GsmeProfile = GsmeInput['profile']['gsme'];

/**
 * A profile's gas flow configuration, made once per profile and shared by every GSME made from it (a set is made per
 * installation; a 6.7 puts a new object in the next context, none is modified in place). Keyed by the profile
 * object: held only while the profile is.
 */
const gasFlowOfProfile = new WeakMap<GsmeProfile, GasFlowConfig>();

function defaultGasFlow(gsme: GsmeProfile): GasFlowConfig {
  let gasFlow = gasFlowOfProfile.get(gsme);
  if (gasFlow === undefined) {
    gasFlow = {
      uncontrolledFlowRateThreshold: gsme.uncontrolledFlowRateThreshold.value,
      averagingPeriod: gsme.averagingPeriod.value,
    };
    gasFlowOfProfile.set(gsme, gasFlow);
  }
  return gasFlow;
}

export function createGsmeContext(input: GsmeInput): GsmeContext {
  return createDeviceCoreContext(
    'GSME',
    input,
    withMeterBinding({
      gasFlow: defaultGasFlow(input.profile.gsme),
      lastGasFlowConfigDay: null,
    }),
  );
}
