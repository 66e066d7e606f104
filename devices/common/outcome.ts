/**
 * How a device turns a decision into effects, in one place.
 *
 * A handler is a pure function `({ context, event, now }) => Outcome`: it decides, it does not act. `handle()`
 * wraps it into an XState action that applies the outcome in a fixed order:
 *   1. context patch (assign), with every alert appended to the event or security log;
 *   2. the response (`emit({ type: 'response', requestId, status, body? })`), if the event was a command;
 *   3. the alerts alert behaviour lets out (`emit({ type: 'alert', code, at, payload? })`);
 *   4. HAN traffic for the device set (`toParent`);
 *   5. internal events for the machine's own state regions (`raise`).
 * A device in a device set sends all of it to the set instead, as `{ type: 'device.output', from: eui, output }`:
 * that is how a set hears its children (XState has no parent-side subscription to a child's emits), and the set
 * emits the responses and alerts with their source. A member emits nothing itself: nobody listens to a member, and
 * an emit is one more action to resolve and run per answer, on every command the fleet sends.
 *
 * A handler that only patches the context (the ESME's metering) can run as `patchContext()` instead: a plain assign.
 *
 * Handlers get `now` from the clock (clockTime.ts) because guards cannot see time: a time-dependent decision is
 * made here and, when a state must change, returned as a `raise` event a region reacts to.
 */
import {
  assign,
  enqueueActions,
  type ActionFunction,
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

/**
 * The action that runs a handler. Typed loosely (`any` context and event) so one helper serves every machine;
 * the handler itself is typed by its author.
 */
export function handle<TContext extends OutcomeContext, TEvent extends EventObject>(
  handler: Handler<TContext, TEvent>,
): ActionFunction<any, any, any, any, any, any, any, any, any> {
  return enqueueActions<any, any, undefined, any, any, any, any, any, any>(
    ({ context, event, enqueue, self, system }) => {
      const now = nowOf(system);
      const outcome = handler({ context: context as TContext, event: event as TEvent, now });
      applyOutcome(enqueue, self, context as TContext, event as AnyEventObject, now, outcome);
    },
  );
}

/** A handler whose only effect is a context patch: no response, alert, HAN message or internal event. */
export type ContextHandler<TContext, TEvent> = (
  args: HandlerArgs<TContext, TEvent>,
) => Pick<Outcome<TContext>, 'context'>;

/**
 * The action that runs a ContextHandler: a plain assign, the same patch handle() would apply (it has no alert to
 * log). Cheaper per event than handle()'s enqueueActions, which builds an enqueue object of closures and a new
 * assign action on every call: the ESME's averaging and network-data timers fire 96 times a day per meter.
 */
export function patchContext<TContext extends OutcomeContext, TEvent extends EventObject>(
  handler: ContextHandler<TContext, TEvent>,
): ActionFunction<any, any, any, any, any, any, any, any, any> {
  return assign<any, any, undefined, any, any>(
    ({ context, event, system }) =>
      handler({ context: context as TContext, event: event as TEvent, now: nowOf(system) }).context ?? {},
  );
}

interface OutcomeEnqueuer {
  assign(patch: Record<string, unknown>): void;
  emit(event: DeviceEmitted): void;
  sendTo(target: AnyActorRef, event: AnyEventObject): void;
  raise(event: AnyEventObject): void;
}

function applyOutcome<TContext extends OutcomeContext>(
  enqueuer: unknown,
  self: AnyActorRef,
  context: TContext,
  event: AnyEventObject,
  now: number,
  outcome: Outcome<TContext>,
): void {
  const enqueue = enqueuer as OutcomeEnqueuer;
  // The fields read here, as the patch leaves them (no copy of the whole context: this runs on every event). The
  // patch is extended with Object.assign, not `{ ...patch, logs }`: V8 builds a literal that adds a field after a
  // spread on a slow path (~0.5 µs against ~0.06 µs).
  const patch = outcome.context as Partial<OutcomeContext> | undefined;
  const eui = patch?.eui ?? context.eui;
  const alertSettings = patch?.alertSettings ?? context.alertSettings;
  const alerts = outcome.alerts;
  if (alerts !== undefined && alerts.length > 0) {
    const capacity = patch?.logCapacity ?? context.logCapacity;
    let logs = patch?.logs ?? context.logs;
    for (const alert of alerts) logs = appendToLog(logs, { at: now, code: alert.code }, capacity);
    enqueue.assign(Object.assign({}, patch, { logs }));
  } else if (patch) {
    // as it is: assign copies it into the next context (a patch without logs leaves the logs as they are)
    enqueue.assign(patch);
  }

  const parent = self._parent;
  const requestId = (event as { requestId?: unknown }).requestId;
  if (outcome.response && typeof requestId === 'string') {
    const { status, body } = outcome.response;
    output(
      enqueue,
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
      output(enqueue, parent, eui, emitted);
    }
  }
  if (outcome.toParent !== undefined) for (const message of outcome.toParent) output(enqueue, parent, eui, message);
  if (outcome.raise !== undefined) for (const internal of outcome.raise) enqueue.raise(internal);
}

/** Sends a response, alert or HAN message to the parent (a device set); without one, emits a response or alert. */
function output(
  enqueue: OutcomeEnqueuer,
  parent: AnyActorRef | undefined,
  eui: string,
  message: DeviceEmitted | AnyEventObject,
): void {
  if (parent) enqueue.sendTo(parent, { type: 'device.output', from: eui, output: message } satisfies DeviceOutputEvent);
  else if (message.type === 'response' || message.type === 'alert') enqueue.emit(message as DeviceEmitted);
}
