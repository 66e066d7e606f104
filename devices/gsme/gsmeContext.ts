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

export function createGsmeContext(input: GsmeInput): GsmeContext {
  const gsme = input.profile.gsme;
  return createDeviceCoreContext(
    'GSME',
    input,
    withMeterBinding({
      gasFlow: {
        uncontrolledFlowRateThreshold: gsme.uncontrolledFlowRateThreshold.value,
        averagingPeriod: gsme.averagingPeriod.value,
      },
      lastGasFlowConfigDay: null,
    }),
  );
}
