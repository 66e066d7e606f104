/**
 * ESME configuration: SR 6.5 voltage configuration (validation, writability, risk 11), SR 6.22 alert behaviour,
 * the event log, and dumb mode.
 */
import { describe, expect, it } from 'vitest';
import { REMOTE_PARTY_ROLES as R } from '../../common/credentials/roles';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { defaultEsmeProfile, defaultVoltageConfig, EsmeAlert } from '../../devices/esme/esmeProfile';
import { elsterProfile, itronProfile } from '../../devices/profiles';
import type { VendorProfile } from '../../devices/profiles/types';
import type { QuirkOverrides } from '../../devices/quirks';
import { startDevice, T0 } from './support/deviceHarness';
import { initialSlots, newParty, replacement } from './support/pki';

const ESME = '00-DB-12-34-56-78-90-A0';
const S = 1000;
const HOUR = 3600;
const defaults = defaultVoltageConfig(defaultEsmeProfile);

function startEsme(
  options: { profile?: VendorProfile; migrationState?: 'smso' | 'dcc'; quirks?: QuirkOverrides } = {},
) {
  const { profile = elsterProfile, migrationState = 'smso', quirks } = options;
  return startDevice(esmeMachine, { eui: ESME, profile, credentials: initialSlots, seed: 1, migrationState, quirks });
}
type Esme = ReturnType<typeof startEsme>;

/**
 * A 61 s sag to 200 V starting at T0 + `startSeconds`, then 60 s back at 230 V. On the default thresholds (sag
 * 207 V for 60 s, extreme under-voltage 195.5 V) it raises 0x802C at +60 s and 0x8099 at +121 s (60 s after the
 * voltage came back).
 */
function sag(esme: Esme, startSeconds: number): void {
  esme.clock.advanceToSync(T0 + startSeconds * S);
  esme.command('mainsVoltage', { voltage: 200 });
  esme.clock.advanceToSync(T0 + (startSeconds + 61) * S);
  esme.command('mainsVoltage', { voltage: 230 });
  esme.clock.advanceToSync(T0 + (startSeconds + 121) * S);
}

const disableSag = { owner: 'networkOperator', alerts: [{ code: EsmeAlert.sag, enabled: false }] };
const disableLoadLimit = { owner: 'supplier', alerts: [{ code: EsmeAlert.loadLimit, enabled: false }] };

describe('voltageConfig (SR 6.5) validation', () => {
  it.each([
    ['average over-threshold below the under-threshold', { averageOverThreshold: 210, averageUnderThreshold: 220 }],
    ['equal average thresholds', { averageOverThreshold: 230, averageUnderThreshold: 230 }],
    ['sag above the swell threshold', { sagThreshold: 260 }],
    ['extreme over-threshold below the swell threshold', { extremeOverThreshold: 255 }],
    ['zero measurement period', { averageMeasurementPeriod: 0 }],
    ['fractional sag period', { sagPeriod: 2.5 }],
    ['a missing field', { extremeUnderPeriod: undefined }],
  ])('refuses %s with invalidParameter and keeps the configuration', (_, change) => {
    const esme = startEsme();
    expect(esme.command('voltageConfig', { ...defaults, ...change }).status).toBe('invalidParameter');
    expect(esme.actor.getSnapshot().context.voltageConfig).toEqual(defaults);
  });

  it('accepts a valid configuration', () => {
    const esme = startEsme();
    const config = { ...defaults, sagThreshold: 210, sagPeriod: 30 };
    expect(esme.command('voltageConfig', config).status).toBe('ok');
    expect(esme.actor.getSnapshot().context.voltageConfig).toEqual(config);
  });

  it('is unsupported on a meter whose profile makes the voltage configuration read-only', () => {
    const readOnly: VendorProfile = {
      ...itronProfile,
      esme: { ...itronProfile.esme, voltageConfigWritable: { value: false, source: 'assumed', note: 'test profile' } },
    };
    const esme = startEsme({ profile: readOnly });
    expect(esme.command('voltageConfig', defaults).status).toBe('unsupported');
  });
});

describe('risk 11: migrated Itron ESME refuses the DNO voltage configuration and alert behaviour', () => {
  /** Itron's pre-migration configuration (assumed, devices/profiles/itronEsme.ts), written out independently. */
  const itronPreMigration = {
    averageOverThreshold: 236.9,
    averageUnderThreshold: 223.1,
    averageMeasurementPeriod: 1800,
    extremeOverThreshold: 253,
    extremeOverPeriod: 10,
    extremeUnderThreshold: 207,
    extremeUnderPeriod: 10,
    sagThreshold: 220.8,
    sagPeriod: 30,
    swellThreshold: 239.2,
    swellPeriod: 30,
  };
  /** What a DNO sends: the statutory limits 253 V / 216.2 V and the wider sag/swell/extreme bands. */
  const recommended = {
    averageOverThreshold: 253,
    averageUnderThreshold: 216.2,
    averageMeasurementPeriod: 1800,
    extremeOverThreshold: 264.5,
    extremeOverPeriod: 10,
    extremeUnderThreshold: 195.5,
    extremeUnderPeriod: 10,
    sagThreshold: 207,
    sagPeriod: 60,
    swellThreshold: 258.8,
    swellPeriod: 60,
  };
  const silencePowerFactor = {
    owner: 'networkOperator',
    alerts: [
      { code: 0x8014, enabled: false },
      { code: 0x8015, enabled: false },
    ],
  };
  const startItron = (quirks?: QuirkOverrides, migrationState: 'smso' | 'dcc' = 'dcc') =>
    startEsme({ profile: itronProfile, migrationState, quirks });
  const asSeconds = (esme: Esme) => esme.alerts.map((alert) => ({ code: alert.code, at: (alert.at - T0) / S }));

  /** Everyday supply from T0: 240 V, a 2 kW load at power factor 0.9. */
  function everydaySupply(esme: Esme): void {
    expect(esme.command('mainsVoltage', { voltage: 240 }).status).toBe('ok');
    expect(esme.command('load', { activePower: 2000, powerFactor: 0.9 }).status).toBe('ok');
  }

  it('the Itron ESME ships with its pre-migration configuration and a 0.95 power-factor threshold', () => {
    const esme = startItron();
    expect(esme.actor.getSnapshot().context.voltageConfig).toEqual(itronPreMigration);
    expect(esme.actor.getSnapshot().context.settings.powerFactorThreshold).toBe(0.95);
  });

  /** After the alerts began (1,900 s) the DNO tries to stop them; later the power factor recovers (4,000 s) and dips (4,100 s). */
  function dnoTriesThenPowerFactorChanges(esme: Esme, expected: 'ok' | 'notAuthorised'): void {
    esme.clock.advanceToSync(T0 + 1900 * S);
    expect(esme.command('voltageConfig', recommended).status).toBe(expected);
    expect(esme.command('alertBehaviour', silencePowerFactor).status).toBe(expected);
    esme.clock.advanceToSync(T0 + 4000 * S);
    esme.command('load', { activePower: 2000, powerFactor: 0.96 });
    esme.clock.advanceToSync(T0 + 4100 * S);
    esme.command('load', { activePower: 2000, powerFactor: 0.9 });
    esme.clock.advanceToSync(T0 + 7200 * S);
  }

  it('quirk on, migrated, at 240 V: swell 0x8024 at 30 s, power factor 0x8014 at 60 s, average 0x8002 at 1,800 s; the DNO 6.5 and 6.22 are notAuthorised and nothing stops them', () => {
    const esme = startItron();
    expect(esme.actor.getSnapshot().context.quirks).toContain('risk11');
    everydaySupply(esme);
    dnoTriesThenPowerFactorChanges(esme, 'notAuthorised');
    expect(
      esme.command('alertBehaviour', { owner: 'networkOperator', alerts: [{ code: 0x8024, enabled: false }] }).status,
    ).toBe('notAuthorised');
    expect(esme.actor.getSnapshot().context.voltageConfig).toEqual(itronPreMigration);
    expect(asSeconds(esme)).toEqual([
      { code: 0x8024, at: 30 },
      { code: 0x8014, at: 60 },
      { code: 0x8002, at: 1800 },
      { code: 0x8015, at: 4060 },
      { code: 0x8014, at: 4160 },
    ]);
  });

  it('quirk off (the fix), migrated, at 240 V: the DNO sets the recommended thresholds and silences the power factor, and the alerts stop', () => {
    const esme = startItron({ risk11: false });
    expect(esme.actor.getSnapshot().context.quirks).not.toContain('risk11');
    everydaySupply(esme);
    dnoTriesThenPowerFactorChanges(esme, 'ok');
    // The swell returns 60 s (the new swell period) after 240 V fell within 258.8 V at 1,900 s; the measurement
    // period restarted at 1,900 s averages 240 V ≤ 253 V, returning the average alert at 3,700 s. Then nothing:
    // the power-factor changes at 4,060 s and 4,160 s are logged, not emitted.
    expect(asSeconds(esme)).toEqual([
      { code: 0x8024, at: 30 },
      { code: 0x8014, at: 60 },
      { code: 0x8002, at: 1800 },
      { code: 0x8091, at: 1960 },
      { code: 0x8085, at: 3700 },
    ]);
    const log = esme.command('readEventLog', { log: 'event', from: T0 + 4000 * S, to: T0 + 7200 * S }).body;
    expect(log).toEqual({
      entries: [
        { at: T0 + 4060 * S, code: 0x8015 },
        { at: T0 + 4160 * S, code: 0x8014 },
      ],
    });
  });

  it('the flood: a day of an ordinary supply swinging 241 V / 238 V each half hour raises 49 alerts on a migrated Itron, none on the recommended limits', () => {
    const day = (esme: Esme) => {
      for (let k = 0; k < 48; k += 1) {
        esme.clock.advanceToSync(T0 + k * 1800 * S);
        expect(esme.command('mainsVoltage', { voltage: k % 2 === 0 ? 241 : 238 }).status).toBe('ok');
      }
      esme.clock.advanceToSync(T0 + (24 * HOUR + 60) * S);
    };
    const itron = startItron();
    day(itron);
    // 241 V is above the 239.2 V swell threshold: raised 30 s into each 241 V half hour, returned 30 s into the
    // next; every period averages above 236.9 V, so 0x8002 once at the first period's end and never returned.
    const expected: { code: number; at: number }[] = [];
    for (let k = 0; k < 48; k += 2) {
      expected.push({ code: 0x8024, at: k * 1800 + 30 });
      if (k === 0) expected.push({ code: 0x8002, at: 1800 });
      expected.push({ code: 0x8091, at: (k + 1) * 1800 + 30 });
    }
    expect(asSeconds(itron)).toEqual(expected);
    expect(itron.alerts).toHaveLength(49);

    const recommendedMeter = startEsme({ profile: elsterProfile, migrationState: 'dcc' });
    day(recommendedMeter);
    expect(recommendedMeter.alerts).toEqual([]);
  });

  it('quirk on, migrated: the supplier still configures its own alert (load limit)', () => {
    const esme = startItron();
    expect(esme.command('alertBehaviour', disableLoadLimit).status).toBe('ok');
  });

  it('quirk on, dormant (not yet migrated, smso): 6.5 and 6.22 are accepted', () => {
    const esme = startItron(undefined, 'smso');
    expect(esme.command('voltageConfig', recommended).status).toBe('ok');
    expect(esme.command('alertBehaviour', disableSag).status).toBe('ok');
  });

  it("Elster, migrated: no risk 11 (the quirk is Itron's) and the recommended limits are its defaults", () => {
    const esme = startEsme({ profile: elsterProfile, migrationState: 'dcc', quirks: { risk11: true } });
    expect(esme.actor.getSnapshot().context.voltageConfig).toEqual(recommended);
    expect(esme.command('voltageConfig', recommended).status).toBe('ok');
    expect(esme.command('mainsVoltage', { voltage: 240 }).status).toBe('ok');
    esme.clock.advanceToSync(T0 + 7200 * S);
    expect(esme.alerts).toEqual([]);
  });

  it('refuses before validating: an invalid configuration from the DNO is still notAuthorised', () => {
    const esme = startItron();
    expect(esme.command('voltageConfig', { ...recommended, sagPeriod: 0 }).status).toBe('notAuthorised');
  });
});

describe('alertBehaviour (SR 6.22) and the event log', () => {
  it('a disabled alert is logged but not emitted; re-enabled it is emitted again', () => {
    const esme = startEsme();
    expect(esme.command('alertBehaviour', disableSag).status).toBe('ok');
    sag(esme, 100);
    expect(esme.alertCodes()).toEqual([EsmeAlert.sagReturned]);
    expect(esme.command('readEventLog', { log: 'event', from: T0, to: T0 + 3600 * S }).body).toEqual({
      entries: [
        { at: T0 + 160 * S, code: EsmeAlert.sag },
        { at: T0 + 221 * S, code: EsmeAlert.sagReturned },
      ],
    });
    esme.command('alertBehaviour', { owner: 'networkOperator', alerts: [{ code: EsmeAlert.sag, enabled: true }] });
    sag(esme, 300);
    expect(esme.alertCodes()).toEqual([EsmeAlert.sagReturned, EsmeAlert.sag, EsmeAlert.sagReturned]);
  });

  it("switching an alert changes this meter's settings only: the next meter of the profile starts with the defaults", () => {
    const silenced = startEsme();
    expect(silenced.command('alertBehaviour', disableSag).status).toBe('ok');
    const fresh = startEsme();
    sag(fresh, 100);
    expect(fresh.alertCodes()).toEqual([EsmeAlert.sag, EsmeAlert.sagReturned]);
  });

  it("only the owner switches an alert: the DNO cannot silence the supplier's load limit", () => {
    const esme = startEsme();
    expect(esme.command('alertBehaviour', { ...disableLoadLimit, owner: 'networkOperator' }).status).toBe(
      'notAuthorised',
    );
    expect(
      esme.command('alertBehaviour', { owner: 'networkOperator', alerts: [{ code: 0x1234, enabled: false }] }).status,
    ).toBe('invalidParameter');
  });

  it('readNetworkData refuses an inverted range', () => {
    const esme = startEsme();
    expect(esme.command('readNetworkData', { from: T0 + 1, to: T0 }).status).toBe('invalidParameter');
  });
});

describe('dumb mode (after an authenticated credential swap step refused part-way)', () => {
  const dccSupplier = newParty(R.supplier, '90-B3-D5-1F-30-01-00-0A');

  function dumbEsme() {
    const esme = startEsme();
    esme.command(
      'replaceCredentials',
      replacement(ESME, R.supplier, 'supplierBySupplier', dccSupplier.certificate, R.supplier),
    );
    // authenticated (the network operator signs) but refused part-way: a supplier certificate for its slot
    const refusedPartWay = replacement(ESME, R.networkOperator, 'NObyNO', dccSupplier.certificate, R.networkOperator);
    expect(esme.command('replaceCredentials', refusedPartWay).status).toBe('notAuthorised');
    expect(esme.actor.getSnapshot().context.migrationState).toBe('dumb');
    expect(esme.actor.getSnapshot().context.power).toBe('suspended');
    esme.alerts.length = 0;
    return esme;
  }

  it('refuses configuration and smart reads with dumbMode', () => {
    const esme = dumbEsme();
    expect(esme.command('voltageConfig', defaults).status).toBe('dumbMode');
    expect(esme.command('powerThresholds', { lowMediumThreshold: 1, mediumHighThreshold: 2 }).status).toBe('dumbMode');
    expect(esme.command('alertBehaviour', disableSag).status).toBe('dumbMode');
    expect(esme.command('setSupply', { state: 'disabled' }).status).toBe('dumbMode');
    expect(esme.command('readSupply').status).toBe('dumbMode');
    expect(esme.command('readNetworkData', { from: T0, to: T0 }).status).toBe('dumbMode');
  });

  it('raises no voltage, power or outage alerts and records no network data', () => {
    const esme = dumbEsme();
    sag(esme, 100);
    esme.command('load', { activePower: 30_000, powerFactor: 0.5 });
    esme.command('powerCut');
    esme.clock.advanceBySync(600 * S);
    esme.command('powerRestore');
    esme.clock.advanceToSync(T0 + 7200 * S);
    expect(esme.alerts).toEqual([]);
    expect(esme.actor.getSnapshot().context.networkData).toEqual([]);
  });

  it('still answers bench controls, identity and credentials', () => {
    const esme = dumbEsme();
    expect(esme.command('mainsVoltage', { voltage: 240 }).status).toBe('ok');
    expect(esme.command('readDeviceInfo').body).toMatchObject({ deviceType: 'ESME', migrationState: 'dumb' });
    expect(esme.command('readCredentials', { role: 2 }).body).toEqual({
      role: 2,
      certificate: dccSupplier.certificate,
    });
  });

  it('recovery brings metering back, with periods aligned to the recovery', () => {
    const esme = dumbEsme();
    esme.clock.advanceToSync(T0 + 1000 * S);
    const dccNetworkOperator = newParty(R.networkOperator, '90-B3-D5-1F-30-02-00-09');
    const recovery = replacement(
      ESME,
      R.networkOperator,
      'anyExceptAbnormalRootByRecovery',
      dccNetworkOperator.certificate,
      R.recovery,
    );
    expect(esme.command('replaceCredentials', recovery).status).toBe('ok');
    esme.alerts.length = 0;
    esme.command('mainsVoltage', { voltage: 210 });
    esme.clock.advanceToSync(T0 + 2800 * S);
    expect(esme.alerts.map((alert) => ({ code: alert.code, at: (alert.at - T0) / S }))).toEqual([
      { code: EsmeAlert.averageUnderVoltage, at: 2800 },
    ]);
  });
});
