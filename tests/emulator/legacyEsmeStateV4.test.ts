/**
 * A state file written by the emulator while the ESME's power supply was an XState region (state version 4, made by
 * `smets1 emulate --state --sets 4` at commit e84d58c on the wall clock, then over the bench protocol: set 0's ESME
 * held at 245 V, then its power cut; set 1's ESME made dumb (a supplierBySupplier replacement, then an NObyNO one
 * refused part-way); set 2's ESME at 250 V drawing 2 kW at power factor 0.9 (metering, a swell and a power-factor
 * period pending); set 3's ESME made dumb, then its power cut; then stopped: tests/fixtures/state-v4-esme-power)
 * restores with the same power state: the outage alert on restore, metering resumed with its pending timers at their
 * original instants, a dumb meter silent until recovery brings it back into metering.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchPki } from '../../emulator/host/benchPki';
import { signReplacement } from '../../common/credentials/testPki';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { EsmeAlert } from '../../devices/esme/esmeProfile';
import { itronProfile } from '../../devices/profiles';
import { VirtualClock } from '../../emulator/clock';
import { migrateV4EsmeSnapshot } from '../../emulator/persistence/legacyEsmeState';
import { describeSchemaError, validateSetRecord } from '../../emulator/persistence/stateSchema';
import { startDevice } from '../devices/support/deviceHarness';
import { initialSlots } from '../devices/support/pki';
import { loadFixtureCopy, loadFixtureDevice } from './stateFixture';

const FIXTURE = join(__dirname, '../fixtures/state-v4-esme-power');
const OUTAGE = '00-DB-12-34-56-78-90-A0';
const DUMB = '00-DB-12-34-56-78-90-B0';
const METERING = '00-DB-12-34-56-78-90-C0';
const DUMB_OUTAGE = '00-DB-12-34-56-78-90-D0';
const S = 1000;
// Read from the fixture's newest slots by hand (ms).
/** Set 0's ESME: when its power was cut. */
const OUTAGE_AT = 1796469258825;
/** Set 2's ESME: when metering started (its windows' start) and when 250 V was set. */
const METERING_FROM = 1796469258746;
const VOLTAGE_SET_AT = 1796469258878;
/** Set 2's ESME: its pending periods, swell (Itron: 30 s) and power factor (60 s), from the last change. */
const SWELL_DUE = VOLTAGE_SET_AT + 30 * S;
const POWER_FACTOR_DUE = 1796469258880 + 60 * S;
/** Set 2's ESME: the measurement period and the network-data interval (both 1800 s) from metering's start. */
const PERIOD_END = METERING_FROM + 1800 * S;

/** The fixture's PKI: the emulator's own for seed 1 (emulator/host/benchConfig.ts). */
const pki = benchPki('smso-1');

function loadEsme(set: number, eui: string) {
  const esme = loadFixtureDevice(FIXTURE, set, eui);
  expect(esme.src).toBe('esme');
  return esme.snapshot;
}

function restore(set: number, eui: string, at: number) {
  return startDevice(
    esmeMachine,
    { eui, profile: itronProfile, credentials: initialSlots, seed: 1 },
    { clock: new VirtualClock(at), snapshot: loadEsme(set, eui) },
  );
}

const timed = (alerts: { code: number; at: number }[]) => alerts.map(({ code, at }) => ({ code, at }));

/** The recovery party brings a dumb meter back into the swap (the fixture's counters are all below 1000). */
function recovery(eui: string) {
  const fields = { role: 3, mode: 'anyExceptAbnormalRootByRecovery', certificate: pki.parties[3].certificate };
  const signed = { ...fields, counter: 1000 };
  return { ...signed, signature: signReplacement(signed as never, eui, pki.parties[1].privateKey) };
}

/** Set 0's record as loaded (migrated), with its ESME changed by `edit`. */
function edited(edit: (esme: { context: Record<string, unknown> }) => void): unknown {
  const loaded = loadFixtureCopy(FIXTURE);
  const snapshot = structuredClone(loaded.snapshots[0]) as { children: Record<string, { snapshot: never }> };
  edit(snapshot.children[OUTAGE].snapshot);
  return { set: 0, generation: 0, snapshot, pendingAlerts: [], nextAlertId: 1 };
}

describe('a version-4 state file (the ESME power supply an XState region)', () => {
  it('loads with the power state in context and no power region in the state value', () => {
    // on to version 6: the migration region's state in context too, no region left in the value
    const expected: [number, string, string, string][] = [
      [0, OUTAGE, 'smso', 'outage'],
      [1, DUMB, 'dumb', 'suspended'],
      [2, METERING, 'smso', 'metering'],
      [3, DUMB_OUTAGE, 'dumb', 'outage'],
    ];
    for (const [set, eui, migrationState, power] of expected) {
      const esme = loadEsme(set, eui) as { value: unknown; context: Record<string, unknown> };
      expect(esme.value).toEqual({});
      expect(esme.context).toMatchObject({ migrationState, swapInProgress: false, power });
    }
  });

  it('a power region of another shape is refused naming the field', () => {
    expect(migrateV4EsmeSnapshot({ value: { power: { powered: 'starting' } }, context: {} })).toEqual({
      value: {},
      context: { power: { powered: 'starting' } },
    });
    expect(migrateV4EsmeSnapshot({ value: { power: 'sideways' }, context: {} })).toEqual({
      value: {},
      context: { power: 'sideways' },
    });
    expect(validateSetRecord(edited((esme) => (esme.context.power = 'sideways')))).toBe(false);
    expect(describeSchemaError(validateSetRecord.errors)).toMatch(/context\/power: must be equal to one of/);
  });

  it('a meter restored in a power cut raises the long-outage alert on restore, then meters from that instant', () => {
    const restoredAt = OUTAGE_AT + 600 * S;
    const esme = restore(0, OUTAGE, restoredAt);
    expect(esme.command('readNetworkData', { from: 0, to: restoredAt + 7200 * S }).body).toEqual({ records: [] });
    esme.clock.advanceToSync(restoredAt + 3600 * S);
    expect(esme.alerts).toEqual([]);
    expect(esme.command('powerRestore').status).toBe('ok');
    const back = restoredAt + 3600 * S;
    // 245 V: above Itron's swell threshold (239.2 V, 30 s) and its average-over threshold (236.9 V).
    esme.clock.advanceToSync(back + 1800 * S);
    expect(timed(esme.alerts)).toEqual([
      { code: EsmeAlert.supplyOutageRestoredLong, at: back },
      { code: EsmeAlert.swell, at: back + 30 * S },
      { code: EsmeAlert.averageOverVoltage, at: back + 1800 * S },
    ]);
    expect(esme.command('readNetworkData', { from: 0, to: back + 7200 * S }).body).toEqual({
      records: [{ at: back + 1800 * S, averageRmsVoltage: 245 }],
    });
  });

  it('a short cut of the restored meter raises 0x8F35 and restarts its periods', () => {
    const esme = restore(0, OUTAGE, OUTAGE_AT + 60 * S);
    expect(esme.command('powerRestore').status).toBe('ok');
    expect(timed(esme.alerts)).toEqual([{ code: EsmeAlert.supplyOutageRestored, at: OUTAGE_AT + 60 * S }]);
  });

  it('a metering meter fires its pending periods at their original instants, then the period and interval ends', () => {
    const esme = restore(2, METERING, SWELL_DUE - 10 * S);
    esme.clock.advanceToSync(PERIOD_END);
    expect(timed(esme.alerts)).toEqual([
      { code: EsmeAlert.swell, at: SWELL_DUE },
      { code: EsmeAlert.powerFactorBelowThreshold, at: POWER_FACTOR_DUE },
      { code: EsmeAlert.averageOverVoltage, at: PERIOD_END },
    ]);
    // 132 ms at 230 V, then 250 V to the end of the 1800 s interval: 249.9985 V, reported to the tenth of a volt.
    expect(esme.command('readNetworkData', { from: 0, to: PERIOD_END }).body).toEqual({
      records: [{ at: PERIOD_END, averageRmsVoltage: 250 }],
    });
  });

  it('a metering meter whose power is cut stops metering; back, it restarts every period from the restore', () => {
    const esme = restore(2, METERING, SWELL_DUE - 10 * S);
    expect(esme.command('powerCut').status).toBe('ok');
    esme.clock.advanceToSync(PERIOD_END);
    expect(esme.alerts).toEqual([]);
    expect(esme.command('powerRestore').status).toBe('ok');
    esme.clock.advanceToSync(PERIOD_END + 1800 * S);
    expect(timed(esme.alerts)).toEqual([
      { code: EsmeAlert.supplyOutageRestoredLong, at: PERIOD_END },
      { code: EsmeAlert.swell, at: PERIOD_END + 30 * S },
      { code: EsmeAlert.powerFactorBelowThreshold, at: PERIOD_END + 60 * S },
      { code: EsmeAlert.averageOverVoltage, at: PERIOD_END + 1800 * S },
    ]);
  });

  it('a dumb meter stays silent (no metering, no outage alert) until recovery brings it back into metering', () => {
    const at = OUTAGE_AT + 60 * S;
    const esme = restore(1, DUMB, at);
    expect(esme.command('readNetworkData', { from: 0, to: at }).status).toBe('dumbMode');
    expect(esme.command('mainsVoltage', { voltage: 260 }).status).toBe('ok');
    expect(esme.command('powerCut').status).toBe('ok');
    esme.clock.advanceToSync(at + 600 * S);
    expect(esme.command('powerRestore').status).toBe('ok');
    esme.clock.advanceToSync(at + 3600 * S);
    expect(esme.alerts).toEqual([]);
    // Recovery: back into the swap; metering starts at once at 260 V (extreme over 253 V for 10 s, swell for 30 s).
    expect(esme.command('replaceCredentials', recovery(DUMB)).status).toBe('ok');
    const smart = at + 3600 * S;
    esme.clock.advanceToSync(smart + 60 * S);
    expect(timed(esme.alerts).filter(({ code }) => code !== 0x8f70)).toEqual([
      { code: EsmeAlert.extremeOverVoltage, at: smart + 10 * S },
      { code: EsmeAlert.swell, at: smart + 30 * S },
    ]);
  });

  it('a dumb meter restored in a power cut comes back without an alert and does not meter', () => {
    const at = OUTAGE_AT + 600 * S;
    const esme = restore(3, DUMB_OUTAGE, at);
    expect(esme.command('powerRestore').status).toBe('ok');
    expect(esme.command('mainsVoltage', { voltage: 260 }).status).toBe('ok');
    esme.clock.advanceToSync(at + 3600 * S);
    expect(esme.alerts).toEqual([]);
    expect(esme.command('readNetworkData', { from: 0, to: at + 3600 * S }).status).toBe('dumbMode');
  });
});
