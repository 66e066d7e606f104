/**
 * A device set's actor, for a host that answers commands at fleet speed: the same machine and the same emitted
 * events as `createActor(deviceSetMachine, options)`, with one step fewer per answer.
 *
 * Every response and alert of a member reaches the set as a `device.output` event that the set only re-emits with its
 * source (deviceSetMachine.ts `set.reemitOutput`): a whole XState macrostep per answer (select, microstep, a new
 * snapshot of an unchanged set) that changes nothing of the set. This actor emits such an event at once instead,
 * where and when the macrostep would have emitted it, and only then:
 *   - the actor is running, its mailbox open and empty: the macrostep would run now, inside this send, and emit as it
 *     ends. With an event being processed or queued (HAN traffic the set is carrying, a member answering a message
 *     the set delivered), the output waits its turn in the mailbox as before, so the set's emitted events keep their
 *     order, HAN traces included;
 *   - no observer wants the set's snapshots: XState calls an observer's `next` after every macrostep, and a persisting
 *     host (emulator/host/setChanges.ts) counts those as changes of the set.
 * While it emits so, the set is as busy as in that macrostep: whatever reaches it meanwhile (a listener's command, the
 * answer of a member a listener spoke to) is held and handled once the emission is over, in the order it came, as
 * the mailbox would have held it.
 * HAN traffic always goes through the machine (it routes it). What the set persists is untouched: the skipped
 * macrostep would have left its context, state and children as they were.
 *
 * It relies on five members of XState's Actor that its types keep private (`_send`, its processing status, mailbox,
 * observers and the scope whose `emit` the machine's `emit` action calls); tests/devices/deviceSetActor.test.ts and
 * tests/audit/deviceSetActorOrder.test.ts hold it to the machine's behaviour, and
 * tests/audit/xstateInternals.test.ts fails, naming the member, if an XState release moves one of them.
 */
import { Actor, type ActorOptions, type Observer } from 'xstate';
import type { DeviceOutputEvent } from '../common/outcome';
import { deviceSetMachine, sourcedOutput, type DeviceSetEmitted, type DeviceSetEvent } from './deviceSetMachine';

/** XState 5's Actor internals read here. */
interface ActorInternals {
  _processingStatus: number;
  mailbox: { _active: boolean; _current: unknown };
  observers: Set<Observer<unknown>>;
  _actorScope: { emit(event: unknown): void };
}

/** XState's ProcessingStatus.Running. */
const RUNNING = 1;

/** XState's own `_send`: into the mailbox, processed at once when the actor is idle. */
const plainSend = (Actor.prototype as unknown as { _send(event: DeviceSetEvent): void })._send;

export class DeviceSetActor extends Actor<typeof deviceSetMachine> {
  /** Whether an answer is being emitted at once: the set is busy, as in the macrostep that would have emitted it. */
  private holding = false;
  /** What reached the set while holding, oldest first: the events its mailbox would have queued behind that step. */
  private readonly held: DeviceSetEvent[] = [];

  /** @internal XState's entry for every event sent to the actor (send, sendTo, a child's output). */
  _send(event: DeviceSetEvent): void {
    if (this.holding) {
      this.held.push(event);
      return;
    }
    const emitted = this.emittableAtOnce(event);
    if (emitted === undefined) {
      plainSend.call(this, event);
      return;
    }
    const { emit } = (this as unknown as ActorInternals)._actorScope;
    this.holding = true;
    try {
      emit(emitted);
      // `held` may grow while its events are handled: each waits for those before it, as in the mailbox
      for (let i = 0; i < this.held.length; i++) {
        const next = this.held[i];
        const nextEmitted = this.emittableAtOnce(next);
        if (nextEmitted === undefined) plainSend.call(this, next);
        else emit(nextEmitted);
      }
    } finally {
      this.holding = false;
      this.held.length = 0;
    }
  }

  /** What the set emits for `event` if it may emit it without the machine's step, else undefined. */
  private emittableAtOnce(event: DeviceSetEvent): DeviceSetEmitted | undefined {
    return event.type === 'device.output' && this.emitsAtOnce() ? sourcedOutput(event as DeviceOutputEvent) : undefined;
  }

  private emitsAtOnce(): boolean {
    const internals = this as unknown as ActorInternals;
    const { mailbox } = internals;
    // a mailbox not yet active (the set starting) holds its events until the set's first step is done
    if (internals._processingStatus !== RUNNING || !mailbox._active || mailbox._current !== null) return false;
    for (const observer of internals.observers) if (observer.next !== undefined) return false;
    return true;
  }
}

export function createDeviceSetActor(options: ActorOptions<typeof deviceSetMachine>): DeviceSetActor {
  return new DeviceSetActor(deviceSetMachine, options);
}
