/**
 * Re-arming `after` timers when an actor is restored from a persisted snapshot.
 *
 * XState v5 does not persist scheduled timers (statelyai/xstate#5331, open): a restored actor waiting on `after`
 * would wait forever. It does persist invoked children and starts them again on restore. This child exists for
 * that: invoked at the machine root, it sends `core.timersResumed` every time it starts (the first start, or a
 * start from a restored snapshot). Each timed state answers it by re-entering itself, with its delay computed as
 * "deadline in context minus the clock's now", so the timer fires at its original due time (or at once if due).
 * The same idea as the ESME's devices/esme/timersResumption.ts, shared by the CH and the PPMID.
 */
import { fromCallback, type EventObject } from 'xstate';

export const timersResumedEvent = { type: 'core.timersResumed' } as const;

export const timersResumption = fromCallback<EventObject>(({ sendBack }) => {
  sendBack(timersResumedEvent);
});

/** Spread into `setup({ actors })`. */
export const timersResumptionActors = { 'core.timersResumption': timersResumption };

/** Put in the machine root's `invoke`. */
export const timersResumptionInvoke = { id: 'timersResumption', src: 'core.timersResumption' } as const;
