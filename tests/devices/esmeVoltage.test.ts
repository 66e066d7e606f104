/**
 * ESME RMS voltage quality on a virtual clock, with exact alert times: the average over/under-voltage alerts at
 * the end of measurement periods, and the instantaneous excursions (sag, swell, extreme under/over-voltage)
 * raised the instant they have lasted their period, and returned once the voltage has been back for the period.
 */
import { describe, expect, it } from 'vitest';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { defaultEsmeProfile, defaultVoltageConfig, EsmeAlert } from '../../devices/esme/esmeProfile';
import { elsterProfile } from '../../devices/profiles';
import { restartFromPersisted, startDevice, T0 } from './support/deviceHarness';
import { initialSlots } from './support/pki';

const ESME = '00-DB-12-34-56-78-90-A0';
const S = 1000;
const defaults = defaultVoltageConfig(defaultEsmeProfile);

function startEsme() {
  return startDevice(esmeMachine, { eui: ESME, profile: elsterProfile, credentials: initialSlots, seed: 1 });
}
type Esme = ReturnType<typeof startEsme>;

/** Sets the mains voltage at T0 + `atSeconds` (advancing the clock there first). */
function voltageAt(esme: Esme, atSeconds: number, voltage: number): void {
  esme.clock.advanceToSync(T0 + atSeconds * S);
  expect(esme.command('mainsVoltage', { voltage }).status).toBe('ok');
}

const alertsAsSeconds = (esme: Esme) => esme.alerts.map((alert) => ({ code: alert.code, at: (alert.at - T0) / S }));

describe('average RMS voltage (30-minute measurement period, aligned to the meter start at T0)', () => {
  it('raises 0x8006 once at the end of the first low period and 0x8089 once at the end of the first recovered one', () => {
    const esme = startEsme();
    voltageAt(esme, 300, 210); // period 1 (0–1800 s): 300 s at 230 V, 1500 s at 210 V → 213.3 V < 216.2 V
    voltageAt(esme, 4500, 230); // period 2 (1800–3600 s) 210 V, still low; period 3 (3600–5400 s) → 220 V
    esme.clock.advanceToSync(T0 + 7200 * S); // period 4 at 230 V
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.averageUnderVoltage, at: 1800 },
      { code: EsmeAlert.averageUnderVoltageReturned, at: 5400 },
    ]);
    const records = esme.command('readNetworkData', { from: T0, to: T0 + 7200 * S }).body as {
      records: { at: number; averageRmsVoltage: number }[];
    };
    expect(records.records).toEqual([
      { at: T0 + 1800 * S, averageRmsVoltage: 213.3 },
      { at: T0 + 3600 * S, averageRmsVoltage: 210 },
      { at: T0 + 5400 * S, averageRmsVoltage: 220 },
      { at: T0 + 7200 * S, averageRmsVoltage: 230 },
    ]);
  });

  it('nothing before the period ends: at 1,799.999 s the low average has not been judged yet', () => {
    const esme = startEsme();
    voltageAt(esme, 0, 210);
    esme.clock.advanceToSync(T0 + 1800 * S - 1);
    expect(esme.alerts).toEqual([]);
    esme.clock.advanceToSync(T0 + 1800 * S);
    expect(alertsAsSeconds(esme)).toEqual([{ code: EsmeAlert.averageUnderVoltage, at: 1800 }]);
  });

  it('compares the average rounded to 0.1 V, strictly: exactly 216.2 V raises nothing, 216.0 V raises 0x8006', () => {
    const atThreshold = startEsme();
    voltageAt(atThreshold, 0, 210);
    voltageAt(atThreshold, 1242, 230); // (1242 × 210 + 558 × 230) / 1800 = 216.2
    atThreshold.clock.advanceToSync(T0 + 1800 * S);
    expect(atThreshold.alerts).toEqual([]);

    const below = startEsme();
    voltageAt(below, 0, 210);
    voltageAt(below, 1260, 230); // (1260 × 210 + 540 × 230) / 1800 = 216.0
    below.clock.advanceToSync(T0 + 1800 * S);
    expect(alertsAsSeconds(below)).toEqual([{ code: EsmeAlert.averageUnderVoltage, at: 1800 }]);
  });

  it('raises 0x8002 above 253 V on average and 0x8085 when a period averages back below', () => {
    const esme = startEsme();
    voltageAt(esme, 0, 256); // above the average over-threshold, below the 258.8 V swell threshold
    voltageAt(esme, 2700, 230); // period 2: 900 s at 256, 900 s at 230 → 243 V
    esme.clock.advanceToSync(T0 + 5400 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.averageOverVoltage, at: 1800 },
      { code: EsmeAlert.averageOverVoltageReturned, at: 3600 },
    ]);
  });

  it('a short dip that the 30-minute average absorbs raises no average alert', () => {
    const esme = startEsme();
    voltageAt(esme, 600, 210);
    voltageAt(esme, 900, 230); // 300 s at 210 V → 226.7 V average
    esme.clock.advanceToSync(T0 + 1800 * S);
    expect(esme.alerts).toEqual([]);
  });

  it('an accepted voltageConfig restarts the periods from its own instant (10-minute period set at 600 s)', () => {
    const esme = startEsme();
    voltageAt(esme, 0, 210);
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(esme.command('voltageConfig', { ...defaults, averageMeasurementPeriod: 600 }).status).toBe('ok');
    esme.clock.advanceToSync(T0 + 1800 * S);
    // The first period after the configuration ends at 1200 s, not at 600 s (the dropped period) nor 1800 s.
    expect(alertsAsSeconds(esme)).toEqual([{ code: EsmeAlert.averageUnderVoltage, at: 1200 }]);
  });
});

describe('instantaneous excursions ("longer than the period": raised when the excursion has lasted the period)', () => {
  it('a 59 s sag with a 60 s sag period raises nothing', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 200);
    voltageAt(esme, 159, 230);
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(esme.alerts).toEqual([]);
  });

  it('a 61 s sag raises 0x802C at exactly +60 s, and 0x8099 once the voltage has been back for the 60 s period', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 200);
    voltageAt(esme, 161, 230);
    esme.clock.advanceToSync(T0 + 221 * S - 1);
    expect(alertsAsSeconds(esme)).toEqual([{ code: EsmeAlert.sag, at: 160 }]);
    esme.clock.advanceToSync(T0 + 221 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.sag, at: 160 },
      { code: EsmeAlert.sagReturned, at: 221 },
    ]);
  });

  it('restored from its persisted snapshot while the return is pending, it still returns at +60 s after the end', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 200);
    voltageAt(esme, 161, 230);
    esme.clock.advanceToSync(T0 + 190 * S);
    const restored = restartFromPersisted(esme, esmeMachine, {
      eui: ESME,
      profile: elsterProfile,
      credentials: initialSlots,
      seed: 1,
    });
    restored.clock.advanceToSync(T0 + 600 * S);
    expect(alertsAsSeconds(restored)).toEqual([{ code: EsmeAlert.sagReturned, at: 221 }]);
  });

  it('boundary: a sag of exactly 60 s raises 0x802C (the timer fires at +60 s before the restoring stimulus)', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 200);
    voltageAt(esme, 160, 230);
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.sag, at: 160 },
      { code: EsmeAlert.sagReturned, at: 220 },
    ]);
  });

  it('a return shorter than the period does not end the excursion: no second 0x802C, one 0x8099 after the last return', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 200); // sag from 100 s: 0x802C at 160 s
    voltageAt(esme, 170, 230); // back for 59 s only
    voltageAt(esme, 229, 200); // sagging again: still the same excursion
    voltageAt(esme, 300, 230); // back for good: returned at 360 s
    esme.clock.advanceToSync(T0 + 900 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.sag, at: 160 },
      { code: EsmeAlert.sagReturned, at: 360 },
    ]);
  });

  it('two 59 s sags separated by 1 s raise nothing: each excursion restarts its period', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 200);
    voltageAt(esme, 159, 230);
    voltageAt(esme, 160, 200);
    voltageAt(esme, 219, 230);
    expect(esme.alerts).toEqual([]);
  });

  it('a sag changing depth without leaving the sag band keeps its period (200 V then 205 V)', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 200);
    voltageAt(esme, 130, 205);
    esme.clock.advanceToSync(T0 + 160 * S);
    expect(alertsAsSeconds(esme)).toEqual([{ code: EsmeAlert.sag, at: 160 }]);
  });

  it('190 V for 15 s: extreme under-voltage 0x8028 at +10 s and 0x8095 10 s after the end (125 s); the sag (60 s) never matures', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 190);
    voltageAt(esme, 115, 230);
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.extremeUnderVoltage, at: 110 },
      { code: EsmeAlert.extremeUnderVoltageReturned, at: 125 },
    ]);
  });

  it('190 V for 70 s: extreme under-voltage at +10 s, sag at +60 s; each returns after its own period (10 s, 60 s)', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 190);
    voltageAt(esme, 170, 230);
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.extremeUnderVoltage, at: 110 },
      { code: EsmeAlert.sag, at: 160 },
      { code: EsmeAlert.extremeUnderVoltageReturned, at: 180 },
      { code: EsmeAlert.sagReturned, at: 230 },
    ]);
  });

  it('260 V for 90 s: swell 0x8024 at +60 s and 0x8091 60 s after it ends (250 s)', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 260);
    voltageAt(esme, 190, 230);
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.swell, at: 160 },
      { code: EsmeAlert.swellReturned, at: 250 },
    ]);
  });

  it('270 V for 30 s: extreme over-voltage 0x8020 at +10 s and 0x808D 10 s after it ends (140 s); 9 s raises nothing', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 270);
    voltageAt(esme, 130, 230);
    voltageAt(esme, 200, 270);
    voltageAt(esme, 209, 230);
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.extremeOverVoltage, at: 110 },
      { code: EsmeAlert.extremeOverVoltageReturned, at: 140 },
    ]);
  });

  it('an excursion held for hours is raised once', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 200);
    esme.clock.advanceToSync(T0 + 3 * 3600 * S);
    expect(esme.alertCodes().filter((code) => code === EsmeAlert.sag)).toEqual([EsmeAlert.sag]);
  });

  it('takes the period from the voltage configuration (sagPeriod 5 s)', () => {
    const esme = startEsme();
    expect(esme.command('voltageConfig', { ...defaults, sagPeriod: 5 }).status).toBe('ok');
    voltageAt(esme, 100, 200);
    esme.clock.advanceToSync(T0 + 120 * S);
    expect(alertsAsSeconds(esme)).toEqual([{ code: EsmeAlert.sag, at: 105 }]);
  });

  it('new thresholds apply at once: a sag alert returns when the threshold is lowered under the voltage', () => {
    const esme = startEsme();
    voltageAt(esme, 100, 200);
    esme.clock.advanceToSync(T0 + 200 * S);
    expect(esme.command('voltageConfig', { ...defaults, sagThreshold: 198, extremeUnderThreshold: 190 }).status).toBe(
      'ok',
    );
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: EsmeAlert.sag, at: 160 },
      { code: EsmeAlert.sagReturned, at: 260 },
    ]);
  });

  it('refuses an impossible mains voltage', () => {
    const esme = startEsme();
    expect(esme.command('mainsVoltage', { voltage: -1 }).status).toBe('invalidParameter');
    expect(esme.command('mainsVoltage', { voltage: 'high' }).status).toBe('invalidParameter');
    expect(esme.actor.getSnapshot().context.mainsVoltage).toBe(230);
  });
});
