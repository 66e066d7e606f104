/**
 * The ESME with its limit detectors, its payment state and its power state as context (devices/esme/limitDetectors.ts,
 * one metering timer; devices/esme/paymentState.ts; devices/esme/powerState.ts) against the ESME as it was, one
 * parallel XState region per detector, one for the payment and one for the power supply
 * (support/legacyEsmeMachine.ts, frozen): seeded random sequences of stimuli, each run on both, must give the same
 * emitted stream (every response and every alert: code, time, order), the same event log, the same network-data
 * records, and after every stimulus the same power state (the old region's, the new context's).
 *
 * The stimuli: mains voltage at and around every threshold, load (power and power factor, at and around the limits),
 * power cuts and restorations, the meter turned dumb (a credential swap refused part-way) and brought back by
 * recovery (mid-metering, in a cut, restarted while dumb), polarity, supply, voltage configurations with short periods (so periods end often and
 * together), IHD thresholds, a restart from the persisted snapshot (at once or long after, so overdue timers fire
 * on resumption), and clock advances of random lengths, among them exactly to a pending deadline. The profile's own
 * periods are short and unequal, so periods end at the same instant as each other and as detectors' periods.
 */
import { describe, expect, it } from 'vitest';
import { withEsmeSettings } from './support/esmeSettings';
import type { AnyActorLogic } from 'xstate';
import { Random, seedRandom } from '../../common/random';
import type { EsmeContext, EsmeInput } from '../../devices/esme/esmeContext';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import type { VoltageConfig } from '../../devices/esme/esmeProfile';
import { elsterProfile } from '../../devices/profiles';
import { REMOTE_PARTY_ROLES as R } from '../../common/credentials/roles';
import { VirtualClock } from '../../emulator/clock';
import { startActor } from './support/emittingActor';
import { T0 } from './support/deviceHarness';
import { legacyEsmeMachine } from './support/legacyEsmeMachine';
import { initialSlots, newParty, replacement } from './support/pki';

const ESME = '00-DB-12-34-56-78-90-A0';
const SEQUENCES = 200;
const STIMULI = 60;

/** Elster's ESME with short, unequal periods: 20 s measurement, 30 s network data, 15 s power factor, 25 s load limit. */
const profile = withEsmeSettings(elsterProfile, 'differential test', {
  voltage: {
    averageMeasurementPeriod: 20,
    extremeOverPeriod: 5,
    extremeUnderPeriod: 5,
    sagPeriod: 10,
    swellPeriod: 10,
  },
  esme: {
    powerFactorPeriod: 15,
    loadLimitThreshold: 5000,
    loadLimitPeriod: 25,
    networkDataInterval: 30,
    networkDataRetention: 50,
  },
});
const baseInput: EsmeInput = { eui: ESME, profile, credentials: initialSlots, seed: 1 };
/** Every third sequence starts in prepayment, with no credit, a little, or some. */
const inputFor = (seed: number, random: Random): EsmeInput =>
  seed % 3 === 0
    ? { ...baseInput, paymentMode: 'prepayment', creditBalance: [0, 0.5, 30, 500][random.int(0, 3)] }
    : baseInput;

/** Voltages at, just around and well beyond the thresholds of the profile and of the configurations drawn below. */
const VOLTAGES = [0, 150, 190, 195.5, 200, 207, 210, 215, 216.2, 220, 230, 240, 250, 253, 255, 258.8, 262, 264.5, 270];
const POWERS = [0, 500, 4999, 5000, 5001, 12000, -100];
const POWER_FACTORS = [0, 0.5, 0.84, 0.85, 0.86, 1];
/** Top-ups (pence): the smallest the wire carries, a few pence (minutes at these loads), pounds, and invalid ones. */
const TOP_UPS = [0.001, 0.5, 2, 20, 300, 0, -5, 50_001];

interface Meter {
  clock: VirtualClock;
  input: EsmeInput;
  actor: ReturnType<typeof startActor>;
  emitted: unknown[];
}

function start(logic: AnyActorLogic, input: EsmeInput): Meter {
  const clock = new VirtualClock(T0);
  const emitted: unknown[] = [];
  return { clock, emitted, input, actor: startActor(logic, input, clock, emitted) };
}

/** The persisted snapshot through JSON, the actor stopped and a new one started from it at `at` (>= now). */
function restart(meter: Meter, logic: AnyActorLogic, at: number): void {
  const text = JSON.stringify(meter.actor.getPersistedSnapshot());
  meter.actor.stop();
  meter.clock = new VirtualClock(at);
  meter.actor = startActor(logic, meter.input, meter.clock, meter.emitted, JSON.parse(text));
}

/** A valid SR 6.5 configuration with short periods (1–12 s), or now and then an invalid one. */
function voltageConfig(random: Random): Partial<VoltageConfig> {
  const under = [195.5, 200, 207][random.int(0, 2)];
  const over = [253, 258.8, 264.5][random.int(0, 2)];
  const config: VoltageConfig = {
    averageOverThreshold: [240, 253][random.int(0, 1)],
    averageUnderThreshold: [216.2, 220][random.int(0, 1)],
    averageMeasurementPeriod: random.int(1, 12),
    extremeOverThreshold: over + random.int(0, 1) * 5,
    extremeOverPeriod: random.int(1, 12),
    extremeUnderThreshold: under - random.int(0, 1) * 5,
    extremeUnderPeriod: random.int(1, 12),
    sagThreshold: under,
    sagPeriod: random.int(1, 12),
    swellThreshold: over,
    swellPeriod: random.int(1, 12),
  };
  return random.next() < 0.1 ? { ...config, sagPeriod: 0 } : config;
}

const dccSupplier = newParty(R.supplier, '90-B3-D5-1F-30-01-00-0A');
const dccNetworkOperator = newParty(R.networkOperator, '90-B3-D5-1F-30-02-00-09');

/** Dumb: a supplier swap accepted, then a network operator's replacement authenticated but refused part-way. */
const turningDumb = (): object[] => [
  replacement(ESME, R.supplier, 'supplierBySupplier', dccSupplier.certificate, R.supplier),
  replacement(ESME, R.networkOperator, 'NObyNO', dccSupplier.certificate, R.networkOperator),
];
/** Smart again: the recovery party's replacement brings a dumb meter back into the swap. */
const recovering = (): object[] => [
  replacement(ESME, R.networkOperator, 'anyExceptAbnormalRootByRecovery', dccNetworkOperator.certificate, R.recovery),
];

type Stimulus =
  | { kind: 'commands'; type: string; each: object[] }
  | { kind: 'command'; type: string; fields: object }
  | { kind: 'advance'; to: 'deadline' | number }
  | { kind: 'restart'; after: number };

function stimulus(random: Random): Stimulus {
  const pick = <T>(values: readonly T[]) => values[random.int(0, values.length - 1)];
  const command = (type: string, fields: object = {}): Stimulus => ({ kind: 'command', type, fields });
  const roll = random.next();
  if (roll < 0.22) return command('mainsVoltage', { voltage: pick(VOLTAGES) });
  if (roll < 0.32) return command('load', { activePower: pick(POWERS), powerFactor: pick(POWER_FACTORS) });
  if (roll < 0.37) return command(pick(['powerCut', 'powerRestore']));
  if (roll < 0.39) return { kind: 'commands', type: 'replaceCredentials', each: turningDumb() };
  if (roll < 0.415) return { kind: 'commands', type: 'replaceCredentials', each: recovering() };
  if (roll < 0.43) return command('polarity', { reversed: random.next() < 0.5 });
  if (roll < 0.45) return command('setSupply', { state: pick(['enabled', 'disabled', 'armed']) });
  if (roll < 0.5) return command('voltageConfig', voltageConfig(random));
  if (roll < 0.52) return command('powerThresholds', { lowMediumThreshold: 1000, mediumHighThreshold: 3000 });
  if (roll < 0.53) return command('readNetworkData', { from: T0, to: T0 + 86_400_000 });
  if (roll < 0.55) return { kind: 'restart', after: pick([0, 0, 1, 7_000, 45_000, 200_000]) };
  if (roll < 0.59) return command('setPaymentMode', { mode: pick(['credit', 'prepayment', 'prepayment', 'debt']) });
  if (roll < 0.63) return command('topUp', { amount: pick(TOP_UPS) });
  if (roll < 0.65) return command(pick(['readPaymentMode', 'readSupply']));
  if (roll < 0.75) return { kind: 'advance', to: 'deadline' };
  return { kind: 'advance', to: pick([0, 1, random.int(1, 999), random.int(1, 15) * 1000, random.int(1, 120_000)]) };
}

/** A pending deadline of the old machine after now, drawn at random (its periods' ends), or undefined. */
function pendingDeadline(meter: Meter, random: Random): number | undefined {
  const context = meter.actor.getSnapshot().context as EsmeContext;
  const now = meter.clock.now();
  const due = Object.values(context.deadlines).filter((at): at is number => at !== null && at > now);
  return due.length === 0 ? undefined : due[random.int(0, due.length - 1)];
}

/** The power state as the wire would find it: the old machine's region, the new one's context. */
function powerOf(meter: Meter): string {
  const snapshot = meter.actor.getSnapshot();
  // The old machine's context comes from the same createEsmeContext, its `power` never judged: read its region.
  if (!('power' in snapshot.value)) return (snapshot.context as EsmeContext).power;
  if (snapshot.matches({ power: 'outage' })) return 'outage';
  return snapshot.matches({ power: { powered: 'suspended' } }) ? 'suspended' : 'metering';
}

function run(seed: number) {
  const random = new Random(seedRandom(seed));
  const input = inputFor(seed, random);
  const old = start(legacyEsmeMachine, input);
  const current = start(esmeMachine, input);
  const trace: string[] = [];
  const powers: { old: string[]; current: string[] } = { old: [], current: [] };
  // How often the old meter opened its contactor for lack of credit, and had it armed again by a top-up.
  let ranOut = 0;
  let armedAgain = 0;
  let cut = false;
  const watchCredit = () => {
    const context = old.actor.getSnapshot().context as EsmeContext;
    if (context.supplyCutForCredit && !cut) ranOut++;
    if (cut && !context.supplyCutForCredit && context.supply === 'armed') armedAgain++;
    cut = context.supplyCutForCredit;
  };
  for (let step = 0; step < STIMULI; step++) {
    watchCredit();
    const next = stimulus(random);
    if (next.kind === 'command') {
      const event = { type: next.type, requestId: `s${seed}-${step}`, ...next.fields };
      for (const meter of [old, current]) meter.actor.send(event as never);
      trace.push(`${next.type} ${JSON.stringify(next.fields)}`);
    } else if (next.kind === 'commands') {
      next.each.forEach((fields, index) => {
        const event = { type: next.type, requestId: `s${seed}-${step}-${index}`, ...fields };
        for (const meter of [old, current]) meter.actor.send(event as never);
        trace.push(`${next.type} ${(fields as { mode: string }).mode}`);
      });
    } else if (next.kind === 'restart') {
      const at = old.clock.now() + next.after;
      restart(old, legacyEsmeMachine, at);
      restart(current, esmeMachine, at);
      trace.push(`restart +${next.after}`);
    } else {
      const to = next.to === 'deadline' ? pendingDeadline(old, random) : old.clock.now() + next.to;
      if (to === undefined) continue;
      for (const meter of [old, current]) meter.clock.advanceToSync(to);
      trace.push(`advance to +${to - T0}`);
    }
    powers.old.push(powerOf(old));
    powers.current.push(powerOf(current));
  }
  const end = old.clock.now() + 60_000;
  for (const meter of [old, current]) meter.clock.advanceToSync(end);
  // The payment and supply as the wire reports them, at the end of every sequence.
  for (const type of ['readPaymentMode', 'readSupply']) {
    for (const meter of [old, current]) meter.actor.send({ type, requestId: `s${seed}-end-${type}` } as never);
  }
  const outcome = (meter: Meter) => {
    const context = meter.actor.getSnapshot().context as EsmeContext;
    return { emitted: meter.emitted, logs: context.logs, networkData: context.networkData };
  };
  return {
    old: { ...outcome(old), powers: powers.old },
    current: { ...outcome(current), powers: powers.current },
    trace,
    ranOut,
    armedAgain,
  };
}

describe('the ESME with its detectors, payment and power as context behaves as the one with a region for each', () => {
  it(`${SEQUENCES} seeded sequences of ${STIMULI} stimuli: the same responses and alerts (code, time, order), logs and records`, () => {
    let alerts = 0;
    let exhausted = 0;
    let rearmed = 0;
    const powerSpells = { outage: 0, suspended: 0, dumbMetering: 0 };
    for (let seed = 1; seed <= SEQUENCES; seed++) {
      const { old, current, trace, ranOut, armedAgain } = run(seed);
      exhausted += ranOut;
      rearmed += armedAgain;
      old.powers.forEach((power, index) => {
        if (power === 'outage') powerSpells.outage++;
        if (power === 'suspended') powerSpells.suspended++;
        // Back from dumb into metering (recovery), the way a metering timer must be re-armed.
        if (power === 'metering' && old.powers[index - 1] === 'suspended') powerSpells.dumbMetering++;
      });
      if (JSON.stringify(current) !== JSON.stringify(old)) {
        // Only on a difference: the sequence that shows it, for the failure message.
        expect(current, `seed ${seed}:\n${trace.join('\n')}`).toEqual(old);
      }
      alerts += old.emitted.filter((event) => (event as { type: string }).type === 'alert').length;
    }
    // The sequences exercise the detectors: many alerts, not a quiet meter compared with a quiet meter.
    expect(alerts).toBeGreaterThan(SEQUENCES * 5);
    // And the credit: meters run out of it (their contactor opened) and are topped up again.
    expect(exhausted).toBeGreaterThan(SEQUENCES / 10);
    expect(rearmed).toBeGreaterThan(SEQUENCES / 20);
    // And the power supply: cuts, dumb spells, and recoveries back into metering.
    expect(powerSpells.outage).toBeGreaterThan(SEQUENCES * 5);
    expect(powerSpells.suspended).toBeGreaterThan(SEQUENCES);
    expect(powerSpells.dumbMetering).toBeGreaterThan(SEQUENCES / 10);
  });
});
