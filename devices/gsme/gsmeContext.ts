import { createDeviceCoreContext, type DeviceCoreContext, type DeviceCoreInput } from '../common/coreContext';
import { initialMeterBinding, type MeterBindingContext } from '../common/meterBinding';

/** SR 6.7 Update Device Configuration (Gas Flow), field for field as in the contract. */
export interface GasFlowConfig {
  /** m³/h, three decimals. */
  uncontrolledFlowRateThreshold: number;
  /** seconds. */
  averagingPeriod: number;
}

/** Dormant: nobody operates the meter smart; active: a supplier does (the case quirk 91333 is about). */
export type Installation = 'dormant' | 'active';

export interface GsmeContext extends DeviceCoreContext, MeterBindingContext {
  installation: Installation;
  gasFlow: GasFlowConfig;
  /** UTC day number (device time) of the last applied 6.7, for quirk 91333; null before any. */
  lastGasFlowConfigDay: number | null;
}

export interface GsmeInput extends DeviceCoreInput {
  /** Default: active. */
  installation?: Installation;
}

export function createGsmeContext(input: GsmeInput): GsmeContext {
  const gsme = input.profile.gsme;
  return {
    ...createDeviceCoreContext('GSME', input),
    ...initialMeterBinding(),
    installation: input.installation ?? 'active',
    gasFlow: {
      uncontrolledFlowRateThreshold: gsme.uncontrolledFlowRateThreshold.value,
      averagingPeriod: gsme.averagingPeriod.value,
    },
    lastGasFlowConfigDay: null,
  };
}
