/**
 * A device set's actor, for a host that answers commands at fleet speed: the same machine and the same emitted
 * events as `createActor(deviceSetMachine, options)`, with no step of the set's own for a member's output.
 *
 * Everything a member says reaches the set as a `device.output` event, and the set's macrostep for it changes nothing
 * of the set: a response or alert is re-emitted with its source (deviceSetMachine.ts `set.reemitOutput`), HAN traffic
 * is carried (`set.carryHan`: for each delivery routeHan gives, a `han` trace emitted and the message sent to its
 * member). Each is a whole XState macrostep (select, microstep, a new snapshot of an unchanged set), and a PPMID's
 * join takes the set four. This actor does what the macrostep would have done at once instead, where and when the
 * macrostep would have done it, and only then:
 *   - the actor is running, its mailbox open and empty: the macrostep would run now, inside this send, and act as it
 *     ends. With an event being processed or queued (a command sent to the set, or the set still starting), the
 *     output waits its turn in the mailbox as before, so the set's emitted events keep their order;
 *   - no observer wants the set's snapshots: XState calls an observer's `next` after every macrostep, and a persisting
 *     host (emulator/host/setChanges.ts) counts those as changes of the set.
 * While it acts so, the set is as busy as in that macrostep: whatever reaches it meanwhile (a listener's command, the
 * answer of a member a listener spoke to, the answer of the member it has just delivered a HAN message to) is held
 * and handled once that is over, in the order it came, as the mailbox would have held it. HAN messages are delivered
 * as the machine's deferred sendTo delivers them, through the system's relay (an inspector sees them sent by the
 * set), each after its trace. What the set persists is untouched: the skipped macrostep would have left its context,
 * state and children as they were.
 *
 * It relies on six members of XState's Actor and system that their types keep private (`_send`, its processing
 * status, mailbox, observers, the scope whose `emit` the machine's `emit` action calls, and the system's `_relay`);
 * tests/devices/deviceSetActor.test.ts and tests/audit/deviceSetActorOrder.test.ts hold it to the machine's
 * behaviour, and tests/audit/xstateInternals.test.ts fails, naming the member, if an XState release moves one of them.
 */
import { Actor, type ActorOptions, type AnyActorRef, type AnyEventObject, type Observer } from 'xstate';
import type { DeviceOutputEvent } from '../common/outcome';
import { deviceSetMachine, hanTrace, sourcedOutput, type DeviceSetEvent } from './deviceSetMachine';
import { routeHan } from './hanRouting';

/** XState 5's Actor internals read here. */
interface ActorInternals {
  _processingStatus: number;
  mailbox: { _active: boolean; _current: unknown };
  observers: Set<Observer<unknown>>;
  _actorScope: { emit(event: unknown): void };
  /** What the machine's deferred sendTo calls: an '@xstate.event' to the inspectors, then `target._send(event)`. */
  system: { _relay(source: AnyActorRef, target: AnyActorRef, event: unknown): void };
}

/** XState's ProcessingStatus.Running. */
const RUNNING = 1;

/** XState's own `_send`: into the mailbox, processed at once when the actor is idle. */
const plainSend = (Actor.prototype as unknown as { _send(event: DeviceSetEvent): void })._send;

export class DeviceSetActor extends Actor<typeof deviceSetMachine> {
  /** Whether a member's output is being acted on at once: the set is busy, as in the macrostep it stands for. */
  private holding = false;
  /** What reached the set while holding, oldest first: the events its mailbox would have queued behind that step. */
  private readonly held: DeviceSetEvent[] = [];

  /** @internal XState's entry for every event sent to the actor (send, sendTo, a child's output). */
  _send(event: DeviceSetEvent): void {
    if (this.holding) {
      this.held.push(event);
      return;
    }
    if (event.type !== 'device.output' || !this.stepsAtOnceUnseen()) {
      plainSend.call(this, event);
      return;
    }
    this.holding = true;
    try {
      this.outputAtOnce(event);
      // `held` may grow while its events are handled: each waits for those before it, as in the mailbox
      for (let i = 0; i < this.held.length; i++) {
        const next = this.held[i]!;
        if (next.type === 'device.output' && this.stepsAtOnceUnseen()) this.outputAtOnce(next);
        else plainSend.call(this, next);
      }
    } finally {
      this.holding = false;
      this.held.length = 0;
    }
  }

  /** What the machine's step does for a member's output (set.reemitOutput, set.carryHan), without the step. */
  private outputAtOnce(event: DeviceOutputEvent): void {
    const internals = this as unknown as ActorInternals;
    const emitted = sourcedOutput(event);
    if (emitted !== undefined) {
      internals._actorScope.emit(emitted);
      return;
    }
    const { context, children } = this.getSnapshot();
    for (const delivery of routeHan(context.members, event.from, event.output as AnyEventObject)) {
      internals._actorScope.emit(hanTrace(event.from, delivery));
      internals.system._relay(this, children[delivery.to] as AnyActorRef, delivery.message);
    }
  }

  /** Whether the machine would step at once on an event sent now, and no observer would see the snapshot it made. */
  private stepsAtOnceUnseen(): boolean {
    const internals = this as unknown as ActorInternals;
    const { mailbox } = internals;
    // a mailbox not yet active (the set starting) holds its events until the set's first step is done
    if (internals._processingStatus !== RUNNING || !mailbox._active || mailbox._current !== null) return false;
    for (const observer of internals.observers) if (observer.next !== undefined) return false;
    return true;
  }
}

/**
 * Sends member `to` of a set a command, as the device host does: straight to the member, since the set's `command`
 * event would only forward it (one more XState macrostep a request); its answer still comes back through the set as
 * `device.output`. An EUI the set has no member for goes to the set, which answers `unknownDevice`.
 */
export function sendToMember(set: AnyActorRef, to: string, command: object): void {
  const member = set.getSnapshot().children[to] as AnyActorRef | undefined;
  // a command is a contract message with its requestId: the members take it as it is
  if (member) member.send(command as AnyEventObject);
  else set.send({ type: 'command', to, command });
}

export function createDeviceSetActor(options: ActorOptions<typeof deviceSetMachine>): DeviceSetActor {
  return new DeviceSetActor(deviceSetMachine, options);
}
