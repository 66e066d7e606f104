/**
 * The ESME's limit detectors as a pure function (devices/esme/limitDetectors.ts) and the metering timers' clock
 * order (devices/esme/meteringSchedule.ts), with written expectations: every branch of every detector, the alerts'
 * codes and order, the periods armed and cancelled. Elster's defaults: average 253 / 216.2 V, extreme 264.5 / 195.5 V
 * (10 s), swell / sag 258.8 / 207 V (60 s), power factor 0.85 (60 s), load limit 23 kW (60 s).
 */
import { describe, expect, it } from 'vitest';
import { createEsmeContext, type EsmeContext } from '../../devices/esme/esmeContext';
import { initialDetectors, judgeDetectors, periodEnded, type DetectorStates } from '../../devices/esme/limitDetectors';
import { nextDueMs, resumedSchedule, scheduled, unscheduled } from '../../devices/esme/meteringSchedule';
import { elsterProfile } from '../../devices/profiles';
import { T0 } from './support/deviceHarness';
import { initialSlots } from './support/pki';

const base = createEsmeContext({ eui: '00-DB-12-34-56-78-90-A0', profile: elsterProfile, credentials: initialSlots });
const context = (patch: Partial<EsmeContext>, detectors: Partial<DetectorStates> = {}): EsmeContext => ({
  ...base,
  ...patch,
  detectors: { ...initialDetectors, ...detectors },
});
const judge = (patch: Partial<EsmeContext>, detectors: Partial<DetectorStates> = {}) =>
  judgeDetectors(context(patch, detectors), T0);
const flowing = (activePower: number, powerFactor: number) => ({ demand: { activePower, powerFactor } });

describe('judgeDetectors', () => {
  it('nothing to judge at 230 V and no load: the same detectors, nothing raised or armed', () => {
    const inputs = context({});
    const judgement = judgeDetectors(inputs, T0);
    expect(judgement.detectors).toBe(inputs.detectors);
    expect(judgement).toMatchObject({ alerts: [], armed: [], cancelled: [] });
  });

  it('a voltage beyond a threshold arms that excursion period (strictly beyond; at the threshold is within)', () => {
    expect(judge({ mainsVoltage: 258.8 }).armed).toEqual([]);
    const swell = judge({ mainsVoltage: 259 });
    expect(swell.detectors.swell).toBe('beyond');
    expect(swell.armed).toEqual([{ timer: 'swell', at: T0 + 60_000 }]);
    expect(swell.alerts).toEqual([]);
    // 270 V is beyond swell and extreme over: both armed, in the regions' order (extreme first).
    expect(judge({ mainsVoltage: 270 }).armed).toEqual([
      { timer: 'extremeOver', at: T0 + 10_000 },
      { timer: 'swell', at: T0 + 60_000 },
    ]);
    expect(judge({ mainsVoltage: 190 }).armed).toEqual([
      { timer: 'extremeUnder', at: T0 + 10_000 },
      { timer: 'sag', at: T0 + 60_000 },
    ]);
  });

  it('back within before the period is over cancels it silently; alerted and back within arms the return', () => {
    const cancelled = judge({ mainsVoltage: 230 }, { sag: 'beyond' });
    expect(cancelled).toMatchObject({ alerts: [], armed: [], cancelled: ['sag'] });
    expect(cancelled.detectors.sag).toBe('withinLimit');
    const returning = judge({ mainsVoltage: 230 }, { sag: 'alerted' });
    expect(returning.detectors.sag).toBe('returning');
    expect(returning.armed).toEqual([{ timer: 'sag', at: T0 + 60_000 }]);
    const again = judge({ mainsVoltage: 200 }, { sag: 'returning' });
    expect(again).toMatchObject({ alerts: [], armed: [], cancelled: ['sag'] });
    expect(again.detectors.sag).toBe('alerted');
    // Still beyond / still back: nothing moves.
    expect(judge({ mainsVoltage: 200 }, { sag: 'beyond' }).cancelled).toEqual([]);
    expect(judge({ mainsVoltage: 230 }, { sag: 'returning' }).cancelled).toEqual([]);
  });

  it('the period armed is the configuration in force when the condition began', () => {
    const config = { ...base.voltageConfig, swellPeriod: 7 };
    expect(judge({ mainsVoltage: 259, voltageConfig: config }).armed).toEqual([{ timer: 'swell', at: T0 + 7000 }]);
  });

  it('average over / under: raised at once on a completed period (no period), returned likewise', () => {
    const over = judge({ lastAverageRmsVoltage: 253.1 });
    expect(over.alerts).toEqual([0x8002]);
    expect(over.detectors.averageOver).toBe('above');
    expect(judge({ lastAverageRmsVoltage: 253 }).alerts).toEqual([]);
    expect(judge({ lastAverageRmsVoltage: 253 }, { averageOver: 'above' }).alerts).toEqual([0x8085]);
    expect(judge({ lastAverageRmsVoltage: 216.1 }).alerts).toEqual([0x8006]);
    expect(judge({ lastAverageRmsVoltage: 216.2 }, { averageUnder: 'below' }).alerts).toEqual([0x8089]);
    // No completed period since (re)start: neither above nor back, the alert state holds.
    expect(judge({ lastAverageRmsVoltage: null }, { averageOver: 'above' }).alerts).toEqual([]);
  });

  it('a return comes before a raise in the same judgement (a transition action before an entry action)', () => {
    // The last period's average left above over and is now below under: 0x8085 then 0x8006.
    expect(judge({ lastAverageRmsVoltage: 210 }, { averageOver: 'above' }).alerts).toEqual([0x8085, 0x8006]);
    // Under → over: 0x8089 then 0x8002; with a reversed wiring first seen, 0x81B8 after the average raise.
    expect(judge({ lastAverageRmsVoltage: 260, polarityReversed: true }, { averageUnder: 'below' }).alerts).toEqual([
      0x8089, 0x8002, 0x81b8,
    ]);
  });

  it('polarity: 0x81B8 when reversed is first seen, nothing when corrected', () => {
    expect(judge({ polarityReversed: true }).alerts).toEqual([0x81b8]);
    expect(judge({ polarityReversed: true }, { polarity: 'reversed' }).alerts).toEqual([]);
    const corrected = judge({ polarityReversed: false }, { polarity: 'reversed' });
    expect(corrected.alerts).toEqual([]);
    expect(corrected.detectors.polarity).toBe('correct');
  });

  it('power factor: judged only while current flows; no current cancels a pending change', () => {
    expect(judge(flowing(2000, 0.84)).armed).toEqual([{ timer: 'powerFactor', at: T0 + 60_000 }]);
    expect(judge(flowing(2000, 0.85)).armed).toEqual([]);
    expect(judge({ ...flowing(2000, 0.5), supply: 'disabled' }).armed).toEqual([]);
    expect(judge({ ...flowing(2000, 0.5), outageStartedAt: T0 }).armed).toEqual([]);
    expect(judge({ ...flowing(2000, 0.5), supply: 'armed' }, { powerFactor: 'beyond' }).cancelled).toEqual([
      'powerFactor',
    ]);
    const held = judge({ ...flowing(0, 0.5) }, { powerFactor: 'alerted' });
    expect(held.detectors.powerFactor).toBe('alerted');
    expect(judge(flowing(2000, 0.9), { powerFactor: 'alerted' }).armed).toEqual([
      { timer: 'powerFactor', at: T0 + 60_000 },
    ]);
    expect(judge(flowing(0, 0.9), { powerFactor: 'returning' }).cancelled).toEqual(['powerFactor']);
  });

  it('load limit: strictly above arms it; back within cancels it, or re-arms an alerted one (no return code)', () => {
    expect(judge(flowing(23_000, 1)).armed).toEqual([]);
    expect(judge(flowing(23_001, 1)).armed).toEqual([{ timer: 'loadLimit', at: T0 + 60_000 }]);
    expect(judge(flowing(1000, 1), { loadLimit: 'beyond' }).cancelled).toEqual(['loadLimit']);
    const rearmed = judge(flowing(1000, 1), { loadLimit: 'alerted' });
    expect(rearmed).toMatchObject({ alerts: [], armed: [], cancelled: [] });
    expect(rearmed.detectors.loadLimit).toBe('withinLimit');
    expect(judge(flowing(30_000, 1), { loadLimit: 'alerted' }).detectors.loadLimit).toBe('alerted');
  });
});

describe('periodEnded', () => {
  const detectors = (patch: Partial<DetectorStates>): DetectorStates => ({ ...initialDetectors, ...patch });
  it('beyond → alerted with the raise, returning → withinLimit with the return', () => {
    expect(periodEnded(detectors({ extremeUnder: 'beyond' }), 'extremeUnder')).toEqual({
      detectors: detectors({ extremeUnder: 'alerted' }),
      alert: 0x8028,
    });
    expect(periodEnded(detectors({ swell: 'returning' }), 'swell')).toEqual({
      detectors: detectors({}),
      alert: 0x8091,
    });
    expect(periodEnded(detectors({ powerFactor: 'beyond' }), 'powerFactor').alert).toBe(0x8014);
    expect(periodEnded(detectors({ powerFactor: 'returning' }), 'powerFactor').alert).toBe(0x8015);
    expect(periodEnded(detectors({ loadLimit: 'beyond' }), 'loadLimit')).toEqual({
      detectors: detectors({ loadLimit: 'alerted' }),
      alert: 0x8f01,
    });
  });

  it('a detector with no period pending stays and raises nothing', () => {
    const alerted = detectors({ sag: 'alerted', loadLimit: 'alerted' });
    expect(periodEnded(alerted, 'sag')).toEqual({ detectors: alerted });
    expect(periodEnded(alerted, 'loadLimit')).toEqual({ detectors: alerted });
  });
});

describe('meteringSchedule: the clock order of the metering timers', () => {
  it('by due time; at the same instant in the order armed', () => {
    let schedule = scheduled([], 'averagePeriod', 100);
    schedule = scheduled(schedule, 'swell', 50);
    schedule = scheduled(schedule, 'sag', 100);
    schedule = scheduled(schedule, 'networkDataInterval', 100);
    expect(schedule).toEqual([
      { timer: 'swell', at: 50 },
      { timer: 'averagePeriod', at: 100 },
      { timer: 'sag', at: 100 },
      { timer: 'networkDataInterval', at: 100 },
    ]);
    // Re-armed: a timer is in the schedule once, at its new place.
    expect(scheduled(schedule, 'averagePeriod', 100).map((entry) => entry.timer)).toEqual([
      'swell',
      'sag',
      'networkDataInterval',
      'averagePeriod',
    ]);
    expect(unscheduled(schedule, 'sag').map((entry) => entry.timer)).toEqual([
      'swell',
      'averagePeriod',
      'networkDataInterval',
    ]);
  });

  it('resumed at `now`: overdue timers fire at now in the regions order, before the later ones', () => {
    const deadlines = {
      averagePeriod: 300,
      networkDataInterval: 90,
      extremeOver: null,
      swell: 80,
      extremeUnder: null,
      sag: 120,
      powerFactor: 95,
      loadLimit: null,
      creditExhaustion: 10,
    };
    const schedule = [
      { timer: 'swell' as const, at: 80 },
      { timer: 'networkDataInterval' as const, at: 90 },
      { timer: 'powerFactor' as const, at: 95 },
      { timer: 'sag' as const, at: 120 },
      { timer: 'averagePeriod' as const, at: 300 },
    ];
    expect(resumedSchedule(schedule, deadlines, 100)).toEqual([
      { timer: 'networkDataInterval', at: 100 },
      { timer: 'swell', at: 100 },
      { timer: 'powerFactor', at: 100 },
      { timer: 'sag', at: 120 },
      { timer: 'averagePeriod', at: 300 },
    ]);
  });

  it('the one timer is due at the head', () => {
    expect(nextDueMs([{ timer: 'sag', at: 1500 }], 1000)).toBe(500);
    expect(nextDueMs([{ timer: 'sag', at: 900 }], 1000)).toBe(0);
    expect(nextDueMs([], 1000)).toBe(Infinity);
  });
});
