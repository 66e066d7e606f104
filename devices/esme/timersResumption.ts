/**
 * Re-arming the `after` timers of a restored actor.
 *
 * XState v5 does not persist scheduled timers: an actor created from a persisted snapshot has none, so a state
 * waiting on `after` would wait forever (statelyai/xstate#5331, open). It does persist invoked children and
 * starts them again on restore. This child exists only for that: every time it starts (the actor's first start,
 * or a start from a restored snapshot) it sends `esme.timersResumed`, each timed state re-enters itself, and its
 * `after` delay is recomputed as "deadline (in context) minus now", so the timer fires at its original due time.
 * On the first start the deadlines were set an instant before, so re-entering changes nothing.
 */
import { fromCallback, type EventObject } from 'xstate';

export const timersResumedEvent = { type: 'esme.timersResumed' } as const;

export const timersResumption = fromCallback<EventObject>(({ sendBack }) => {
  sendBack(timersResumedEvent);
});
