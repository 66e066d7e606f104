/**
 * Model-based coverage with xstate/graph, for machines with `after` delays (createTestModel rejects those).
 *
 * The model is timer-free: delayed transitions are driven by sending their `xstate.after.*` events like any
 * other event, and every event is listed by the test (commands, HAN messages, timer events). For each input:
 *   1. getAdjacencyMap explores every (state, event) edge reachable from the initial state;
 *   2. getShortestPaths gives the shortest event path to every state;
 *   3. every edge is replayed on a real actor (VirtualClock at T0): shortest path to its source, then its event,
 *      with XState's inspection recording each microstep's transitions and each snapshot's active state nodes.
 * The result lists the machine's state nodes and transition definitions that no replay exercised, and what each
 * replayed edge's event made the actor emit (response statuses, alert codes), for tests to compare with
 * expectations they write themselves: coverage alone cannot fail for a wrong response.
 *
 * States are told apart by their value and where the device stands in the migration (`migrationState`,
 * `swapInProgress`: context, which the core's guards read), not by the rest of the context (log entries and times
 * that do not change which transitions exist), so the explored graph stays small. The traversal itself runs XState's transitions without
 * a clock; tests freeze Date at T0 so the devices' fallback wall time matches the replays' virtual time.
 */
import {
  createActor,
  type AnyEventObject,
  type AnyStateMachine,
  type AnyStateNode,
  type InspectionEvent,
} from 'xstate';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import { VirtualClock } from '../../../emulator/clock';
import { T0 } from './deviceHarness';

export interface CoverageReport {
  allStates: string[];
  allTransitions: string[];
  uncoveredStates: string[];
  uncoveredTransitions: string[];
  edgesReplayed: number;
  /** What each replayed edge's event made the actor emit: the raw material for independently written expectations. */
  outcomes: EdgeOutcome[];
}

export interface EdgeOutcome {
  /** Index of the input in the list given to exploreModel. */
  input: number;
  /** The edge's event, sent after `pathLength` events (0: from the initial state). */
  event: AnyEventObject;
  pathLength: number;
  /** Response statuses emitted for the event's requestId, and alert codes, while the event was processed. */
  statuses: string[];
  alerts: number[];
}

function allStateNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states as Record<string, AnyStateNode>).flatMap(allStateNodes)];
}

/** Every transition definition with a readable id: `<source id> --<event>[#index]--> <targets>`. */
function transitionIds(machine: AnyStateMachine): Map<unknown, string> {
  const ids = new Map<unknown, string>();
  for (const node of allStateNodes(machine.root)) {
    const groups: [string, readonly unknown[]][] = [...node.transitions.entries()];
    if (node.always) groups.push(['(always)', node.always]);
    for (const [eventType, transitions] of groups) {
      transitions.forEach((transition, index) => {
        const t = transition as { target?: AnyStateNode[]; guard?: unknown };
        const targets = t.target?.map((target) => target.id).join(',') ?? '(self)';
        ids.set(transition, `${node.id} --${eventType}#${index}--> ${targets}`);
      });
    }
  }
  return ids;
}

export function exploreModel<TInput>(
  machine: AnyStateMachine,
  inputs: readonly TInput[],
  events: (snapshot: { value: unknown }) => AnyEventObject[],
): CoverageReport {
  const transitions = transitionIds(machine);
  const states = allStateNodes(machine.root).map((node) => node.id);
  const coveredStates = new Set<string>();
  const coveredTransitions = new Set<string>();
  let edgesReplayed = 0;
  const outcomes: EdgeOutcome[] = [];

  const serializeState = (snapshot: { value: unknown; context?: Record<string, unknown> }) =>
    JSON.stringify([snapshot.value, snapshot.context?.migrationState, snapshot.context?.swapInProgress]);

  for (const [index, input] of inputs.entries()) {
    const options = { input, events, serializeState } as never;
    const adjacency = getAdjacencyMap(machine, options) as unknown as Record<
      string,
      { transitions: Record<string, { event: AnyEventObject }> }
    >;
    const paths = getShortestPaths(machine, options) as {
      state: { value: unknown; context: Record<string, unknown> };
      steps: { event: AnyEventObject }[];
    }[];
    for (const path of paths) {
      const key = serializeState(path.state);
      const prefix = path.steps.map((step) => step.event).filter((event) => event.type !== 'xstate.init');
      for (const { event } of Object.values(adjacency[key]?.transitions ?? {})) {
        const emitted = replay(machine, input, prefix, event, transitions, coveredStates, coveredTransitions);
        outcomes.push({ input: index, event, pathLength: prefix.length, ...emitted });
        edgesReplayed += 1;
      }
    }
  }

  return {
    allStates: states,
    allTransitions: [...transitions.values()],
    uncoveredStates: states.filter((id) => !coveredStates.has(id)),
    uncoveredTransitions: [...transitions.values()].filter((id) => !coveredTransitions.has(id)),
    edgesReplayed,
    outcomes,
  };
}

/** The state nodes a machine snapshot is in (all levels): the snapshot's `_nodes` (declared in xstate's d.ts). */
function activeNodes(snapshot: unknown): AnyStateNode[] {
  return (snapshot as { _nodes?: AnyStateNode[] })._nodes ?? [];
}

function replay(
  machine: AnyStateMachine,
  input: unknown,
  prefix: AnyEventObject[],
  last: AnyEventObject,
  transitions: Map<unknown, string>,
  coveredStates: Set<string>,
  coveredTransitions: Set<string>,
): { statuses: string[]; alerts: number[] } {
  const inspect = (inspection: InspectionEvent) => {
    // only the machine itself takes microsteps (its one child is a callback actor)
    if (inspection.type !== '@xstate.microstep') return;
    for (const transition of inspection._transitions) {
      const id = transitions.get(transition);
      if (id) coveredTransitions.add(id);
      coveredStates.add((transition as { source: AnyStateNode }).source.id);
    }
    for (const node of activeNodes(inspection.snapshot)) coveredStates.add(node.id);
  };
  const actor = createActor(machine, { input, clock: new VirtualClock(T0), inspect });
  actor.start();
  for (const node of activeNodes(actor.getSnapshot())) coveredStates.add(node.id);
  for (const event of prefix) actor.send(event);
  const statuses: string[] = [];
  const alerts: number[] = [];
  actor.on('response', (response: { requestId?: unknown; status: string }) => {
    if (response.requestId === last.requestId) statuses.push(response.status);
  });
  actor.on('alert', (alert: { code: number }) => alerts.push(alert.code));
  actor.send(last);
  actor.stop();
  return { statuses, alerts };
}

/** The `xstate.after.*` event types of every delayed transition of the machine (the model's timer events). */
export function delayedEventTypes(machine: AnyStateMachine): string[] {
  return allStateNodes(machine.root).flatMap((node) =>
    [...node.transitions.keys()].filter((type) => type.startsWith('xstate.after.')),
  );
}
