/**
 * ESME supply (contactor), power cuts and restoration alerts, load limit, power factor and the IHD ambient state.
 */
import { describe, expect, it } from 'vitest';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { EsmeAlert } from '../../devices/esme/esmeProfile';
import { elsterProfile } from '../../devices/profiles';
import { startDevice, T0 } from './support/deviceHarness';
import { initialSlots } from './support/pki';

const ESME = '00-DB-12-34-56-78-90-A0';
const S = 1000;

function startEsme() {
  return startDevice(esmeMachine, { eui: ESME, profile: elsterProfile, credentials: initialSlots, seed: 1 });
}
type Esme = ReturnType<typeof startEsme>;

function at(esme: Esme, seconds: number, type: string, fields: Record<string, unknown> = {}): string {
  esme.clock.advanceToSync(T0 + seconds * S);
  return esme.command(type, fields).status;
}

const alertsAsSeconds = (esme: Esme) => esme.alerts.map((alert) => ({ code: alert.code, at: (alert.at - T0) / S }));

describe('supply state (setSupply / readSupply)', () => {
  it('starts enabled and follows setSupply through disabled, armed and enabled', () => {
    const esme = startEsme();
    expect(esme.command('readSupply').body).toEqual({ state: 'enabled' });
    for (const state of ['disabled', 'armed', 'enabled'] as const) {
      expect(esme.command('setSupply', { state }).status).toBe('ok');
      expect(esme.command('readSupply').body).toEqual({ state });
    }
  });

  it('refuses an unknown supply state and keeps the current one', () => {
    const esme = startEsme();
    expect(esme.command('setSupply', { state: 'off' }).status).toBe('invalidParameter');
    expect(esme.command('readSupply').body).toEqual({ state: 'enabled' });
  });
});

describe('power cut and restoration (0x8F35 below 180 s, 0x8F36 from 180 s)', () => {
  it('an outage of 179 s is restored with 0x8F35 at the instant of restoration', () => {
    const esme = startEsme();
    expect(at(esme, 100, 'powerCut')).toBe('ok');
    expect(at(esme, 279, 'powerRestore')).toBe('ok');
    expect(alertsAsSeconds(esme)).toEqual([{ code: EsmeAlert.supplyOutageRestored, at: 279 }]);
  });

  it('an outage of exactly 180 s is restored with 0x8F36', () => {
    const esme = startEsme();
    at(esme, 100, 'powerCut');
    at(esme, 280, 'powerRestore');
    expect(alertsAsSeconds(esme)).toEqual([{ code: EsmeAlert.supplyOutageRestoredLong, at: 280 }]);
  });

  it('a second cut during a cut and a restore without a cut change nothing', () => {
    const esme = startEsme();
    expect(at(esme, 10, 'powerRestore')).toBe('ok');
    at(esme, 100, 'powerCut');
    expect(at(esme, 200, 'powerCut')).toBe('ok'); // the outage still began at 100 s
    at(esme, 279, 'powerRestore');
    expect(alertsAsSeconds(esme)).toEqual([{ code: EsmeAlert.supplyOutageRestored, at: 279 }]);
  });

  it('a cut stops metering: a sag in progress is dropped and the periods restart at the restoration', () => {
    const esme = startEsme();
    at(esme, 100, 'mainsVoltage', { voltage: 200 });
    at(esme, 130, 'powerCut');
    at(esme, 160, 'powerRestore'); // 200 V still on the terminals: a new sag begins at 160 s
    esme.clock.advanceToSync(T0 + 1900 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.supplyOutageRestored, at: 160 },
      { code: EsmeAlert.sag, at: 220 },
    ]);
    // No record for the interval the cut interrupted; the next interval ends 30 min after the restoration.
    expect(esme.command('readNetworkData', { from: T0, to: T0 + 1900 * S }).body).toEqual({ records: [] });
    esme.clock.advanceToSync(T0 + 1960 * S);
    expect(esme.command('readNetworkData', { from: T0, to: T0 + 1960 * S }).body).toEqual({
      records: [{ at: T0 + 1960 * S, averageRmsVoltage: 200 }],
    });
  });

  it('state while cut: power state outage, metering windows closed, no metering timer', () => {
    const esme = startEsme();
    at(esme, 100, 'powerCut');
    const snapshot = esme.actor.getSnapshot();
    expect(snapshot.context.power).toBe('outage');
    expect(snapshot.context.averagingWindow).toBeNull();
    expect(snapshot.context.meteringSchedule).toEqual([]);
    // The one metering timer cancelled (a credit meter has no other): a cut left armed would fire for nothing.
    expect(esme.clock.pendingCount).toBe(0);
    at(esme, 150, 'powerRestore');
    expect(esme.actor.getSnapshot().context.power).toBe('metering');
    expect(esme.clock.pendingCount).toBe(1);
    at(esme, 160, 'powerCut');
    at(esme, 170, 'powerRestore');
    expect(esme.clock.pendingCount).toBe(1);
  });
});

describe('load limit (0x8F01: import above 23 kW for 60 s)', () => {
  it('raises 0x8F01 once at +60 s above the limit; 59 s raises nothing', () => {
    const esme = startEsme();
    at(esme, 100, 'load', { activePower: 24_000, powerFactor: 1 });
    at(esme, 159, 'load', { activePower: 5_000, powerFactor: 1 });
    at(esme, 200, 'load', { activePower: 24_000, powerFactor: 1 });
    esme.clock.advanceToSync(T0 + 3600 * S);
    expect(alertsAsSeconds(esme)).toEqual([{ code: EsmeAlert.loadLimit, at: 260 }]);
  });

  it('exactly the threshold is not above it', () => {
    const esme = startEsme();
    at(esme, 100, 'load', { activePower: 23_000, powerFactor: 1 });
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(esme.alerts).toEqual([]);
  });

  it('re-arms after the import drops back: a second overload raises again', () => {
    const esme = startEsme();
    at(esme, 100, 'load', { activePower: 24_000, powerFactor: 1 });
    at(esme, 200, 'load', { activePower: 1_000, powerFactor: 1 });
    at(esme, 300, 'load', { activePower: 24_000, powerFactor: 1 });
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.loadLimit, at: 160 },
      { code: EsmeAlert.loadLimit, at: 360 },
    ]);
  });

  it('opening the contactor stops the measured import: no alert', () => {
    const esme = startEsme();
    at(esme, 100, 'load', { activePower: 24_000, powerFactor: 1 });
    at(esme, 130, 'setSupply', { state: 'disabled' });
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(esme.alerts).toEqual([]);
  });
});

describe('power factor (0x8014 below 0.85 for 60 s, 0x8015 back for 60 s)', () => {
  it('raises 0x8014 once the power factor has stayed low for 60 s and 0x8015 once it has stayed back for 60 s', () => {
    const esme = startEsme();
    at(esme, 100, 'load', { activePower: 2_000, powerFactor: 0.8 });
    at(esme, 130, 'load', { activePower: 2_000, powerFactor: 0.7 }); // still low: the same period runs on
    at(esme, 300, 'load', { activePower: 2_000, powerFactor: 0.85 });
    esme.clock.advanceToSync(T0 + 360 * S - 1);
    expect(alertsAsSeconds(esme)).toEqual([{ code: EsmeAlert.powerFactorBelowThreshold, at: 160 }]);
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.powerFactorBelowThreshold, at: 160 },
      { code: EsmeAlert.powerFactorReturned, at: 360 },
    ]);
  });

  it('a power factor wavering 0.84 / 0.86 every 10 s for 100 s raises nothing', () => {
    const esme = startEsme();
    for (let i = 0; i < 10; i += 1)
      at(esme, 100 + i * 10, 'load', { activePower: 2_000, powerFactor: i % 2 === 0 ? 0.84 : 0.86 });
    esme.clock.advanceToSync(T0 + 200 * S);
    expect(esme.alerts).toEqual([]);
  });

  it('wavering after an alert does not return it: 0x8014 at 160 s, then 0.86 / 0.84 every 10 s keeps it raised', () => {
    const esme = startEsme();
    at(esme, 100, 'load', { activePower: 2_000, powerFactor: 0.84 });
    for (let i = 0; i < 10; i += 1)
      at(esme, 200 + i * 10, 'load', { activePower: 2_000, powerFactor: i % 2 === 0 ? 0.86 : 0.84 });
    esme.clock.advanceToSync(T0 + 400 * S);
    expect(alertsAsSeconds(esme)).toEqual([{ code: EsmeAlert.powerFactorBelowThreshold, at: 160 }]);
  });

  it('is not judged without current: a poor power factor behind an open contactor raises nothing', () => {
    const esme = startEsme();
    at(esme, 50, 'setSupply', { state: 'armed' });
    at(esme, 100, 'load', { activePower: 2_000, powerFactor: 0.5 });
    esme.clock.advanceToSync(T0 + 200 * S);
    expect(esme.alerts).toEqual([]);
    at(esme, 200, 'setSupply', { state: 'enabled' });
    esme.clock.advanceToSync(T0 + 300 * S);
    expect(alertsAsSeconds(esme)).toEqual([{ code: EsmeAlert.powerFactorBelowThreshold, at: 260 }]);
  });

  it('current stopping cancels a pending 0x8014: low for 30 s, contactor opened, nothing', () => {
    const esme = startEsme();
    at(esme, 100, 'load', { activePower: 2_000, powerFactor: 0.5 });
    at(esme, 130, 'setSupply', { state: 'disabled' });
    esme.clock.advanceToSync(T0 + 400 * S);
    expect(esme.alerts).toEqual([]);
  });

  it('refuses a power factor outside 0..1', () => {
    const esme = startEsme();
    expect(esme.command('load', { activePower: 1000, powerFactor: 1.2 }).status).toBe('invalidParameter');
  });
});

describe('IHD ambient state (SR 6.12 power thresholds, no alert)', () => {
  it('follows the measured import against lowMedium / mediumHigh', () => {
    const esme = startEsme();
    const ambient = () => esme.actor.getSnapshot().context.ambientState;
    expect(ambient()).toBe('low');
    esme.command('load', { activePower: 1_500, powerFactor: 1 });
    expect(ambient()).toBe('medium');
    esme.command('load', { activePower: 3_500, powerFactor: 1 });
    expect(ambient()).toBe('high');
    expect(esme.command('powerThresholds', { lowMediumThreshold: 2_000, mediumHighThreshold: 4_000 }).status).toBe(
      'ok',
    );
    expect(ambient()).toBe('medium');
    esme.command('setSupply', { state: 'disabled' });
    expect(ambient()).toBe('low');
    expect(esme.alerts).toEqual([]);
  });

  it('goes low during a power cut and back with the restoration', () => {
    const esme = startEsme();
    const ambient = () => esme.actor.getSnapshot().context.ambientState;
    esme.command('load', { activePower: 3_500, powerFactor: 1 });
    expect(ambient()).toBe('high');
    esme.command('powerCut');
    expect(ambient()).toBe('low');
    esme.command('powerRestore');
    expect(ambient()).toBe('high');
  });

  it('refuses lowMedium at or above mediumHigh', () => {
    const esme = startEsme();
    expect(esme.command('powerThresholds', { lowMediumThreshold: 4_000, mediumHighThreshold: 4_000 }).status).toBe(
      'invalidParameter',
    );
    expect(esme.actor.getSnapshot().context.powerThresholds).toEqual({
      lowMediumThreshold: 1000,
      mediumHighThreshold: 3000,
    });
  });
});
