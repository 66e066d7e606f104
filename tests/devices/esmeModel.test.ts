/**
 * Model-based coverage of the ESME machine with xstate/graph.
 *
 * The model is timer-free: a timer's delayed event (the metering timer's `esme.meteringDue`, the credit's
 * `esme.creditExhausted`) is an event of the model, and the model's clock jumps to that timer's deadline when it is
 * taken, exactly as a virtual clock would. To keep
 * the model faithful, a timer event is only offered when its deadline is the unique earliest of the active
 * timers (a real clock fires the earliest first, and two at the same instant would fire together).
 *
 * The limit detectors, the payment, the power supply and the migration are context, not states
 * (devices/esme/limitDetectors.ts, paymentState.ts, powerState.ts, common/deviceCore.ts): their branches are
 * covered by their unit tests and checked against the old machine by esmeDifferential.test.ts. Here the graph
 * covers every transition of the root, the machine's one state node, including those of the one metering timer that
 * stands for every detector's period.
 *
 * Several small models (the metering timer, averages, load, power and migration, unsupported commands, start
 * states) each explore their part of the machine with getShortestPaths; every microstep they take is recorded
 * through XState's inspection hook. The union must cover every state node and every transition of the machine,
 * else the test fails and names what is missing. Each shortest path is then replayed on a real actor running on
 * a VirtualClock (timer events become clock advances) and must reach the same state.
 *
 * Coverage and that replay are consistency checks of the machine against itself, not of its behaviour (the
 * scenario tests, esmeVoltage.test.ts and the like, hold written expectations). The one behaviour checked here
 * against a written expectation: a profile that supports nothing answers `unsupported` to every command.
 */
import { describe, expect, it } from 'vitest';
import { withEsmeSettings } from './support/esmeSettings';
import {
  createActor,
  type ActorLogic,
  type ActorScope,
  type AnyEventObject,
  type AnyMachineSnapshot,
  type AnyStateNode,
  type AnyTransitionDefinition,
} from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { EsmeContext, EsmeInput } from '../../devices/esme/esmeContext';
import { esmeMachine } from '../../devices/esme/esmeMachine';
import { defaultVoltageConfig, EsmeAlert } from '../../devices/esme/esmeProfile';
import { elsterProfile } from '../../devices/profiles';
import type { VendorProfile } from '../../devices/profiles/types';
import { VirtualClock } from '../../emulator/clock';
import { T0 } from './support/deviceHarness';
import { initialSlots } from './support/pki';

const ESME = '00-DB-12-34-56-78-90-A0';

// ---------------------------------------------------------------------------------------------------------------
// The machine's structure: every state node and every transition.

function stateNodesOf(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => stateNodesOf(child as AnyStateNode))];
}
const allStateNodes = stateNodesOf(esmeMachine.root);
const allTransitions: AnyTransitionDefinition[] = allStateNodes.flatMap((node) => [
  ...[...node.transitions.values()].flat(),
  ...(node.always ?? []),
]);

function describeTransition(transition: AnyTransitionDefinition): string {
  const guard = transition.guard as { type?: string } | string | undefined;
  const guardName = typeof guard === 'string' ? guard : guard?.type;
  const targets = transition.target?.map((node) => node.id).join(',') ?? '(self)';
  return `${transition.source.id} --${transition.eventType || 'always'}${guardName ? ` [${guardName}]` : ''}--> ${targets}`;
}

interface TimerEvent {
  type: string;
  source: AnyStateNode;
  dueAt: (context: EsmeContext) => number | null;
}
/**
 * The timers are delayed events the root takes, not `after` transitions: the one metering timer's while the meter
 * is metering (powerState.ts), due at the head of the schedule (meteringSchedule.ts); the credit's exhaustion while
 * the payment is draining (paymentState.ts), due at its deadline. Never due otherwise.
 */
const meteringDue: TimerEvent = {
  type: 'esme.meteringDue',
  source: esmeMachine.root,
  dueAt: (context) => (context.power === 'metering' ? (context.meteringSchedule[0]?.at ?? null) : null),
};
const creditExhausted: TimerEvent = {
  type: 'esme.creditExhausted',
  source: esmeMachine.root,
  dueAt: (context) => (context.payment === 'draining' ? context.deadlines.creditExhaustion : null),
};
const timerEvents: TimerEvent[] = [meteringDue, creditExhausted];
const timerEventByType = new Map(timerEvents.map((event) => [event.type, event]));
// No `after` transition is left: a new one would need its own timer event here.
if (allTransitions.some((transition) => transition.eventType.startsWith('xstate.after.'))) {
  throw new Error('esmeModel.test.ts: the ESME has an `after` transition again; model its timer');
}

/** The timer event's due time if it is the unique earliest of the active timers, else undefined. */
function dueTimer(snapshot: AnyMachineSnapshot, type: string): number | undefined {
  const event = timerEventByType.get(type)!;
  const context = snapshot.context as EsmeContext;
  const active = timerEvents.filter((candidate) => snapshot._nodes.includes(candidate.source));
  if (!active.includes(event)) return undefined;
  const due = event.dueAt(context);
  if (due === null) return undefined;
  const earliest = active.filter((other) => other !== event).every((other) => (other.dueAt(context) ?? Infinity) > due);
  return earliest ? due : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The model: the machine's pure transition on a clock that is part of the model, with coverage recorded.

type EsmeScope = Parameters<typeof esmeMachine.transition>[2];
type ModelScope = ActorScope<AnyMachineSnapshot, AnyEventObject>;

const covered = { nodes: new Set<AnyStateNode>(), transitions: new Set<AnyTransitionDefinition>() };

function modelLogic(): ActorLogic<AnyMachineSnapshot, AnyEventObject, EsmeInput> {
  const timeOf = new WeakMap<object, number>();
  const scopeAt = (scope: ModelScope, now: number): EsmeScope =>
    ({
      ...scope,
      system: {
        ...scope.system,
        _clock: { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined },
        // Microsteps, not only settled snapshots: transient states (always-only) exist only inside a macrostep.
        _sendInspectionEvent: (event: {
          type: string;
          _transitions?: AnyTransitionDefinition[];
          snapshot?: AnyMachineSnapshot;
        }) => {
          if (event.type !== '@xstate.microstep') return;
          for (const transition of event._transitions ?? []) covered.transitions.add(transition);
          for (const node of event.snapshot?._nodes ?? []) covered.nodes.add(node);
        },
      },
    }) as unknown as EsmeScope;
  const record = (snapshot: AnyMachineSnapshot, now: number) => {
    timeOf.set(snapshot, now);
    for (const node of snapshot._nodes) covered.nodes.add(node);
    return snapshot;
  };
  return {
    getInitialSnapshot: (scope: ModelScope, input: EsmeInput) =>
      record(esmeMachine.getInitialSnapshot(scopeAt(scope, T0), input), T0),
    transition: (snapshot: AnyMachineSnapshot, event: AnyEventObject, scope: ModelScope) => {
      const now = dueTimer(snapshot, event.type) ?? timeOf.get(snapshot) ?? T0;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return record(esmeMachine.transition(snapshot as any, event as any, scopeAt(scope, now)), now);
    },
    getPersistedSnapshot: (snapshot: AnyMachineSnapshot) => snapshot,
  };
}

/** The timer events a real clock would fire next from this snapshot (the active timers with the earliest due time). */
function nextTimers(snapshot: AnyMachineSnapshot): string[] {
  const context = snapshot.context as EsmeContext;
  const active = timerEvents.filter((event) => snapshot._nodes.includes(event.source));
  const earliest = Math.min(...active.map((event) => event.dueAt(context) ?? Infinity));
  return active.filter((event) => event.dueAt(context) === earliest).map((event) => event.type);
}

/**
 * What a state is, for the model: its value, the context that guards read, and which timer fires next (which
 * timer event the model may take). Not times, logs or records.
 */
function serializeState(snapshot: AnyMachineSnapshot): string {
  const context = snapshot.context as EsmeContext;
  return JSON.stringify({
    value: snapshot.value,
    nextTimers: nextTimers(snapshot),
    mainsVoltage: context.mainsVoltage,
    demand: context.demand,
    supply: context.supply,
    powered: context.outageStartedAt === null,
    migrationState: context.migrationState,
    swapInProgress: context.swapInProgress,
    lastAverage: context.lastAverageRmsVoltage,
    // The detectors are context now (limitDetectors.ts, covered by its unit and differential tests); which one is
    // pending decides what the one metering timer fires, so it is part of the state here.
    detectors: context.detectors,
    schedule: context.meteringSchedule.map((entry) => entry.timer),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The models.

const command = (type: string, fields: object = {}) => ({ type, requestId: 'model', ...fields });
const voltage = (volts: number) => command('mainsVoltage', { voltage: volts });
const load = (activePower: number, powerFactor: number) => command('load', { activePower, powerFactor });
const timersResumed = { type: 'esme.timersResumed' };

/** A profile whose measurement period (1,700 s) never ties with the 1,800 s network-data interval early on. */
const offsetPeriods = withEsmeSettings(elsterProfile, 'model: avoids simultaneous timers', {
  voltage: { averageMeasurementPeriod: 1700 },
});
const unsupportedEverything: VendorProfile = {
  ...elsterProfile,
  devices: {
    ...elsterProfile.devices,
    ESME: { ...elsterProfile.devices.ESME, supportedCommands: { value: [], source: 'assumed', note: 'model' } },
  },
};

const everyCommand = [
  command('readDeviceInfo'),
  command('readCredentials', { role: 2 }),
  command('replaceCredentials', { role: 2, mode: 'supplierBySupplier', certificate: '', signature: '' }),
  command('readEventLog', { log: 'event', from: T0, to: T0 }),
  command('injectFault', { fault: 'hanFailureRate', value: 0 }),
  command('commission', { currentTime: T0, tolerancePeriod: 60 }),
  command('clockSync', { currentTime: T0 }),
  command('join', { otherDeviceId: '00-DB-12-34-56-78-90-A3', critical: false }),
  command('unjoin', { otherDeviceId: '00-DB-12-34-56-78-90-A3' }),
  command('voltageConfig', defaultVoltageConfig(elsterProfile.esme)),
  command('powerThresholds', { lowMediumThreshold: 1000, mediumHighThreshold: 3000 }),
  command('setSupply', { state: 'enabled' }),
  command('readSupply'),
  command('alertBehaviour', { owner: 'supplier', alerts: [{ code: EsmeAlert.loadLimit, enabled: true }] }),
  command('readNetworkData', { from: T0, to: T0 }),
  voltage(230),
  load(0, 1),
  command('powerCut'),
  command('powerRestore'),
  command('hanLogAdd', { deviceId: '00-DB-12-34-56-78-90-A3', installCode: '0011223344556677', joinPeriod: 60 }),
  command('setPaymentMode', { mode: 'credit' }),
  command('topUp', { amount: 1 }),
  command('readPaymentMode'),
  command('polarity', { reversed: false }),
];

interface Model {
  name: string;
  input: EsmeInput;
  events: AnyEventObject[];
}
const input = (profile: VendorProfile, migrationState?: string): EsmeInput =>
  ({ eui: ESME, profile, credentials: initialSlots, seed: 1, migrationState }) as EsmeInput;

const models: Model[] = [
  {
    // The detectors' periods go through the one metering timer: armed (the schedule's head moves, the state
    // re-enters), fired, cancelled.
    name: 'voltage excursions through the one metering timer',
    input: input(elsterProfile),
    events: [voltage(230), voltage(262), voltage(200), { type: meteringDue.type }, timersResumed],
  },
  {
    name: 'average voltage and network data',
    input: input(offsetPeriods),
    events: [
      voltage(230),
      voltage(256),
      command('voltageConfig', defaultVoltageConfig(offsetPeriods.esme)),
      { type: meteringDue.type },
      timersResumed,
    ],
  },
  {
    name: 'load limit, power factor and supply',
    input: input(elsterProfile),
    events: [
      load(24_000, 1),
      load(2_000, 0.5),
      command('setSupply', { state: 'disabled' }),
      command('setSupply', { state: 'enabled' }),
      { type: meteringDue.type },
    ],
  },
  {
    name: 'power, migration and dumb mode, every command',
    input: input(elsterProfile),
    events: [
      ...everyCommand,
      { type: 'core.credentialsReplaced', mode: 'supplierBySupplier' },
      { type: 'core.credentialsRefused', mode: 'NObyNO' },
      { type: 'core.credentialsReplaced', mode: 'anyExceptAbnormalRootByRecovery' },
      { type: 'core.commissioned' },
      { type: 'han.peerJoined', deviceId: '00-DB-12-34-56-78-90-A3' },
      { type: 'han.peerLeft', deviceId: '00-DB-12-34-56-78-90-A3' },
    ],
  },
  {
    name: 'payment mode, prepayment credit and polarity',
    input: input(elsterProfile),
    events: [
      command('topUp', { amount: 10 }),
      command('setPaymentMode', { mode: 'prepayment' }),
      command('setPaymentMode', { mode: 'credit' }),
      command('readPaymentMode'),
      load(2_000, 1),
      load(0, 1),
      command('setSupply', { state: 'enabled' }),
      command('polarity', { reversed: true }),
      command('polarity', { reversed: false }),
      { type: creditExhausted.type },
      timersResumed,
    ],
  },
  { name: 'every command unsupported by the profile', input: input(unsupportedEverything), events: everyCommand },
  { name: 'starting migrated', input: input(elsterProfile, 'dcc'), events: [] },
  // A restored context can start dumb (the input type cannot: a set never creates a dumb meter).
  {
    name: 'starting dumb',
    input: input(elsterProfile, 'dumb'),
    // Restored out of metering: the root takes the resumption (the credit timer's), not metering's `timing`.
    events: [command('powerCut'), command('powerRestore'), timersResumed],
  },
];

// ---------------------------------------------------------------------------------------------------------------

/** Replays a path on a real actor on a VirtualClock: timer events become clock advances to their deadline. */
function replay(model: Model, events: AnyEventObject[], statuses: string[] = []) {
  const clock = new VirtualClock(T0);
  const actor = createActor(esmeMachine, { input: model.input, clock });
  actor.on('response', (response) => statuses.push(response.status));
  actor.start();
  for (const event of events) {
    const timer = timerEventByType.get(event.type);
    if (timer) {
      const due = timer.dueAt(actor.getSnapshot().context);
      if (due !== null) clock.advanceToSync(due);
    } else {
      actor.send(event as never);
    }
  }
  const snapshot = actor.getSnapshot();
  actor.stop();
  return snapshot;
}

/** The shortest path to every state of a model, explored once (the exploration records coverage). */
const explored = new Map<Model, ReturnType<typeof getShortestPaths>>();
function explore(model: Model) {
  let paths = explored.get(model);
  if (!paths) {
    paths = getShortestPaths(modelLogic(), {
      input: model.input,
      events: model.events,
      serializeState: (snapshot) => serializeState(snapshot as AnyMachineSnapshot),
      filterEvents: (snapshot, event) =>
        !timerEventByType.has(event.type) || dueTimer(snapshot as AnyMachineSnapshot, event.type) !== undefined,
    });
    explored.set(model, paths);
  }
  return paths;
}

describe('ESME model-based coverage (xstate/graph)', () => {
  for (const model of models) {
    // Consistency, not behaviour: the model's pure transitions and timer jumps agree with an actor on a clock.
    it(`${model.name}: every shortest path of the model reaches the same state on a real actor`, () => {
      const paths = explore(model);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        const events = path.steps
          .map((step) => step.event as AnyEventObject)
          .filter((event) => event.type !== 'xstate.init');
        const reached = replay(model, events);
        const modelled = path.state as AnyMachineSnapshot;
        expect(
          { value: reached.value, detectors: reached.context.detectors },
          events.map((event) => event.type).join(' → '),
        ).toEqual({ value: modelled.value, detectors: (modelled.context as EsmeContext).detectors });
      }
    });
  }

  it('every command unsupported by the profile answers unsupported, from every state of that model (docs/protocol.md status 04)', () => {
    const model = models.find((m) => m.name === 'every command unsupported by the profile')!;
    const paths = explore(model);
    const statuses: string[] = [];
    for (const path of paths) {
      const prefix = path.steps
        .map((step) => step.event as AnyEventObject)
        .filter((event) => event.type !== 'xstate.init');
      for (const event of everyCommand) {
        const seen: string[] = [];
        replay(model, [...prefix, event], seen);
        statuses.push(...seen);
      }
    }
    expect(statuses).toEqual(Array(paths.length * everyCommand.length).fill('unsupported'));
  });

  it('coverage: every state node (1, the root) and every transition (75) of the machine is taken by some model', () => {
    for (const model of models) explore(model);
    // A transition taken from a node proves the node was active (XState does not report a state left in the
    // initial microstep).
    const coveredNodes = new Set([...covered.nodes, ...[...covered.transitions].map((t) => t.source)]);
    const missingNodes = allStateNodes.filter((node) => !coveredNodes.has(node)).map((node) => node.id);
    const missingTransitions = allTransitions.filter((t) => !covered.transitions.has(t)).map(describeTransition);
    expect(missingNodes).toEqual([]);
    expect(missingTransitions).toEqual([]);
    // Guards the structure walk itself: a machine grown or shrunk must update this test knowingly.
    expect([allStateNodes.length, allTransitions.length]).toEqual([1, 75]);
  });
});
