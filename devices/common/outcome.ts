/**
 * How a device turns a decision into effects, in one place.
 *
 * A handler is a pure function `({ context, event, now }) => Outcome`: it decides, it does not act. `handle()`
 * wraps it into an XState action that applies the outcome in a fixed order:
 *   1. context patch (as an assign would apply it), with every alert appended to the event or security log;
 *   2. the response (`emit({ type: 'response', requestId, status, body? })`), if the event was a command;
 *   3. the alerts alert behaviour lets out (`emit({ type: 'alert', code, at, payload? })`);
 *   4. HAN traffic for the device set (`toParent`);
 *   5. internal events for the machine's own state regions (`raise`).
 * A device in a device set sends all of it to the set instead, as `{ type: 'device.output', from: eui, output }`:
 * that is how a set hears its children (XState has no parent-side subscription to a child's emits), and the set
 * emits the responses and alerts with their source. A member emits nothing itself: nobody listens to a member, and
 * an emit is one more action to resolve and run per answer, on every command the fleet sends.
 *
 * A handler that only patches the context (the ESME's metering) can run as `patchContext()` instead.
 *
 * Handlers get `now` from the clock (clockTime.ts) because guards cannot see time: a time-dependent decision is
 * made here and, when a state must change, returned as a `raise` event a region reacts to.
 */
import {
  emit,
  raise,
  sendTo,
  type ActionFunction,
  type ActorSystem,
  type AnyActorRef,
  type AnyEventObject,
  type EventObject,
} from 'xstate';
import { isAlertEmitted, type AlertSetting } from './alertBehaviour';
import { nowOf } from './clockTime';
import { appendToLog, type DeviceLogs } from './eventLog';
import type { AlertEmitted, DeviceEmitted, ResponseStatus } from './types';

export interface AlertRaise {
  code: number;
  payload?: string;
}

export interface Outcome<TContext> {
  context?: Partial<TContext>;
  response?: { status: ResponseStatus; body?: unknown };
  alerts?: AlertRaise[];
  toParent?: AnyEventObject[];
  raise?: AnyEventObject[];
}

export interface HandlerArgs<TContext, TEvent> {
  context: TContext;
  event: TEvent;
  /** The clock's now, ms since the Unix epoch. */
  now: number;
}

export type Handler<TContext, TEvent> = (args: HandlerArgs<TContext, TEvent>) => Outcome<TContext>;

/** The part of a device context outcome.ts reads and writes. */
export interface OutcomeContext {
  eui: string;
  logs: DeviceLogs;
  logCapacity: number;
  alertSettings: readonly Readonly<AlertSetting>[];
}

/** What a child device sends its parent for everything it emits and for HAN traffic. */
export interface DeviceOutputEvent {
  type: 'device.output';
  from: string;
  output: DeviceEmitted | AnyEventObject;
}

/** What XState hands a built-in action's `resolve` (raise-*.cjs.js resolveAndExecuteActionsWithContext). */
interface ResolveScope {
  self: AnyActorRef;
  system: ActorSystem<any>;
}

/**
 * The action that runs a handler. Typed loosely (`any` context and event) so one helper serves every machine;
 * the handler itself is typed by its author.
 *
 * It is what `enqueueActions` is, without the enqueue object: an XState built-in action (a function with `type` and
 * `resolve`) whose `resolve` runs the handler in the step, with the context as the step has made it so far, returns
 * the step's snapshot with the context patch applied (withContextPatched below: what an `assign` first in the queue
 * would have left), and hands XState back the rest of the outcome as XState's own `sendTo`, `emit` and `raise`
 * actions, which XState then resolves and runs (and an inspector sees) exactly as the ones `enqueueActions` would
 * have queued. `enqueueActions` builds, on every call, an enqueue function with nine closures and an argument
 * object, and queues through rest parameters: about a tenth of a device command's CPU (docs/fleet.md, round ten). The built-in action protocol is
 * XState's own, not its public API: tests/audit/xstateBuiltinActions.test.ts fails if a release changes it.
 */
export function handle<TContext extends OutcomeContext, TEvent extends EventObject>(
  handler: Handler<TContext, TEvent>,
): ActionFunction<any, any, any, any, any, any, any, any, any> {
  function handleOutcome(): void {}
  handleOutcome.type = 'device.handle';
  handleOutcome.resolve = (
    scope: ResolveScope,
    snapshot: unknown,
    { context, event }: { context: TContext; event: AnyEventObject },
  ): [unknown, undefined, unknown[]] => {
    const now = nowOf(scope.system);
    const outcome = handler({ context, event: event as unknown as TEvent, now });
    const actions: unknown[] = [];
    const patch = applyOutcome(actions, scope.self, context, event, now, outcome);
    return [withContextPatched(snapshot, patch), undefined, actions];
  };
  return handleOutcome as unknown as ActionFunction<any, any, any, any, any, any, any, any, any>;
}

/** A handler whose only effect is a context patch: no response, alert, HAN message or internal event. */
export type ContextHandler<TContext, TEvent> = (
  args: HandlerArgs<TContext, TEvent>,
) => Pick<Outcome<TContext>, 'context'>;

/**
 * The action that runs a ContextHandler: the same patch handle() would apply (it has no alert to log), as a built-in
 * action that returns no actions. Cheaper per event than handle(), which builds a list of actions on every call: the
 * ESME's averaging and network-data timers fire 96 times a day per meter. No patch, no copy.
 */
export function patchContext<TContext extends OutcomeContext, TEvent extends EventObject>(
  handler: ContextHandler<TContext, TEvent>,
): ActionFunction<any, any, any, any, any, any, any, any, any> {
  function patchOutcome(): void {}
  patchOutcome.type = 'device.patchContext';
  patchOutcome.resolve = (
    scope: ResolveScope,
    snapshot: unknown,
    { context, event }: { context: TContext; event: AnyEventObject },
  ): [unknown, undefined, undefined] => {
    const patch = handler({ context, event: event as unknown as TEvent, now: nowOf(scope.system) }).context;
    return [withContextPatched(snapshot, patch), undefined, undefined];
  };
  return patchOutcome as unknown as ActionFunction<any, any, any, any, any, any, any, any, any>;
}

/** XState 5.33.3's machine snapshot, the fields createMachineSnapshot gives it, in its order. */
interface MachineSnapshotFields {
  status: unknown;
  output: unknown;
  error: unknown;
  machine: unknown;
  context: object;
  _nodes: unknown;
  value: unknown;
  tags: unknown;
  children: unknown;
  historyValue: unknown;
  matches: unknown;
  hasTag: unknown;
  can: unknown;
  getMeta: unknown;
  toJSON: unknown;
}

/**
 * The step's snapshot with `patch` applied to its context (the snapshot itself when there is no patch): what XState's `assign(patch)` makes, without its cost.
 * The context is copied as assign copies it (`Object.assign({}, context, patch)`: the same keys in the same order).
 * The other fields are the snapshot's own: assign rebuilds it with createMachineSnapshot, which recomputes the state
 * value from the active state nodes and a new tag set, and spreads the snapshot and its config, on every assign,
 * though an action changes neither the state nodes nor the children (a handler spawns nothing). Written as
 * createMachineSnapshot's literal, field by field in its order, so that every snapshot keeps one hidden class: a
 * spread copy had another, and XState's own spreads of snapshots of both went slow (measured: the request path
 * slower than with assign). 5–9 % of a device command's CPU (docs/fleet.md, round thirteen). XState reports no assign
 * to an inspector, so none is missed. tests/devices/outcomeContextPatch.test.ts holds the snapshot to assign's, and
 * tests/audit/xstateBuiltinActions.test.ts fails if a release changes the snapshot's fields.
 */
function withContextPatched(snapshot: unknown, patch: object | undefined): unknown {
  if (patch === undefined) return snapshot;
  const from = snapshot as MachineSnapshotFields;
  return {
    status: from.status,
    output: from.output,
    error: from.error,
    machine: from.machine,
    context: Object.assign({}, from.context, patch),
    _nodes: from._nodes,
    value: from.value,
    tags: from.tags,
    children: from.children,
    historyValue: from.historyValue,
    matches: from.matches,
    hasTag: from.hasTag,
    can: from.can,
    getMeta: from.getMeta,
    toJSON: from.toJSON,
  } satisfies MachineSnapshotFields;
}

/**
 * The actions that apply `outcome`, in the order the file header gives, appended to `actions`; the context patch
 * (step 1, logs included) is returned for the caller to apply before them, undefined when there is none.
 */
function applyOutcome<TContext extends OutcomeContext>(
  actions: unknown[],
  self: AnyActorRef,
  context: TContext,
  event: AnyEventObject,
  now: number,
  outcome: Outcome<TContext>,
): Partial<OutcomeContext> | undefined {
  // The fields read here, as the patch leaves them (no copy of the whole context: this runs on every event). The
  // patch is extended with Object.assign, not `{ ...patch, logs }`: V8 builds a literal that adds a field after a
  // spread on a slow path (~0.5 µs against ~0.06 µs).
  let patch = outcome.context as Partial<OutcomeContext> | undefined;
  const eui = patch?.eui ?? context.eui;
  const alertSettings = patch?.alertSettings ?? context.alertSettings;
  const alerts = outcome.alerts;
  if (alerts !== undefined && alerts.length > 0) {
    const capacity = patch?.logCapacity ?? context.logCapacity;
    let logs = patch?.logs ?? context.logs;
    for (const alert of alerts) logs = appendToLog(logs, { at: now, code: alert.code }, capacity);
    patch = Object.assign({}, patch, { logs });
  }
  // otherwise as it is: it is copied into the next context (a patch without logs leaves the logs as they are)

  const parent = self._parent;
  const requestId = (event as { requestId?: unknown }).requestId;
  if (outcome.response && typeof requestId === 'string') {
    const { status, body } = outcome.response;
    output(
      actions,
      parent,
      eui,
      body === undefined ? { type: 'response', requestId, status } : { type: 'response', requestId, status, body },
    );
  }
  if (alerts !== undefined) {
    for (const alert of alerts) {
      if (!isAlertEmitted(alertSettings, alert.code)) continue;
      const emitted: AlertEmitted = { type: 'alert', code: alert.code, at: now };
      if (alert.payload !== undefined) emitted.payload = alert.payload;
      output(actions, parent, eui, emitted);
    }
  }
  if (outcome.toParent !== undefined) for (const message of outcome.toParent) output(actions, parent, eui, message);
  if (outcome.raise !== undefined) for (const internal of outcome.raise) actions.push(raise(internal));
  return patch;
}

/** Sends a response, alert or HAN message to the parent (a device set); without one, emits a response or alert. */
function output(
  actions: unknown[],
  parent: AnyActorRef | undefined,
  eui: string,
  message: DeviceEmitted | AnyEventObject,
): void {
  if (parent)
    actions.push(sendTo(parent, { type: 'device.output', from: eui, output: message } satisfies DeviceOutputEvent));
  else if (message.type === 'response' || message.type === 'alert') actions.push(emit(message as DeviceEmitted));
}
