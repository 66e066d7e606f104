/**
 * Audit of the ESME's power supply folded into context (round ten, devices/esme/powerState.ts): orderings of power
 * cuts, restorations, dumb spells, recovery, restarts from the persisted snapshot and timer instants, each written
 * out rather than left to esmeDifferential.test.ts's random draws, run on the machine and on the frozen one whose
 * power supply is an XState region (support/legacyEsmeMachine.ts): the same responses and alerts (code, time,
 * order), power state after every step, and at the end the same event log, network data, supply and payment.
 */
import { describe, expect, it } from 'vitest';
import { withEsmeSettings } from '../devices/support/esmeSettings';
import { createActor, type AnyActorLogic } from 'xstate';
import { REMOTE_PARTY_ROLES as R } from '../../common/credentials/roles';
import type { EsmeContext, EsmeInput } from '../../devices/esme/esmeContext';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { elsterProfile } from '../../devices/profiles';
import { VirtualClock } from '../../emulator/clock';
import { startActor } from '../devices/support/emittingActor';
import { T0 } from '../devices/support/deviceHarness';
import { legacyEsmeMachine } from '../devices/support/legacyEsmeMachine';
import { initialSlots, newParty, replacement } from '../devices/support/pki';

const ESME = '00-DB-12-34-56-78-90-A0';
const S = 1000;
/** Short periods, so periods end within a script: 20 s measurement, 30 s network data, 10 s swell. */
const profile = withEsmeSettings(elsterProfile, 'audit', {
  voltage: { averageMeasurementPeriod: 20, swellPeriod: 10 },
  esme: { networkDataInterval: 30, longOutageLimit: 60, powerFactorPeriod: 15 },
});
const credit: EsmeInput = { eui: ESME, profile, credentials: initialSlots, seed: 1 };
/** Prepayment with 2 p of credit: at 5 kW it runs out within a script (a credit exhaustion pending). */
const prepayment: EsmeInput = { ...credit, paymentMode: 'prepayment', creditBalance: 2 };

const dccSupplier = newParty(R.supplier, '90-B3-D5-1F-30-01-00-0A');
const dccNetworkOperator = newParty(R.networkOperator, '90-B3-D5-1F-30-02-00-09');

type Step =
  | { command: string; fields?: object }
  | { dumb: true }
  | { recovery: true }
  | { advance: number }
  /** To the meter's next pending deadline: `at` it (timers due then fire) or `before` (now is that instant, unfired). */
  | { deadline: 'at' | 'before' }
  | { restart: number };

interface Meter {
  clock: VirtualClock;
  actor: ReturnType<typeof createActor<AnyActorLogic>>;
  emitted: unknown[];
}

/** The power state: the old machine's region, the new one's context. */
function powerOf(meter: Meter): string {
  const snapshot = meter.actor.getSnapshot();
  if (!('power' in (snapshot.value as object))) return (snapshot.context as EsmeContext).power;
  if (snapshot.matches({ power: 'outage' })) return 'outage';
  return snapshot.matches({ power: { powered: 'suspended' } }) ? 'suspended' : 'metering';
}

function nextDeadline(meter: Meter): number | undefined {
  const { deadlines } = meter.actor.getSnapshot().context as EsmeContext;
  const now = meter.clock.now();
  const due = Object.values(deadlines).filter((at): at is number => at !== null && at > now);
  return due.length === 0 ? undefined : Math.min(...due);
}

function play(logic: AnyActorLogic, input: EsmeInput, steps: readonly Step[]) {
  const meter: Meter = { clock: new VirtualClock(T0), emitted: [], actor: undefined as never };
  meter.actor = startActor(logic, input, meter.clock, meter.emitted);
  const powers: string[] = [];
  const send = (type: string, fields: object, id: string) =>
    meter.actor.send({ type, requestId: id, ...fields } as never);
  steps.forEach((step, index) => {
    if ('command' in step) send(step.command, step.fields ?? {}, `r${index}`);
    else if ('dumb' in step) {
      // a supplier swap accepted, then a network operator's replacement authenticated but refused part-way
      send(
        'replaceCredentials',
        replacement(ESME, R.supplier, 'supplierBySupplier', dccSupplier.certificate, R.supplier, 1000 + index * 2),
        `r${index}a`,
      );
      send(
        'replaceCredentials',
        replacement(ESME, R.networkOperator, 'NObyNO', dccSupplier.certificate, R.networkOperator, 1001 + index * 2),
        `r${index}b`,
      );
    } else if ('recovery' in step) {
      const fields = replacement(
        ESME,
        R.networkOperator,
        'anyExceptAbnormalRootByRecovery',
        dccNetworkOperator.certificate,
        R.recovery,
        1000 + index * 2,
      );
      send('replaceCredentials', fields, `r${index}`);
    } else if ('advance' in step) meter.clock.advanceToSync(meter.clock.now() + step.advance);
    else if ('deadline' in step) {
      const at = nextDeadline(meter);
      if (at === undefined) throw new Error(`step ${index}: no deadline pending`);
      if (step.deadline === 'at') meter.clock.advanceToSync(at);
      else {
        meter.clock.advanceToSync(at - 1);
        meter.clock.jumpTo(at);
      }
    } else {
      const text = JSON.stringify(meter.actor.getPersistedSnapshot());
      meter.actor.stop();
      meter.clock = new VirtualClock(meter.clock.now() + step.restart);
      meter.actor = startActor(logic, input, meter.clock, meter.emitted, JSON.parse(text));
    }
    powers.push(powerOf(meter));
  });
  meter.clock.advanceToSync(meter.clock.now() + 120 * S);
  send('readSupply', {}, 'end-supply');
  send('readPaymentMode', {}, 'end-payment');
  // What both machines keep alike in context (the old one's detectors, deadlines and payment state are its regions':
  // the payment as the wire reads it is in `emitted`, read at the end).
  const c = meter.actor.getSnapshot().context as EsmeContext;
  const context = {
    logs: c.logs,
    networkData: c.networkData,
    outageStartedAt: c.outageStartedAt,
    migrationState: c.migrationState,
    supply: c.supply,
    ambientState: c.ambientState,
    creditBalance: c.creditBalance,
    supplyCutForCredit: c.supplyCutForCredit,
  };
  return { emitted: meter.emitted, powers, context };
}

const cut = { command: 'powerCut' };
const restore = { command: 'powerRestore' };
const swell = { command: 'mainsVoltage', fields: { voltage: 262 } };
const heavyLoad = { command: 'load', fields: { activePower: 5000, powerFactor: 1 } };

const scripts: Record<string, { input: EsmeInput; steps: Step[]; reaches: string[] }> = {
  'a cut while dumb, recovery while still cut, then the restore': {
    input: credit,
    steps: [
      { advance: 5 * S },
      { dumb: true },
      cut,
      { advance: 3 * S },
      { recovery: true },
      { advance: 70 * S },
      restore,
      swell,
      { advance: 40 * S },
    ],
    reaches: ['suspended', 'outage', 'metering'],
  },
  'a cut while dumb, the restore, then recovery': {
    input: credit,
    steps: [
      swell,
      { dumb: true },
      cut,
      { advance: 2 * S },
      restore,
      { advance: 2 * S },
      { recovery: true },
      { advance: 25 * S },
    ],
    reaches: ['suspended', 'outage', 'metering'],
  },
  'a cut during a pending credit exhaustion, the exhaustion instant passed in the cut, then the restore': {
    input: prepayment,
    steps: [
      heavyLoad,
      { advance: 1 * S },
      cut,
      { advance: 30 * 60 * S },
      restore,
      { advance: 5 * S },
      { command: 'topUp', fields: { amount: 20 } },
    ],
    reaches: ['outage', 'metering'],
  },
  'a restore at the instant the credit runs out': {
    input: prepayment,
    steps: [
      heavyLoad,
      { advance: 1 * S },
      cut,
      { advance: 1 * S },
      restore,
      { advance: 1 * S },
      swell,
      { deadline: 'before' },
      cut,
      restore,
    ],
    reaches: ['outage', 'metering'],
  },
  // 2 p at 4.8 kW and 25 p/kWh last exactly 60 s: from the restore, the credit runs out at the instant the third
  // measurement period and the second network-data interval end
  'a restore whose credit runs out at the instant metering periods end': {
    input: prepayment,
    steps: [
      cut,
      { command: 'mainsVoltage', fields: { voltage: 245 } },
      { command: 'load', fields: { activePower: 4800, powerFactor: 1 } },
      { advance: 5 * S },
      restore,
      { advance: 70 * S },
    ],
    reaches: ['outage', 'metering'],
  },
  // 0.5 p at 4.8 kW and 25 p/kWh last exactly 15 s: with a low power factor from the restore (15 s period, the head
  // of the metering timers), the power-factor alert is due as the credit runs out and the current stops. Both timers
  // are armed by the restore, the metering one first (powerState.ts raises its reschedule before the handler's own
  // events), so the alert is raised, then the contactor opens.
  'a restore whose credit runs out at the instant the power-factor period ends': {
    input: { ...prepayment, creditBalance: 0.5 },
    steps: [
      cut,
      { command: 'load', fields: { activePower: 4800, powerFactor: 0.5 } },
      { advance: 5 * S },
      restore,
      { advance: 30 * S },
    ],
    reaches: ['outage', 'metering'],
  },
  'a cut and a restore with the polarity reversed: the outage alert, then the polarity one': {
    input: credit,
    steps: [
      { command: 'polarity', fields: { reversed: true } },
      { advance: 2 * S },
      cut,
      { advance: 100 * S },
      restore,
      { advance: 1 * S },
      cut,
      { advance: 1 * S },
      restore,
    ],
    reaches: ['outage', 'metering'],
  },
  'a restart while in the cut (timers resumed in an outage), long after, then the restore': {
    input: credit,
    steps: [swell, { advance: 5 * S }, cut, { restart: 200 * S }, { advance: 1 * S }, restore, { advance: 25 * S }],
    reaches: ['outage', 'metering'],
  },
  'a restart while dumb and cut, then recovery and the restore': {
    input: credit,
    steps: [{ dumb: true }, cut, { restart: 45 * S }, { recovery: true }, { restart: 0 }, restore, { advance: 21 * S }],
    reaches: ['suspended', 'outage', 'metering'],
  },
  'two cuts in a row, two restores in a row': {
    input: credit,
    steps: [
      swell,
      { advance: 3 * S },
      cut,
      { advance: 1 * S },
      cut,
      { advance: 90 * S },
      restore,
      restore,
      { advance: 35 * S },
    ],
    reaches: ['outage', 'metering'],
  },
  'a cut and a restore at the instant a period ends, before its timer fires and after': {
    input: credit,
    steps: [
      swell,
      { deadline: 'before' },
      cut,
      restore,
      { deadline: 'at' },
      cut,
      { advance: 1 * S },
      restore,
      { deadline: 'before' },
      restore,
      cut,
      { advance: 10 * S },
      restore,
    ],
    reaches: ['outage', 'metering'],
  },
  'recovery at the instant a period ends, then a cut at once': {
    input: credit,
    steps: [
      { dumb: true },
      { advance: 19 * S },
      { recovery: true },
      cut,
      { restart: 1 },
      restore,
      { deadline: 'before' },
      { dumb: true },
      { advance: 1 },
      { recovery: true },
    ],
    reaches: ['suspended', 'outage', 'metering'],
  },
};

describe('ESME power orderings: the power state as context against the power region (legacy machine)', () => {
  for (const [name, { input, steps, reaches }] of Object.entries(scripts)) {
    it(name, () => {
      const old = play(legacyEsmeMachine, input, steps);
      const current = play(esmeMachine, input, steps);
      for (const power of reaches) expect(old.powers, `the script reaches ${power}`).toContain(power);
      expect(old.emitted.length).toBeGreaterThan(steps.length / 2);
      expect(current.powers).toEqual(old.powers);
      expect(current.emitted).toEqual(old.emitted);
      expect(current.context).toEqual(old.context);
    });
  }
});
