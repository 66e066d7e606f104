/**
 * ESME configuration: SR 6.5 voltage configuration (validation, writability, risk 11), SR 6.22 alert behaviour,
 * the event log, and dumb mode.
 */
import { describe, expect, it } from 'vitest';
import { REMOTE_PARTY_ROLES as R } from '../../devices/credentials';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { defaultEsmeProfile, defaultVoltageConfig, EsmeAlert } from '../../devices/esme/esmeProfile';
import { elsterProfile, itronProfile } from '../../devices/profiles';
import type { VendorProfile } from '../../devices/profiles/types';
import type { QuirkOverrides } from '../../devices/quirks';
import { startDevice, T0 } from './support/deviceHarness';
import { initialSlots, newParty, replacement } from './support/pki';

const ESME = '00-DB-12-34-56-78-90-A0';
const S = 1000;
const defaults = defaultVoltageConfig(defaultEsmeProfile);

function startEsme(
  options: { profile?: VendorProfile; migrationState?: 'smso' | 'dcc'; quirks?: QuirkOverrides } = {},
) {
  const { profile = itronProfile, migrationState = 'smso', quirks } = options;
  return startDevice(esmeMachine, { eui: ESME, profile, credentials: initialSlots, seed: 1, migrationState, quirks });
}
type Esme = ReturnType<typeof startEsme>;

/** A 61 s sag starting at T0 + `startSeconds`: raises 0x802C at +60 s and 0x8099 at +61 s. */
function sag(esme: Esme, startSeconds: number): void {
  esme.clock.advanceToSync(T0 + startSeconds * S);
  esme.command('mainsVoltage', { voltage: 200 });
  esme.clock.advanceToSync(T0 + (startSeconds + 61) * S);
  esme.command('mainsVoltage', { voltage: 230 });
}

const disableSag = { owner: 'networkOperator', alerts: [{ code: EsmeAlert.sag, enabled: false }] };
const disableLoadLimit = { owner: 'supplier', alerts: [{ code: EsmeAlert.loadLimit, enabled: false }] };

describe('voltageConfig (SR 6.5) validation', () => {
  it.each([
    ['average over-threshold below the under-threshold', { averageOverThreshold: 210, averageUnderThreshold: 220 }],
    ['equal average thresholds', { averageOverThreshold: 230, averageUnderThreshold: 230 }],
    ['sag above the average under-threshold', { sagThreshold: 225 }],
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
  it('quirk on, migrated (dcc): 6.5 and networkOperator 6.22 are notAuthorised, the alerts keep coming', () => {
    const esme = startEsme({ migrationState: 'dcc' });
    expect(esme.actor.getSnapshot().context.quirks).toContain('risk11');
    expect(esme.command('voltageConfig', { ...defaults, sagPeriod: 5 }).status).toBe('notAuthorised');
    expect(esme.command('alertBehaviour', disableSag).status).toBe('notAuthorised');
    expect(esme.actor.getSnapshot().context.voltageConfig).toEqual(defaults);
    sag(esme, 100);
    expect(esme.alertCodes()).toEqual([EsmeAlert.sag, EsmeAlert.sagReturned]);
    expect(esme.alerts[0].at).toBe(T0 + 160 * S); // the default 60 s period, not the refused 5 s
  });

  it('quirk on, migrated: the supplier still configures its own alert (load limit)', () => {
    const esme = startEsme({ migrationState: 'dcc' });
    expect(esme.command('alertBehaviour', disableLoadLimit).status).toBe('ok');
  });

  it('quirk on, dormant (not yet migrated, smso): 6.5 and 6.22 are accepted', () => {
    const esme = startEsme({ migrationState: 'smso' });
    expect(esme.command('voltageConfig', { ...defaults, sagPeriod: 5 }).status).toBe('ok');
    expect(esme.command('alertBehaviour', disableSag).status).toBe('ok');
  });

  it('quirk switched off (the fix), migrated: 6.5 and 6.22 are accepted', () => {
    const esme = startEsme({ migrationState: 'dcc', quirks: { risk11: false } });
    expect(esme.actor.getSnapshot().context.quirks).not.toContain('risk11');
    expect(esme.command('voltageConfig', { ...defaults, sagPeriod: 5 }).status).toBe('ok');
    expect(esme.command('alertBehaviour', disableSag).status).toBe('ok');
  });

  it('Elster, migrated: no risk 11 (the quirk is Itron\'s)', () => {
    const esme = startEsme({ profile: elsterProfile, migrationState: 'dcc', quirks: { risk11: true } });
    expect(esme.command('voltageConfig', defaults).status).toBe('ok');
  });

  it('refuses before validating: an invalid configuration from the DNO is still notAuthorised', () => {
    const esme = startEsme({ migrationState: 'dcc' });
    expect(esme.command('voltageConfig', { ...defaults, sagPeriod: 0 }).status).toBe('notAuthorised');
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
        { at: T0 + 161 * S, code: EsmeAlert.sagReturned },
      ],
    });
    esme.command('alertBehaviour', { owner: 'networkOperator', alerts: [{ code: EsmeAlert.sag, enabled: true }] });
    sag(esme, 300);
    expect(esme.alertCodes()).toEqual([EsmeAlert.sagReturned, EsmeAlert.sag, EsmeAlert.sagReturned]);
  });

  it('only the owner switches an alert: the DNO cannot silence the supplier\'s load limit', () => {
    const esme = startEsme();
    expect(esme.command('alertBehaviour', { ...disableLoadLimit, owner: 'networkOperator' }).status).toBe('notAuthorised');
    expect(esme.command('alertBehaviour', { owner: 'networkOperator', alerts: [{ code: 0x1234, enabled: false }] }).status).toBe(
      'invalidParameter',
    );
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
    esme.command('replaceCredentials', replacement(ESME, R.supplier, 'supplierBySupplier', dccSupplier.certificate, R.supplier));
    // authenticated (the network operator signs) but refused part-way: a supplier certificate for its slot
    const refusedPartWay = replacement(ESME, R.networkOperator, 'NObyNO', dccSupplier.certificate, R.networkOperator);
    expect(esme.command('replaceCredentials', refusedPartWay).status).toBe('notAuthorised');
    expect(esme.actor.getSnapshot().matches({ migration: 'dumb', power: { powered: 'suspended' } })).toBe(true);
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
    expect(esme.command('readCredentials', { role: 2 }).body).toEqual({ role: 2, certificate: dccSupplier.certificate });
  });

  it('recovery brings metering back, with periods aligned to the recovery', () => {
    const esme = dumbEsme();
    esme.clock.advanceToSync(T0 + 1000 * S);
    const dccNetworkOperator = newParty(R.networkOperator, '90-B3-D5-1F-30-02-00-09');
    const recovery = replacement(ESME, R.networkOperator, 'anyExceptAbnormalRootByRecovery', dccNetworkOperator.certificate, R.recovery);
    expect(esme.command('replaceCredentials', recovery).status).toBe('ok');
    esme.alerts.length = 0;
    esme.command('mainsVoltage', { voltage: 210 });
    esme.clock.advanceToSync(T0 + 2800 * S);
    expect(esme.alerts.map((alert) => ({ code: alert.code, at: (alert.at - T0) / S }))).toEqual([
      { code: EsmeAlert.averageUnderVoltage, at: 2800 },
    ]);
  });
});
