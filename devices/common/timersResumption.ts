/**
 * Re-arming `after` timers when an actor is restored from a persisted snapshot.
 *
 * XState v5 does not persist scheduled timers (statelyai/xstate#5331, open): a restored actor waiting on `after`
 * would wait forever. It does persist invoked children and starts them again on restore. The child made here exists
 * for that: invoked at the machine root, it sends its event every time it starts (the first start, or a start from a
 * restored snapshot). Each timed state answers it by re-entering itself, with its delay computed as "deadline in
 * context minus the clock's now", so the timer fires at its original due time (or at once if due). On the first
 * start the deadlines were set an instant before, so re-entering changes nothing.
 *
 * One implementation, parameterised by the event's name: the CH and the PPMID use `core.timersResumed` (below), the
 * ESME `esme.timersResumed` (its machine names its own internal events).
 */
import { fromCallback, type EventObject } from 'xstate';

/** A child that sends `{ type }` to its parent every time it starts. */
export function timersResumption(type: string) {
  return fromCallback<EventObject>(({ sendBack }) => {
    sendBack({ type });
  });
}

/** The device core's resumption event (CH, PPMID). */
export const timersResumedEvent = { type: 'core.timersResumed' } as const;

/** Spread into `setup({ actors })`. */
export const timersResumptionActors = { 'core.timersResumption': timersResumption(timersResumedEvent.type) };

/** Put in the machine root's `invoke`. */
export const timersResumptionInvoke = { id: 'timersResumption', src: 'core.timersResumption' } as const;
