/**
 * A state file written by the emulator before the ESME's limit detectors became context (state version 2, made by
 * `smets1 emulate --state` at commit 61c8cbc with an Itron set held at 245 V and 2 kW at power factor 0.9 for 40 s,
 * then stopped: tests/fixtures/state-v2-esme-detectors) restores with the same detector states and pending periods.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { EsmeAlert } from '../../devices/esme/esmeProfile';
import { itronProfile } from '../../devices/profiles';
import { VirtualClock } from '../../emulator/clock';
import { migrateLegacyEsmeSnapshot } from '../../emulator/persistence/legacyEsmeState';
import { startDevice } from '../devices/support/deviceHarness';
import { initialSlots } from '../devices/support/pki';
import { loadFixtureDevice, openStateDirectory } from './stateFixture';

const FIXTURE = join(__dirname, '../fixtures/state-v2-esme-detectors');
const ESME = '00-DB-12-34-56-78-90-A0';
/** Read from the fixture's newest slot by hand: the old context's deadlines (ms). */
const POWER_FACTOR_DUE = 1796451575681;
const SWELL_DUE_STALE = 1796451545678;
const AVERAGE_PERIOD_DUE = 1796453315675;

function loadFixture() {
  return loadFixtureDevice(FIXTURE, 0, ESME);
}

describe('a version-2 state file (one XState region per ESME detector)', () => {
  it('loads with the detectors in context: swell alerted, power factor beyond, its period still pending', () => {
    const esme = loadFixture();
    expect(esme.src).toBe('esme');
    const snapshot = esme.snapshot as {
      value: unknown;
      context: {
        power: string;
        detectors: Record<string, string>;
        deadlines: Record<string, number | null>;
        meteringSchedule: unknown;
      };
    };
    // On to version 4: the payment region's `credit` in context; on to version 5: the power region's metering
    // in context; on to version 6: the migration region's dcc in context. No region left in the value.
    expect(snapshot.value).toEqual({});
    expect(snapshot.context).toMatchObject({ migrationState: 'dcc', swapInProgress: false });
    expect(snapshot.context.power).toBe('metering');
    expect((snapshot.context as unknown as { payment: string }).payment).toBe('credit');
    expect(snapshot.context.detectors).toEqual({
      averageOver: 'withinLimit',
      averageUnder: 'withinLimit',
      extremeOver: 'withinLimit',
      swell: 'alerted',
      extremeUnder: 'withinLimit',
      sag: 'withinLimit',
      powerFactor: 'beyond',
      polarity: 'correct',
      loadLimit: 'withinLimit',
    });
    // The swell's period is over (its deadline was a leftover); the power factor's is pending.
    expect(snapshot.context.deadlines.swell).toBeNull();
    expect(snapshot.context.deadlines.powerFactor).toBe(POWER_FACTOR_DUE);
    expect(snapshot.context.meteringSchedule).toEqual([
      { timer: 'powerFactor', at: POWER_FACTOR_DUE },
      { timer: 'averagePeriod', at: AVERAGE_PERIOD_DUE },
      { timer: 'networkDataInterval', at: AVERAGE_PERIOD_DUE },
    ]);
    expect(SWELL_DUE_STALE).toBeLessThan(POWER_FACTOR_DUE);
  });

  it('restored, the power factor alert comes at its original deadline and the swell returns one swell period after the voltage', () => {
    const restoreAt = POWER_FACTOR_DUE - 5000;
    const esme = startDevice(
      esmeMachine,
      { eui: ESME, profile: itronProfile, credentials: initialSlots, seed: 1 },
      { clock: new VirtualClock(restoreAt), snapshot: loadFixture().snapshot },
    );
    esme.clock.advanceToSync(restoreAt + 10_000);
    expect(esme.alerts.map(({ code, at }) => ({ code, at }))).toEqual([
      { code: EsmeAlert.powerFactorBelowThreshold, at: POWER_FACTOR_DUE },
    ]);
    expect(esme.command('mainsVoltage', { voltage: 230 }).status).toBe('ok');
    esme.clock.advanceToSync(restoreAt + 10_000 + 30_000);
    // Itron's swell period is 30 s (devices/profiles/itronEsme.ts, assumed).
    expect(esme.alerts.slice(1).map(({ code, at }) => ({ code, at }))).toEqual([
      { code: EsmeAlert.swellReturned, at: restoreAt + 40_000 },
    ]);
  });

  it('leaves a snapshot already in the current shape, and anything not an ESME snapshot, as it is', () => {
    const current = { value: { power: 'outage' }, context: { detectors: {}, deadlines: {} } };
    expect(migrateLegacyEsmeSnapshot(current)).toBe(current);
    for (const other of [null, 7, 'x', [], { value: 'x' }, { context: {}, value: {} }]) {
      expect(migrateLegacyEsmeSnapshot(other)).toBe(other);
    }
  });

  it('an ESME out of metering (a power cut) gets every detector initial and no metering timer', () => {
    const migrated = migrateLegacyEsmeSnapshot({
      value: { migration: 'dcc', power: 'outage', payment: 'credit' },
      context: { deadlines: { averagePeriod: null, networkDataInterval: null, swell: 5, creditExhaustion: 9 } },
    }) as { value: unknown; context: Record<string, unknown> };
    expect(migrated.value).toEqual({ migration: 'dcc', power: 'outage', payment: 'credit' });
    expect(migrated.context.meteringSchedule).toEqual([]);
    expect((migrated.context.detectors as Record<string, string>).swell).toBe('withinLimit');
    expect(migrated.context.deadlines).toEqual({
      averagePeriod: null,
      networkDataInterval: null,
      extremeOver: null,
      swell: null,
      extremeUnder: null,
      sag: null,
      powerFactor: null,
      loadLimit: null,
      creditExhaustion: 9,
    });
  });
});

/**
 * The fixture's newest set record, changed by `edit`, written as the only record of a base with no slots file (what
 * a base with no change since it reads as), so a hand-edited ESME can be loaded.
 */
function loadEdited(edit: (esme: { context: Record<string, Record<string, unknown>> }) => void) {
  const [headerLine] = readFileSync(join(FIXTURE, 'emulator-state.json'), 'utf8').split('\n');
  const header = JSON.parse(headerLine) as { slotSize: number };
  const slots = readFileSync(join(FIXTURE, 'emulator-state.0.slots'));
  // The newest slot, read by hand: `<sequence> <sha1> <record>` padded.
  const records = [0, 1]
    .map((copy) => slots.subarray(copy * header.slotSize, (copy + 1) * header.slotSize).toString('utf8'))
    .map((text) => /^(\d+) \S+ (.*)$/s.exec(text.trimEnd()))
    .filter((match) => match !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]));
  const record = JSON.parse(records[0][2]) as { snapshot: { children: Record<string, { snapshot: never }> } };
  edit(record.snapshot.children[ESME].snapshot);
  const store = openStateDirectory((dir) =>
    writeFileSync(join(dir, 'emulator-state.json'), `${headerLine}\n${JSON.stringify(record)}\n`),
  );
  return () => store.load();
}

describe('a hand-edited ESME in a state file', () => {
  it('a measurement period of 0 s (its timer due again the instant it fires: a metering pass that never ends) is refused naming the field', () => {
    const load = loadEdited((esme) => {
      esme.context.voltageConfig.averageMeasurementPeriod = 0;
    });
    expect(load).toThrow(/voltageConfig\/averageMeasurementPeriod: must be >= 1/);
  });

  it('a network-data interval of 0 s is refused naming the field', () => {
    const load = loadEdited((esme) => {
      esme.context.settings.networkDataInterval = 0;
    });
    expect(load).toThrow(/settings\/networkDataInterval: must be >= 1/);
  });

  it('a pending period whose deadline is a string (a detector waiting on a timer never armed) is refused naming the field', () => {
    const load = loadEdited((esme) => {
      esme.context.deadlines.powerFactor = 'soon';
    });
    expect(load).toThrow(/deadlines\/powerFactor: must be number,null/);
  });
});

describe('a hand-edited version-2 ESME', () => {
  it('a detector beyond its limit with no deadline (its period never ending) is refused naming the detector', () => {
    const load = loadEdited((esme) => {
      const value = esme as unknown as { value: { power: { powered: { metering: Record<string, string> } } } };
      value.value.power.powered.metering.sag = 'beyond';
    });
    expect(load).toThrow(/detectors\/sag: "beyond" waits on a period with no timer in meteringSchedule/);
  });
});
