/** The ESME's pure power-quality logic, without XState: averaging, thresholds, detectors, records, outages. */
import { describe, expect, it } from 'vitest';
import {
  isAverageAbove,
  isAverageBackAboveUnder,
  isAverageBackBelowOver,
  isAverageBelow,
} from '../../devices/esme/averageVoltage';
import { defaultEsmeProfile, defaultVoltageConfig, EsmeAlert } from '../../devices/esme/esmeProfile';
import {
  ambientState,
  isAboveLoadLimit,
  isPowerFactorBack,
  isPowerFactorLow,
  measuredActivePower,
  parseDemand,
  parsePowerThresholds,
} from '../../devices/esme/loadMonitor';
import { appendRecord, recordsBetween } from '../../devices/esme/networkData';
import { outageRestoredAlert } from '../../devices/esme/outage';
import { openWindow, stepVoltage, windowAverage } from '../../devices/esme/timeWeightedAverage';
import { parseVoltageConfig } from '../../devices/esme/voltageConfig';
import { excursionPeriodMs, isBeyond } from '../../devices/esme/voltageExcursions';

const config = defaultVoltageConfig(defaultEsmeProfile);
const MIN = 60_000;

describe('time-weighted average of a piecewise-constant voltage', () => {
  it('weights each level by how long it held: 5 min at 230 V then 25 min at 210 V average 213.3 V', () => {
    let window = openWindow(0, 230);
    window = stepVoltage(window, 5 * MIN, 210);
    expect(windowAverage(window, 30 * MIN)).toBe(213.3);
  });

  it('is the level itself when the voltage never changed, and at a zero-length window', () => {
    expect(windowAverage(openWindow(1000, 241.7), 1000 + 30 * MIN)).toBe(241.7);
    expect(windowAverage(openWindow(1000, 241.7), 1000)).toBe(241.7);
  });

  it('integrates several steps, including a step back to an earlier level', () => {
    let window = openWindow(0, 230);
    window = stepVoltage(window, 10 * MIN, 200); // 10 min at 230
    window = stepVoltage(window, 20 * MIN, 260); // 10 min at 200, then 10 min at 260
    expect(windowAverage(window, 30 * MIN)).toBe(230);
  });

  it('rounds to 0.1 V: 1,242 s at 210 V and 558 s at 230 V average exactly 216.2 V', () => {
    const window = stepVoltage(openWindow(0, 210), 1_242_000, 230);
    expect(windowAverage(window, 1_800_000)).toBe(216.2);
  });

  it('survives JSON: the window is plain data', () => {
    const window = stepVoltage(openWindow(0, 230), 7 * MIN, 212.4);
    expect(windowAverage(JSON.parse(JSON.stringify(window)), 30 * MIN)).toBe(windowAverage(window, 30 * MIN));
  });
});

describe('average thresholds (strict, null = no completed period)', () => {
  it('is above only strictly above 253 V and back at or below it', () => {
    expect(isAverageAbove(253, config)).toBe(false);
    expect(isAverageAbove(253.1, config)).toBe(true);
    expect(isAverageBackBelowOver(253, config)).toBe(true);
    expect(isAverageBackBelowOver(253.1, config)).toBe(false);
  });

  it('is below only strictly below 216.2 V and back at or above it', () => {
    expect(isAverageBelow(216.2, config)).toBe(false);
    expect(isAverageBelow(216.1, config)).toBe(true);
    expect(isAverageBackAboveUnder(216.2, config)).toBe(true);
  });

  it('holds either way with no completed period', () => {
    for (const check of [isAverageAbove, isAverageBackBelowOver, isAverageBelow, isAverageBackAboveUnder]) {
      expect(check(null, config)).toBe(false);
    }
  });
});

describe('instantaneous excursions', () => {
  it('uses each excursion its own threshold, strictly', () => {
    expect(isBeyond('sag', 207, config)).toBe(false);
    expect(isBeyond('sag', 206.9, config)).toBe(true);
    expect(isBeyond('extremeUnder', 195.5, config)).toBe(false);
    expect(isBeyond('extremeUnder', 195.4, config)).toBe(true);
    expect(isBeyond('swell', 258.8, config)).toBe(false);
    expect(isBeyond('swell', 258.9, config)).toBe(true);
    expect(isBeyond('extremeOver', 264.5, config)).toBe(false);
    expect(isBeyond('extremeOver', 264.6, config)).toBe(true);
  });

  it('takes its period from the configuration, in ms', () => {
    expect(excursionPeriodMs('sag', config)).toBe(60_000);
    expect(excursionPeriodMs('extremeOver', config)).toBe(10_000);
  });
});

describe('voltage configuration validation (SR 6.5)', () => {
  it('accepts the profile defaults', () => {
    expect(parseVoltageConfig({ ...config })).toEqual(config);
  });

  it.each([
    ['over threshold not above under', { averageOverThreshold: 216.2 }],
    ['over threshold below under', { averageOverThreshold: 210, averageUnderThreshold: 215 }],
    ['sag above swell', { sagThreshold: 259 }],
    ['sag equal to swell', { sagThreshold: 258.8 }],
    ['extreme under above sag', { extremeUnderThreshold: 208 }],
    ['extreme over below swell', { extremeOverThreshold: 258 }],
    ['zero period', { sagPeriod: 0 }],
    ['fractional period', { swellPeriod: 1.5 }],
    ['period beyond 16 bits', { averageMeasurementPeriod: 65_536 }],
    ['negative threshold', { extremeUnderThreshold: -1 }],
    ['threshold not a number', { sagThreshold: '207' }],
    ['threshold missing', { swellThreshold: undefined }],
    ['NaN', { averageUnderThreshold: Number.NaN }],
  ])('refuses %s', (_, change) => {
    expect(parseVoltageConfig({ ...config, ...change })).toBeUndefined();
  });

  it('accepts equal neighbours (extreme under at sag, swell at extreme over)', () => {
    expect(parseVoltageConfig({ ...config, extremeUnderThreshold: 207, swellThreshold: 264.5 })).toBeDefined();
  });

  it("accepts an average band wider than the sag/swell band, as the DCC's RTDS 6.5 templates set it (ECS29a/c)", () => {
    // written from ECS29a_6.5_SUCCESS: average 200 / 264 V, sag 216 V, swell 253 V, extremes 180 / 287 V, 30 s each
    const rtds = {
      averageOverThreshold: 264,
      averageUnderThreshold: 200,
      averageMeasurementPeriod: 30,
      extremeOverThreshold: 287,
      extremeOverPeriod: 30,
      extremeUnderThreshold: 180,
      extremeUnderPeriod: 30,
      sagThreshold: 216,
      sagPeriod: 30,
      swellThreshold: 253,
      swellPeriod: 30,
    };
    expect(parseVoltageConfig(rtds)).toEqual(rtds);
  });
});

describe('load, power factor and ambient state', () => {
  it('measures nothing while the contactor is open', () => {
    expect(measuredActivePower({ activePower: 5000, powerFactor: 0.9 }, true)).toBe(5000);
    expect(measuredActivePower({ activePower: 5000, powerFactor: 0.9 }, false)).toBe(0);
  });

  it('exceeds the load limit strictly above it', () => {
    expect(isAboveLoadLimit(23_000, 23_000)).toBe(false);
    expect(isAboveLoadLimit(23_001, 23_000)).toBe(true);
  });

  it('judges the power factor only while current flows', () => {
    expect(isPowerFactorLow(1000, 0.84, 0.85)).toBe(true);
    expect(isPowerFactorLow(1000, 0.85, 0.85)).toBe(false);
    expect(isPowerFactorBack(1000, 0.85, 0.85)).toBe(true);
    expect(isPowerFactorLow(0, 0.2, 0.85)).toBe(false);
    expect(isPowerFactorBack(0, 0.2, 0.85)).toBe(false);
  });

  it('colours the IHD: below lowMedium low, below mediumHigh medium, else high', () => {
    const thresholds = { lowMediumThreshold: 1000, mediumHighThreshold: 3000 };
    expect(ambientState(999, thresholds)).toBe('low');
    expect(ambientState(1000, thresholds)).toBe('medium');
    expect(ambientState(2999, thresholds)).toBe('medium');
    expect(ambientState(3000, thresholds)).toBe('high');
  });

  it('validates power thresholds (6.12) and demand', () => {
    expect(parsePowerThresholds({ lowMediumThreshold: 500, mediumHighThreshold: 2000 })).toEqual({
      lowMediumThreshold: 500,
      mediumHighThreshold: 2000,
    });
    expect(parsePowerThresholds({ lowMediumThreshold: 2000, mediumHighThreshold: 2000 })).toBeUndefined();
    expect(parsePowerThresholds({ lowMediumThreshold: -1, mediumHighThreshold: 2000 })).toBeUndefined();
    expect(parseDemand({ activePower: 100, powerFactor: 1.01 })).toBeUndefined();
    expect(parseDemand({ activePower: Infinity, powerFactor: 1 })).toBeUndefined();
  });
});

describe('network data records (SR 4.10)', () => {
  it('keeps the newest records up to the retention, oldest first', () => {
    let records = [] as ReturnType<typeof appendRecord>;
    for (let i = 1; i <= 5; i++) records = appendRecord(records, { at: i, averageRmsVoltage: 230 }, 3);
    expect(records.map((record) => record.at)).toEqual([3, 4, 5]);
  });

  it('returns a new array and leaves the one it was given as it was (an older snapshot still holds it)', () => {
    const before = [1, 2, 3].map((at) => ({ at, averageRmsVoltage: 230 }));
    const belowRetention = appendRecord(before, { at: 4, averageRmsVoltage: 231 }, 5);
    const atRetention = appendRecord(before, { at: 4, averageRmsVoltage: 231 }, 3);
    expect(before.map((record) => record.at)).toEqual([1, 2, 3]);
    expect(belowRetention.map((record) => record.at)).toEqual([1, 2, 3, 4]);
    expect(atRetention.map((record) => record.at)).toEqual([2, 3, 4]);
    expect(belowRetention).not.toBe(before);
  });

  it('selects by time, both ends inclusive', () => {
    const records = [1, 2, 3, 4].map((at) => ({ at, averageRmsVoltage: 230 }));
    expect(recordsBetween(records, 2, 3).map((record) => record.at)).toEqual([2, 3]);
  });
});

describe('supply outage restoration alert', () => {
  it('is 0x8F35 below 180 s and 0x8F36 from 180 s exactly', () => {
    expect(outageRestoredAlert(179_999, 180)).toBe(EsmeAlert.supplyOutageRestored);
    expect(outageRestoredAlert(180_000, 180)).toBe(EsmeAlert.supplyOutageRestoredLong);
  });
});
