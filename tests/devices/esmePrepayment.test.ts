/**
 * ESME payment mode and prepayment credit (the seeds' "grave" case: a dumb meter in prepayment), and the incorrect
 * polarity alert 0x81B8. Virtual clock, exact times. Elster profile: 25 p/kWh (assumed), so a 2 kW import draws
 * 50 p an hour and 100 p lasts exactly 2 h.
 */
import { describe, expect, it } from 'vitest';
import { REMOTE_PARTY_ROLES as R } from '../../common/credentials/roles';
import { createEsmeContext } from '../../devices/esme/esmeContext';
import { settledWith } from '../../devices/esme/prepayment';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { elsterProfile } from '../../devices/profiles';
import { restartFromPersisted, startDevice, T0 } from './support/deviceHarness';
import { initialSlots, newParty, pki, replacement } from './support/pki';

const ESME = '00-DB-12-34-56-78-90-A0';
const S = 1000;
const HOUR = 3600;

function startEsme() {
  return startDevice(esmeMachine, { eui: ESME, profile: elsterProfile, credentials: initialSlots, seed: 1 });
}
type Esme = ReturnType<typeof startEsme>;

function at(esme: Esme, seconds: number, type: string, fields: Record<string, unknown> = {}) {
  esme.clock.advanceToSync(T0 + seconds * S);
  return esme.command(type, fields);
}
const supplyAt = (esme: Esme, seconds: number) => at(esme, seconds, 'readSupply').body;
const alertsAsSeconds = (esme: Esme) => esme.alerts.map((alert) => ({ code: alert.code, at: (alert.at - T0) / S }));

/** Prepayment with 100 p from T0 and a 2 kW import: the credit runs out at 7,200 s. */
function prepaymentWith100p(): Esme {
  const esme = startEsme();
  expect(esme.command('topUp', { amount: 100 }).status).toBe('ok'); // credit first: prepayment with none cuts at once
  expect(esme.command('setPaymentMode', { mode: 'prepayment' }).status).toBe('ok');
  expect(esme.command('load', { activePower: 2000, powerFactor: 1 }).status).toBe('ok');
  return esme;
}

/**
 * The path into dumb mode (docs/credentials.md): the swap starts with an accepted replacement, then an authenticated
 * replacement refused part-way (the network operator signs, but offers a supplier certificate for its slot) leaves
 * the meter dumb. The same steps as esmeConfig.test.ts's dumbEsme.
 */
function turnDumb(esme: Esme): void {
  const dccSupplier = newParty(R.supplier, '90-B3-D5-1F-30-01-00-0A');
  esme.command(
    'replaceCredentials',
    replacement(ESME, R.supplier, 'supplierBySupplier', dccSupplier.certificate, R.supplier),
  );
  esme.command(
    'replaceCredentials',
    replacement(ESME, R.networkOperator, 'NObyNO', dccSupplier.certificate, R.networkOperator),
  );
  expect(esme.command('readDeviceInfo').body).toMatchObject({ migrationState: 'dumb' });
}

describe('payment mode', () => {
  it('starts in credit with no balance; in credit mode the import draws nothing and the supply stays on', () => {
    const esme = startEsme();
    expect(esme.command('readPaymentMode').body).toEqual({ mode: 'credit', creditBalance: 0 });
    at(esme, 0, 'load', { activePower: 2000, powerFactor: 1 });
    expect(supplyAt(esme, 10 * HOUR)).toEqual({ state: 'enabled' });
  });

  it('refuses an unknown mode and top-ups that are not a positive amount of at most 50,000 p in thousandths', () => {
    const esme = startEsme();
    expect(esme.command('setPaymentMode', { mode: 'pay-as-you-go' }).status).toBe('invalidParameter');
    for (const amount of [0, -5, 50_000.001, 1.0005, '10', Number.NaN]) {
      expect(esme.command('topUp', { amount }).status).toBe('invalidParameter');
    }
    expect(esme.command('topUp', { amount: 50_000 }).status).toBe('ok');
    expect(esme.command('readPaymentMode').body).toEqual({ mode: 'credit', creditBalance: 50_000 });
  });

  it('refuses a bad payment input at start with an error naming the meter and the field', () => {
    const base = { eui: ESME, profile: elsterProfile, credentials: initialSlots };
    expect(() => createEsmeContext({ ...base, paymentMode: 'prepaid' as never })).toThrow(
      'ESME 00-DB-12-34-56-78-90-A0: paymentMode must be credit or prepayment, not "prepaid"',
    );
    expect(() => createEsmeContext({ ...base, creditBalance: -1 })).toThrow(
      'ESME 00-DB-12-34-56-78-90-A0: creditBalance must be a non-negative number of pence, not -1',
    );
  });
});

describe('prepayment credit (25 p/kWh)', () => {
  it('draws 50 p an hour at 2 kW and opens the contactor the instant 100 p is used up, at 7,200 s', () => {
    const esme = prepaymentWith100p();
    expect(at(esme, HOUR, 'readPaymentMode').body).toEqual({ mode: 'prepayment', creditBalance: 50 });
    expect(supplyAt(esme, 2 * HOUR - 0.001)).toEqual({ state: 'enabled' });
    expect(supplyAt(esme, 2 * HOUR)).toEqual({ state: 'disabled' });
    expect(at(esme, 3 * HOUR, 'readPaymentMode').body).toEqual({ mode: 'prepayment', creditBalance: 0 });
    expect(esme.alerts).toEqual([]); // no alert on exhaustion (none in the primer's table)
  });

  it('a change of load reschedules: 1 kW from 3,600 s draws the remaining 50 p in 2 h, out at 10,800 s', () => {
    const esme = prepaymentWith100p();
    at(esme, HOUR, 'load', { activePower: 1000, powerFactor: 1 });
    expect(supplyAt(esme, 3 * HOUR - 1)).toEqual({ state: 'enabled' });
    expect(supplyAt(esme, 3 * HOUR)).toEqual({ state: 'disabled' });
  });

  it('a power cut stops the drawdown: cut 3,600–5,400 s, out at 9,000 s', () => {
    const esme = prepaymentWith100p();
    at(esme, HOUR, 'powerCut');
    at(esme, 1.5 * HOUR, 'powerRestore');
    expect(at(esme, 1.5 * HOUR, 'readPaymentMode').body).toEqual({ mode: 'prepayment', creditBalance: 50 });
    expect(supplyAt(esme, 2.5 * HOUR - 1)).toEqual({ state: 'enabled' });
    expect(supplyAt(esme, 2.5 * HOUR)).toEqual({ state: 'disabled' });
  });

  it('a top-up after exhaustion arms the supply; closed again at 9,000 s, the 50 p last until 12,600 s', () => {
    const esme = prepaymentWith100p();
    expect(at(esme, 8000, 'topUp', { amount: 50 }).status).toBe('ok');
    expect(supplyAt(esme, 8000)).toEqual({ state: 'armed' });
    expect(at(esme, 9000, 'readPaymentMode').body).toEqual({ mode: 'prepayment', creditBalance: 50 }); // armed: no import
    expect(at(esme, 9000, 'setSupply', { state: 'enabled' }).status).toBe('ok');
    expect(supplyAt(esme, 12_600 - 1)).toEqual({ state: 'enabled' });
    expect(supplyAt(esme, 12_600)).toEqual({ state: 'disabled' });
  });

  it('a top-up before exhaustion extends it: 50 p left + 100 p at 3,600 s last 3 h, out at 14,400 s; back to credit stops the drawdown', () => {
    const esme = prepaymentWith100p();
    at(esme, HOUR, 'topUp', { amount: 100 });
    expect(supplyAt(esme, 4 * HOUR - 1)).toEqual({ state: 'enabled' });
    expect(supplyAt(esme, 4 * HOUR)).toEqual({ state: 'disabled' });

    const credit = prepaymentWith100p();
    credit.clock.advanceToSync(T0 + HOUR * S);
    // draining: the metering timer and the exhaustion timer
    expect(credit.clock.pendingCount).toBe(2);
    expect(credit.command('setPaymentMode', { mode: 'credit' }).status).toBe('ok');
    // leaving prepayment cancels the exhaustion timer rather than leaving it to fire into a guard
    expect(credit.clock.pendingCount).toBe(1);
    expect(supplyAt(credit, 10 * HOUR)).toEqual({ state: 'enabled' });
    expect(credit.command('readPaymentMode').body).toEqual({ mode: 'credit', creditBalance: 50 });
  });

  it('a meter restored from its persisted snapshot mid-drawdown still cuts at 7,200 s', () => {
    const before = prepaymentWith100p();
    before.clock.advanceToSync(T0 + HOUR * S);
    const input = { eui: ESME, profile: elsterProfile, credentials: initialSlots, seed: 1 };
    const restored = restartFromPersisted(before, esmeMachine, input);
    expect(supplyAt(restored, 2 * HOUR - 1)).toEqual({ state: 'enabled' });
    expect(supplyAt(restored, 2 * HOUR)).toEqual({ state: 'disabled' });
  });

  it('switching to prepayment with no credit opens the contactor at once', () => {
    const esme = startEsme();
    at(esme, 100, 'setPaymentMode', { mode: 'prepayment' });
    expect(supplyAt(esme, 100)).toEqual({ state: 'disabled' });
  });
});

describe('the grave case: a dumb meter in prepayment', () => {
  it('keeps drawing its credit and cuts the supply at zero, but refuses the top-up: the consumer stays off supply until recovery', () => {
    const esme = prepaymentWith100p();
    at(esme, HOUR, 'readDeviceInfo');
    turnDumb(esme);
    expect(esme.command('topUp', { amount: 500 }).status).toBe('dumbMode');
    expect(esme.command('setPaymentMode', { mode: 'credit' }).status).toBe('dumbMode');
    expect(esme.command('readPaymentMode').status).toBe('dumbMode');
    // readSupply is a smart read too (dumbMode), so the contactor is read from the machine's context
    esme.clock.advanceToSync(T0 + 2 * HOUR * S - 1);
    expect(esme.actor.getSnapshot().context.supply).toBe('enabled');
    esme.clock.advanceToSync(T0 + 2 * HOUR * S);
    expect(esme.command('readSupply').status).toBe('dumbMode');
    expect(esme.actor.getSnapshot().context).toMatchObject({ supply: 'disabled', creditBalance: 0 });
    expect(at(esme, 5 * HOUR, 'topUp', { amount: 500 }).status).toBe('dumbMode');
    expect(esme.actor.getSnapshot().context.supply).toBe('disabled');

    // recovery (the DCC's recovery party) brings the smart functions back: the top-up arms the supply
    const dccNetworkOperator = newParty(R.networkOperator, '90-B3-D5-1F-30-02-00-09');
    const recovery = replacement(
      ESME,
      R.networkOperator,
      'anyExceptAbnormalRootByRecovery',
      dccNetworkOperator.certificate,
      R.recovery,
    );
    expect(at(esme, 6 * HOUR, 'replaceCredentials', recovery).status).toBe('ok');
    expect(esme.command('topUp', { amount: 500 }).status).toBe('ok');
    expect(esme.command('readSupply').body).toEqual({ state: 'armed' });
  });
});

describe('incorrect polarity (0x81B8)', () => {
  it('raised when the wiring turns reversed, not when corrected, and again on the next reversal', () => {
    const esme = startEsme();
    expect(at(esme, 100, 'polarity', { reversed: true }).status).toBe('ok');
    at(esme, 200, 'polarity', { reversed: false });
    at(esme, 300, 'polarity', { reversed: true });
    esme.clock.advanceToSync(T0 + 600 * S);
    expect(alertsAsSeconds(esme)).toEqual([
      { code: 0x81b8, at: 100 },
      { code: 0x81b8, at: 300 },
    ]);
  });

  it('detected again at power-up while still reversed: after a 100 s cut, 0x8F35 then 0x81B8 at the restoration', () => {
    const esme = startEsme();
    at(esme, 100, 'polarity', { reversed: true });
    at(esme, 200, 'powerCut');
    at(esme, 300, 'powerRestore');
    expect(alertsAsSeconds(esme)).toEqual([
      { code: 0x81b8, at: 100 },
      { code: 0x8f35, at: 300 },
      { code: 0x81b8, at: 300 },
    ]);
  });

  it('is not configurable by 6.22 (a safety alert), and refuses a non-boolean stimulus', () => {
    const esme = startEsme();
    const silence = { owner: 'networkOperator', alerts: [{ code: 0x81b8, enabled: false }] };
    expect(esme.command('alertBehaviour', silence).status).toBe('invalidParameter');
    expect(esme.command('polarity', { reversed: 1 }).status).toBe('invalidParameter');
  });

  it('a dumb meter raises none (its smart functions are off)', () => {
    const esme = startEsme();
    turnDumb(esme);
    esme.alerts.length = 0;
    at(esme, 100, 'polarity', { reversed: true });
    expect(esme.alerts).toEqual([]);
  });
});

describe('settledWith (prepayment.ts), the patch of a change while in prepayment', () => {
  it("reschedules the exhaustion over a patch that brings its own deadlines, and keeps the patch's other timers", () => {
    const esme = prepaymentWith100p(); // 100 p from T0 at 2 kW: out at 7,200 s
    const context = esme.actor.getSnapshot().context;
    const now = T0 + HOUR * S; // 50 p left
    const own = { ...context.deadlines, averagePeriod: T0 + 5 * HOUR * S, creditExhaustion: T0 + 99 * HOUR * S };
    // the import halved to 1 kW with the patch: the 50 p left last 2 h more
    const patched = settledWith(context, { demand: { ...context.demand, activePower: 1000 }, deadlines: own }, now);
    expect(patched.creditBalance).toBe(50);
    expect(patched.creditSettledAt).toBe(now);
    expect(patched.deadlines).toEqual({ ...own, creditExhaustion: T0 + 3 * HOUR * S });
  });
});
