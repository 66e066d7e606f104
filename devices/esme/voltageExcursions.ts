/**
 * The four instantaneous RMS voltage excursions an ESME watches (extreme over-voltage, swell, extreme
 * under-voltage, sag): which threshold and period of the voltage configuration each uses, which way it points,
 * and its alert pair. One table, so the machine's four detector regions are built alike and cannot drift.
 *
 * "Beyond" is strict: an over-voltage excursion is a voltage above its threshold, an under-voltage one below
 * it; a voltage exactly at the threshold is within limits.
 */
import { EsmeAlert, type VoltageConfig } from './esmeProfile';

export type ExcursionName = 'extremeOver' | 'swell' | 'extremeUnder' | 'sag';

export interface VoltageExcursion {
  direction: 'over' | 'under';
  threshold: keyof VoltageConfig;
  period: keyof VoltageConfig;
  /** Raised once the voltage has stayed beyond the threshold for the whole period. */
  raisedAlert: number;
  /** Raised when the voltage comes back within the threshold after `raisedAlert`. */
  returnedAlert: number;
}

export const voltageExcursions: Record<ExcursionName, VoltageExcursion> = {
  extremeOver: {
    direction: 'over',
    threshold: 'extremeOverThreshold',
    period: 'extremeOverPeriod',
    raisedAlert: EsmeAlert.extremeOverVoltage,
    returnedAlert: EsmeAlert.extremeOverVoltageReturned,
  },
  swell: {
    direction: 'over',
    threshold: 'swellThreshold',
    period: 'swellPeriod',
    raisedAlert: EsmeAlert.swell,
    returnedAlert: EsmeAlert.swellReturned,
  },
  extremeUnder: {
    direction: 'under',
    threshold: 'extremeUnderThreshold',
    period: 'extremeUnderPeriod',
    raisedAlert: EsmeAlert.extremeUnderVoltage,
    returnedAlert: EsmeAlert.extremeUnderVoltageReturned,
  },
  sag: {
    direction: 'under',
    threshold: 'sagThreshold',
    period: 'sagPeriod',
    raisedAlert: EsmeAlert.sag,
    returnedAlert: EsmeAlert.sagReturned,
  },
};

/** Whether `voltage` is beyond the excursion's threshold under `config`. */
export function isBeyond(name: ExcursionName, voltage: number, config: VoltageConfig): boolean {
  const excursion = voltageExcursions[name];
  const threshold = config[excursion.threshold];
  return excursion.direction === 'over' ? voltage > threshold : voltage < threshold;
}

/** How long (ms) the voltage must stay beyond the threshold before the excursion is alerted. */
export function excursionPeriodMs(name: ExcursionName, config: VoltageConfig): number {
  return config[voltageExcursions[name].period] * 1000;
}
