/** The electricity meter. Start with esmeMachine.ts (regions and behaviour) and esmeProfile.ts (its numbers). */
export { esmeMachine, type EsmeEvent } from './esmeMachine';
export type { EsmeContext, EsmeInput, EsmeSettings, PaymentMode, SupplyState, TimerName } from './esmeContext';
export type { EsmeInternalEvent } from './esmeCommands';
export {
  defaultEsmeProfile,
  defaultVoltageConfig,
  EsmeAlert,
  type EsmeAlertCode,
  type EsmeAlertDefault,
  type EsmeProfile,
  type PowerThresholds,
  type Sourced,
  type ValueSource,
  type VoltageConfig,
} from './esmeProfile';
export type { NetworkDataRecord } from './networkData';
export type { AmbientState, Demand } from './loadMonitor';
