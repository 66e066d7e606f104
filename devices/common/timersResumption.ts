/**
 * Re-arming `after` timers when an actor is restored from a persisted snapshot.
 *
 * XState v5 does not persist scheduled timers (statelyai/xstate#5331, open): a restored actor waiting on `after`
 * would wait forever. So a machine that has timed states is rebuilt here as one whose restore also defers one event
 * to the restored actor, delivered as it starts (before anything sent to it afterwards). Each timed state answers it
 * by re-entering itself, with its delay computed as "deadline in context minus the clock's now", so the timer fires
 * at its original due time (or at once if due).
 *
 * A new actor gets no such event: its timers were armed on its deadlines as it entered its states. It used to be an
 * invoked child that sent the event on every start, which cost each device set three more actors and three more
 * macrosteps at creation (a set is created per installation) for a re-entry that changed nothing. A snapshot written
 * then still holds that child (`timersResumption`); XState skips a persisted child whose source the machine no longer
 * names, and the state file's loader drops it (emulator/persistence/legacyTimersResumption.ts).
 *
 * Nor is a new set started by restoring a ready snapshot through this path (measured, 2026-12-05, µs of CPU a set):
 * restoring a started set's own snapshot is ~32 % cheaper than a fresh start, but that snapshot holds what the
 * members' entry actions computed (the ESME's metering schedule, judged at its start time), which only the machines
 * may compute; restoring the members in their transient initial states, with contexts from the machines' own context
 * functions, so that the resumption event runs their eventless transitions and entry actions, cost as much as a
 * fresh start or more. Dropping the core's transient `resuming` state (before the migration became context) saved
 * nothing measurable either.
 *
 * Every machine of a device set is rebuilt so, the GSME and the set itself with no event: XState's loops call each
 * machine's methods, and machine objects of different layouts make those calls polymorphic. Measured: an own
 * `restoreSnapshot` property on the machine objects made every device command ~8 % slower; a subclass, one layout
 * for all five, costs nothing per command.
 *
 * One implementation, parameterised by the event: the CH and the PPMID answer `core.timersResumed` (below), the ESME
 * `esme.timersResumed` (its machine names its own internal events).
 */
import { StateMachine, type AnyActorScope, type AnyStateMachine, type EventObject } from 'xstate';

/** The device core's resumption event (CH, PPMID). */
export const timersResumedEvent = { type: 'core.timersResumed' } as const;

type AnyMachine = StateMachine<any, any, any, any, any, any, any, any, any, any, any, any, any, any>;

class TimersResumingMachine extends (StateMachine as new (config: unknown, implementations: unknown) => AnyMachine) {
  constructor(
    machine: AnyStateMachine,
    private readonly resumption: EventObject | undefined,
  ) {
    super(machine.config, machine.implementations);
  }

  override restoreSnapshot(snapshot: Parameters<AnyMachine['restoreSnapshot']>[0], actorScope: AnyActorScope) {
    const restored = super.restoreSnapshot(snapshot, actorScope);
    const resumption = this.resumption;
    // Deferred effects run as the actor starts, after its restored children start and before its mailbox opens.
    if (resumption !== undefined) actorScope.defer(() => actorScope.self.send(resumption));
    return restored;
  }
}

/** `machine` rebuilt so that its restored actors receive `resumption` first as they start (none: restored as is). */
export function resumingTimersOnRestore<TMachine extends AnyStateMachine>(
  machine: TMachine,
  resumption?: EventObject,
): TMachine {
  return new TimersResumingMachine(machine, resumption) as unknown as TMachine;
}
