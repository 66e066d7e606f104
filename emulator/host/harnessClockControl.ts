/**
 * The clock controls of an emulator on the harness's virtual time (`smets1 emulate --clock harness`; docs/protocol.md
 * "Virtual time"): `clockStatus` says where the devices' VirtualClock stands, `advanceClock` runs it to a time the
 * harness chose. Only the harness moves this clock: an emulator nobody advances keeps its devices' time standing.
 *
 * An advance is answered after every device timer due by `to` has fired (in order, promise jobs drained after each:
 * VirtualClock.advanceTo) and every alert raised so far has been acknowledged by the harness. Alerts and responses
 * share the link's send queues but an alert that stalls yields its turn (protocols/sendQueues.ts), so the answer could
 * otherwise overtake an alert; waiting for the acknowledgements means a harness holding the answer holds every alert
 * raised up to `to`, and can stamp them at that time before its own clock moves on.
 *
 * Bounded (docs/clock.md "Bounded advances"): a `to` past the last time an alert's `at` can carry on the wire is
 * refused, so no device can raise an alert the link cannot send; and one advance fires at most MAX_TIMERS_PER_ADVANCE
 * timers, then answers where it stopped (now before `to`), so a far advance is many short ones and other sessions get
 * their turn between them. A stretch with no timer due costs nothing: the clock jumps it in one step.
 */
import { LAST_WIRE_TIME_MS } from '../../protocols/fieldTypes';
import type { CommandInput } from '../../protocols/benchClient';
import type { VirtualClock } from '../clock/virtualClock';
import type { DeviceResult } from './deviceHost';

/**
 * Timers one advance fires at most: about a second of CPU on the shared 2-core CI box (one Elster set fires about
 * 35,000 a virtual year, at about 11,000 a second there), far more than a lockstep step fires (one instant's timers).
 */
const MAX_TIMERS_PER_ADVANCE = 10_000;

export class HarnessClockControl {
  /** An advance in progress: a second one is refused busy, so at most one waits for acknowledgements. */
  private running = false;

  /** An advance is in progress (a bench reset waits for none: it is refused busy meanwhile). */
  get advancing(): boolean {
    return this.running;
  }

  constructor(
    private readonly clock: VirtualClock,
    private readonly alertsAcknowledged: () => Promise<void>,
  ) {}

  async handle(command: CommandInput): Promise<DeviceResult> {
    switch (command.type) {
      case 'clockStatus':
        return this.status();
      case 'advanceClock':
        return this.advance(command.to);
      default:
        // Any other message to the emulator's own address: it is no device.
        return { status: 'unsupported' };
    }
  }

  private async advance(to: number): Promise<DeviceResult> {
    if (this.running) return { status: 'busy' };
    // Virtual time only moves forward: a harness asking for the past is out of step (or a second harness).
    if (to < this.clock.now()) return { status: 'invalidParameter' };
    // Alerts are stamped in whole seconds in a u32: past 2106-02-07T06:28:15Z one could not be sent.
    if (to > LAST_WIRE_TIME_MS) return { status: 'invalidParameter' };
    this.running = true;
    try {
      await this.clock.advanceTo(to, { maxTimers: MAX_TIMERS_PER_ADVANCE });
      await this.alertsAcknowledged();
    } catch {
      // A device timer threw (the set actor reports its own failure): the harness hears of it, never silence.
      return { status: 'internalError' };
    } finally {
      this.running = false;
    }
    return this.status();
  }

  private status(): DeviceResult {
    return { status: 'ok', body: { now: this.clock.now(), nextDue: this.clock.nextDueTime() ?? 0 } };
  }
}
