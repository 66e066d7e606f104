/**
 * A state file written by the emulator while the ESME's payment mode was an XState region (state version 3, made by
 * `smets1 emulate --state --sets 2 --migration-state dcc` at commit f3a0eba, then over the bench protocol: set 0's
 * ESME put in prepayment, topped up 250 p, supply enabled and 3 kW drawn (its credit draining); set 1's ESME put in
 * prepayment with no credit (exhausted, its contactor opened); then stopped: tests/fixtures/state-v3-esme-payment)
 * restores with the same payment mode, credit, supply and exhaustion deadline.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { itronProfile } from '../../devices/profiles';
import { VirtualClock } from '../../emulator/clock';
import { migrateV3EsmeSnapshot } from '../../emulator/persistence/legacyEsmeState';
import { describeSchemaError, validateSetRecord } from '../../emulator/persistence/stateSchema';
import { startDevice } from '../devices/support/deviceHarness';
import { initialSlots } from '../devices/support/pki';
import { loadFixtureCopy, loadFixtureDevice } from './stateFixture';

const FIXTURE = join(__dirname, '../fixtures/state-v3-esme-payment');
const DRAINING = '00-DB-12-34-56-78-90-A0';
const EXHAUSTED = '00-DB-12-34-56-78-90-B0';
/** Read from the fixture's newest slot of set 0 by hand: when its credit was last settled, at 250 p (ms). */
const SETTLED_AT = 1796465293134;
/** 250 p at 3 kW and Itron's 25 p/kWh (75 p an hour) lasts 12,000 s. */
const EXHAUSTION_AT = SETTLED_AT + 12_000_000;

function loadEsme(set: number, eui: string) {
  const esme = loadFixtureDevice(FIXTURE, set, eui);
  expect(esme.src).toBe('esme');
  return esme.snapshot;
}

/** Set 0's record as loaded (migrated), with its ESME changed by `edit`. */
function edited(edit: (esme: { context: Record<string, unknown> }) => void): unknown {
  const loaded = loadFixtureCopy(FIXTURE);
  const snapshot = structuredClone(loaded.snapshots[0]) as { children: Record<string, { snapshot: never }> };
  edit(snapshot.children[DRAINING].snapshot);
  return { set: 0, generation: 0, snapshot, pendingAlerts: [], nextAlertId: 1 };
}

function restore(set: number, eui: string, at: number) {
  return startDevice(
    esmeMachine,
    { eui, profile: itronProfile, credentials: initialSlots, seed: 1 },
    { clock: new VirtualClock(at), snapshot: loadEsme(set, eui) },
  );
}

describe('a version-3 state file (the ESME payment mode an XState region)', () => {
  it('loads with the payment state in context and no payment region in the state value', () => {
    const draining = loadEsme(0, DRAINING) as { value: Record<string, unknown>; context: Record<string, unknown> };
    // On to version 5: the power region's state in context too; on to version 6: the migration region's.
    expect(draining.value).toEqual({});
    expect(draining.context).toMatchObject({ migrationState: 'dcc', swapInProgress: false });
    expect(draining.context.power).toBe('metering');
    expect(draining.context.payment).toBe('draining');
    expect((draining.context.deadlines as Record<string, unknown>).creditExhaustion).toBe(EXHAUSTION_AT);
    const exhausted = loadEsme(1, EXHAUSTED) as { value: Record<string, unknown>; context: Record<string, unknown> };
    expect(exhausted.value).toEqual({});
    expect(exhausted.context.power).toBe('metering');
    expect(exhausted.context.payment).toBe('exhausted');
  });

  it('a payment region of another shape is refused naming the field', () => {
    expect(migrateV3EsmeSnapshot({ value: { payment: { prepayment: 'sideways' } }, context: {} })).toEqual({
      value: {},
      context: { payment: 'sideways' },
    });
    expect(validateSetRecord(edited((esme) => (esme.context.payment = 'sideways')))).toBe(false);
    expect(describeSchemaError(validateSetRecord.errors)).toMatch(/context\/payment: must be equal to one of/);
  });

  it('a prepayment meter draining its credit keeps drawing it down and opens its contactor at the original instant', () => {
    // 10 minutes before exhaustion: 250 p × 600 s / 12,000 s = 12.5 p left.
    const esme = restore(0, DRAINING, EXHAUSTION_AT - 600_000);
    expect(esme.command('readPaymentMode').body).toEqual({ mode: 'prepayment', creditBalance: 12.5 });
    expect(esme.command('readSupply').body).toEqual({ state: 'enabled' });
    esme.clock.advanceToSync(EXHAUSTION_AT - 1);
    expect(esme.command('readSupply').body).toEqual({ state: 'enabled' });
    esme.clock.advanceToSync(EXHAUSTION_AT);
    expect(esme.command('readSupply').body).toEqual({ state: 'disabled' });
    expect(esme.command('readPaymentMode').body).toEqual({ mode: 'prepayment', creditBalance: 0 });
    // A top-up arms the supply the meter opened for lack of credit.
    expect(esme.command('topUp', { amount: 5 }).status).toBe('ok');
    expect(esme.command('readSupply').body).toEqual({ state: 'armed' });
    expect(esme.alerts).toEqual([]);
  });

  it('a load change while draining reschedules the exhaustion from the balance then', () => {
    const esme = restore(0, DRAINING, EXHAUSTION_AT - 600_000);
    // 12.5 p at 6 kW (150 p an hour) lasts 300 s.
    expect(esme.command('load', { activePower: 6000, powerFactor: 1 }).status).toBe('ok');
    esme.clock.advanceToSync(EXHAUSTION_AT - 300_001);
    expect(esme.command('readSupply').body).toEqual({ state: 'enabled' });
    esme.clock.advanceToSync(EXHAUSTION_AT - 300_000);
    expect(esme.command('readSupply').body).toEqual({ state: 'disabled' });
  });

  it('a prepayment meter out of credit stays off supply until a top-up arms it, and back in credit mode stops drawing', () => {
    const esme = restore(1, EXHAUSTED, SETTLED_AT + 60_000);
    expect(esme.command('readPaymentMode').body).toEqual({ mode: 'prepayment', creditBalance: 0 });
    expect(esme.command('readSupply').body).toEqual({ state: 'disabled' });
    expect(esme.command('topUp', { amount: 100 }).status).toBe('ok');
    expect(esme.command('readSupply').body).toEqual({ state: 'armed' });
    expect(esme.command('setSupply', { state: 'enabled' }).status).toBe('ok');
    expect(esme.command('load', { activePower: 4000, powerFactor: 1 }).status).toBe('ok');
    // 100 p at 4 kW (100 p an hour): half an hour later 50 p are left.
    esme.clock.advanceToSync(SETTLED_AT + 60_000 + 1_800_000);
    expect(esme.command('readPaymentMode').body).toEqual({ mode: 'prepayment', creditBalance: 50 });
    expect(esme.command('setPaymentMode', { mode: 'credit' }).status).toBe('ok');
    esme.clock.advanceToSync(SETTLED_AT + 60_000 + 7_200_000);
    expect(esme.command('readPaymentMode').body).toEqual({ mode: 'credit', creditBalance: 50 });
    expect(esme.command('readSupply').body).toEqual({ state: 'enabled' });
  });

  it('an exhausted meter whose supply is enabled by hand leaves it closed: the contactor opens only as the credit runs out', () => {
    const esme = restore(1, EXHAUSTED, SETTLED_AT + 60_000);
    expect(esme.command('setSupply', { state: 'enabled' }).status).toBe('ok');
    expect(esme.command('load', { activePower: 4000, powerFactor: 1 }).status).toBe('ok');
    esme.clock.advanceToSync(SETTLED_AT + 60_000 + 3_600_000);
    expect(esme.command('readSupply').body).toEqual({ state: 'enabled' });
    expect(esme.command('readPaymentMode').body).toEqual({ mode: 'prepayment', creditBalance: 0 });
    // A top-up now drains from an enabled supply and opens it again when it runs out: 1 p at 4 kW (100 p an hour) lasts 36 s.
    expect(esme.command('topUp', { amount: 1 }).status).toBe('ok');
    esme.clock.advanceToSync(SETTLED_AT + 60_000 + 3_600_000 + 35_999);
    expect(esme.command('readSupply').body).toEqual({ state: 'enabled' });
    esme.clock.advanceToSync(SETTLED_AT + 60_000 + 3_600_000 + 36_000);
    expect(esme.command('readSupply').body).toEqual({ state: 'disabled' });
  });
});
