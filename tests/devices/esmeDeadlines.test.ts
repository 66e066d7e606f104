/**
 * The ESME's timer deadlines record (esmeContext.ts withDeadline): every one the meter makes is a new record with
 * all nine timers in one order, whatever the order of the record it came from (a restored state file's), and a
 * meter's records after a day of metering, swells and supply changes still have exactly that shape.
 */
import { describe, expect, it } from 'vitest';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { noDeadlines, withDeadline, type Deadlines } from '../../devices/esme/esmeContext';
import { elsterProfile } from '../../devices/profiles';
import { startDevice, T0 } from './support/deviceHarness';
import { initialSlots } from './support/pki';

const order = [
  'averagePeriod',
  'networkDataInterval',
  'extremeOver',
  'swell',
  'extremeUnder',
  'sag',
  'powerFactor',
  'loadLimit',
  'creditExhaustion',
];

describe('withDeadline', () => {
  it('sets the one timer, keeps the others, and leaves the record it was given as it was', () => {
    const before: Deadlines = {
      averagePeriod: 1_800_000,
      networkDataInterval: 1_800_000,
      extremeOver: null,
      swell: 60_000,
      extremeUnder: null,
      sag: null,
      powerFactor: null,
      loadLimit: null,
      creditExhaustion: 7_200_000,
    };
    const frozen = Object.freeze({ ...before });
    const after = withDeadline(frozen, 'swell', null);
    expect(after).toEqual({ ...before, swell: null });
    expect(frozen).toEqual(before);
    expect(withDeadline(frozen, 'loadLimit', 42)).toEqual({ ...before, loadLimit: 42 });
  });

  it('makes every record with the nine timers in one order, even from a record in another order', () => {
    // A JSON state file edited by hand may hold them in any order.
    const shuffled = JSON.parse(
      '{"creditExhaustion":null,"sag":5,"loadLimit":null,"averagePeriod":1,"swell":null,' +
        '"networkDataInterval":2,"powerFactor":null,"extremeUnder":null,"extremeOver":null}',
    ) as Deadlines;
    expect(Object.keys(withDeadline(shuffled, 'sag', null))).toEqual(order);
    expect(Object.keys(withDeadline(noDeadlines, 'creditExhaustion', 3))).toEqual(order);
  });
});

describe("a meter's deadlines", () => {
  it('keep the nine timers in one key order through a day of metering, swells, a power cut and prepayment', () => {
    const esme = startDevice(esmeMachine, {
      eui: '00-DB-12-34-56-78-90-A0',
      profile: elsterProfile,
      credentials: initialSlots,
      seed: 3,
      paymentMode: 'prepayment',
      creditBalance: 5_000,
    });
    const shapes = new Set<string>();
    const look = () => shapes.add(Object.keys(esme.actor.getSnapshot().context.deadlines).join());
    look();
    const steps: [number, string, object][] = [
      [10, 'mainsVoltage', { voltage: 262 }],
      [200, 'mainsVoltage', { voltage: 240 }],
      [400, 'load', { activePower: 3_000, powerFactor: 0.5 }],
      [900, 'powerCut', {}],
      [1_000, 'powerRestore', {}],
      [5_000, 'setSupply', { state: 'disabled' }],
      [9_000, 'setSupply', { state: 'enabled' }],
    ];
    for (const [seconds, type, fields] of steps) {
      esme.clock.advanceToSync(T0 + seconds * 1000);
      expect(esme.command(type, fields).status).toBe('ok');
      look();
    }
    for (let hour = 3; hour <= 24; hour++) {
      esme.clock.advanceToSync(T0 + hour * 3_600_000);
      look();
    }
    expect([...shapes]).toEqual([order.join()]);
    // The day did run its timers: records every 30 minutes since metering restarted after the cut.
    expect(esme.actor.getSnapshot().context.networkData.length).toBeGreaterThan(40);
  });
});

describe("a swell's deadline", () => {
  it("is its period's end while the period runs, and null once it ended or was cancelled", () => {
    const esme = startDevice(esmeMachine, {
      eui: '00-DB-12-34-56-78-90-A0',
      profile: elsterProfile,
      credentials: initialSlots,
      seed: 4,
    });
    const swellAt = (seconds: number, voltage?: number) => {
      esme.clock.advanceToSync(T0 + seconds * 1000);
      if (voltage !== undefined) expect(esme.command('mainsVoltage', { voltage }).status).toBe('ok');
      return esme.actor.getSnapshot().context.deadlines.swell;
    };
    // The Elster profile: swell above 258.8 V for 60 s.
    expect(swellAt(10, 262)).toBe(T0 + 70_000);
    expect(swellAt(80)).toBeNull(); // raised
    expect(swellAt(100, 240)).toBe(T0 + 160_000);
    expect(swellAt(170)).toBeNull(); // returned
    expect(swellAt(200, 262)).toBe(T0 + 260_000);
    expect(swellAt(230, 240)).toBeNull(); // cancelled
  });
});
