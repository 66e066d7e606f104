/**
 * Lockstep virtual time across a link: the harness's VirtualClock and that of an emulator in another process
 * (`smets1 emulate --clock harness`), moved together over the bench protocol's clock controls (docs/protocol.md
 * "Virtual time"). The link layer's own timing (acks, retransmissions, response timeouts) stays on the wall clock.
 *
 * A run is a co-simulation: while requests are on the wire, virtual time stands and the harness waits in wall time
 * (a request is answered at the virtual time it was sent); otherwise it takes t = min(target, its next timer, the
 * emulator's next timer) and steps both clocks to t: its own to t without firing anything, then the emulator's (its
 * timers due by t fire, and the answer comes once every alert they raised has been acknowledged, so those alerts
 * reach the S1SP while the harness stands at t and are stamped then), then its own timers due at t. Within one
 * instant the emulator's timers fire before the harness's; on the mock link timers of both sides interleave in the
 * order they were set, and a request takes a few virtual ms of link transit that it does not take here.
 */
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import type { EmulatorClock } from '../../emulator/clock/clock';
import type { BenchClient, CommandInput, DeviceAlert } from '../../protocols/benchClient';
import { EMULATOR_EUI } from '../../protocols/constants';
import { LAST_WIRE_TIME_MS } from '../../protocols/fieldTypes';
import type { MessageEndpoint } from '../../protocols/endpoint';

/** A run that takes more steps than this is looping (a timer re-arming itself at the same instant). */
const MAX_STEPS = 1_000_000;
/** Longest wall wait between looks at the outstanding requests when no message arrives (a request that fails). */
const WALL_POLL_MS = 50;

const iso = (ms: number) => new Date(ms).toISOString();

interface ClockAnswer {
  now: number;
  nextDue: number;
}

export class Lockstep {
  /** The emulator's next due timer as it last said; undefined: none will fire. */
  private remoteNext: number | undefined;
  /** The client's request count when the emulator last told where it stands: any request since may have set timers. */
  private syncedAfter: number;

  private constructor(
    readonly clock: VirtualClock,
    private readonly client: BenchClient,
    private readonly endpoint: MessageEndpoint,
    private readonly wall: EmulatorClock,
    private readonly link: string,
    answer: ClockAnswer,
  ) {
    this.remoteNext = answer.nextDue === 0 ? undefined : answer.nextDue;
    this.syncedAfter = client.requestsMade;
  }

  /**
   * Asks the emulator where its virtual time stands and starts the harness's clock there (or at `startMs`, moving the
   * emulator on to it). Alerts that arrive meanwhile are handed back, for the caller to replay once the S1SP listens.
   */
  static async connect(
    client: BenchClient,
    endpoint: MessageEndpoint,
    wall: EmulatorClock,
    link: string,
    startMs?: number,
  ): Promise<{ lockstep: Lockstep; early: DeviceAlert[] }> {
    const early: DeviceAlert[] = [];
    const keep = (alert: DeviceAlert) => early.push(alert);
    client.on('alert', keep);
    try {
      let answer = await clockControl(client, link, { type: 'clockStatus' }, 'the session start');
      if (startMs !== undefined && startMs !== answer.now) {
        if (startMs < answer.now) {
          throw new Error(
            `lockstep on ${link}: the emulator's virtual time is already ${iso(answer.now)}, after this run's start ${iso(startMs)} (restart the emulator)`,
          );
        }
        answer = await advanceEmulator(client, link, startMs, `the start ${iso(startMs)}`);
      }
      return { lockstep: new Lockstep(new VirtualClock(answer.now), client, endpoint, wall, link, answer), early };
    } finally {
      client.off('alert', keep);
    }
  }

  /** The next timer of either side: the harness's, or the emulator's as it last said. */
  nextDueTime(): number | undefined {
    return earliest(this.clock.nextDueTime(), this.remoteNext);
  }

  /**
   * Runs both sides until `done()` holds (checked whenever nothing is on the wire), or until `target` when given (its
   * timers fired). Without a target, a run with nothing left to fire fails naming `what`.
   */
  async run(done: () => boolean, target: number | undefined, what: string): Promise<void> {
    for (let steps = 0; steps < MAX_STEPS; steps++) {
      await drainPendingJobs();
      if (this.client.outstanding > 0) {
        await this.wallProgress();
        continue;
      }
      if (this.client.requestsMade !== this.syncedAfter) {
        // A request may have set timers on the emulator (a join window, a PPMID retry): ask again where it stands. An
        // advance to now is that question, and its answer also waits for the alerts the request raised.
        await this.advanceRemote(this.clock.now(), what);
        continue;
      }
      if (done()) return;
      const next = this.nextDueTime();
      if (target !== undefined && this.clock.now() >= target && (next === undefined || next > target)) return;
      const t = earliest(target, next);
      if (t === undefined)
        throw new Error(`stuck waiting for ${what}: nothing left to run on either side of ${this.link}`);
      this.clock.jumpTo(t);
      await this.advanceRemote(t, what);
      await this.clock.advanceTo(t);
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  private async advanceRemote(to: number, what: string): Promise<void> {
    const answer = await advanceEmulator(this.client, this.link, to, `${what} (to ${iso(to)})`);
    this.remoteNext = answer.nextDue === 0 ? undefined : answer.nextDue;
    this.syncedAfter = this.client.requestsMade;
  }

  /** Waits in wall time for the next message in, or a short while (a request may fail by timeout instead). */
  private wallProgress(): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        this.wall.clearTimeout(timer);
        this.endpoint.off('message', finish);
        resolve();
      };
      const timer = this.wall.setTimeout(finish, WALL_POLL_MS);
      this.endpoint.on('message', finish);
    });
  }
}

/**
 * Runs the emulator's clock to `to`. An advance that fires many timers is answered part of the way (docs/protocol.md
 * "Virtual time"): ask again from there. Each answer fired timers, so this ends unless a timer re-arms itself at one
 * instant for ever.
 */
async function advanceEmulator(client: BenchClient, link: string, to: number, step: string): Promise<ClockAnswer> {
  let answer = await clockControl(client, link, { type: 'advanceClock', to }, step);
  for (let parts = 1; answer.now < to && answer.nextDue !== 0 && answer.nextDue <= to; parts++) {
    if (parts >= MAX_STEPS)
      throw new Error(
        `lockstep on ${link}: advanceClock to ${iso(to)} still stands at ${iso(answer.now)} after ${parts} answers`,
      );
    answer = await clockControl(client, link, { type: 'advanceClock', to }, `${step}, from ${iso(answer.now)}`);
  }
  if (answer.now !== to)
    throw new Error(`lockstep on ${link}: advanceClock to ${iso(to)} left the emulator at ${iso(answer.now)}`);
  return answer;
}

/** One clock control and its answer; anything but ok (or no answer) is an error naming the step and the link. */
async function clockControl(
  client: BenchClient,
  link: string,
  command: CommandInput<'clockStatus' | 'advanceClock'>,
  step: string,
): Promise<ClockAnswer> {
  let response;
  try {
    response = await client.request(EMULATOR_EUI, command);
  } catch (error) {
    throw new Error(`lockstep on ${link}: ${command.type} for ${step} got no answer: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (response.status === 'ok' && response.body !== undefined) return response.body;
  const why =
    response.status === 'unsupported'
      ? 'the emulator runs on the wall clock (start it with `smets1 emulate --clock harness`), or the far end is no emulator'
      : response.status === 'invalidParameter'
        ? command.type === 'advanceClock' && command.to > LAST_WIRE_TIME_MS
          ? `past ${iso(LAST_WIRE_TIME_MS)}, the last time an alert can carry on the wire`
          : "the emulator's virtual time is already past that (a second harness on one emulator? restart it)"
        : response.status === 'busy'
          ? 'another advance is still running on the emulator (a second harness on one emulator?)'
          : `the far end does not take clock controls`;
  throw new Error(`lockstep on ${link}: ${command.type} for ${step} answered ${response.status}: ${why}`);
}

function earliest(...times: (number | undefined)[]): number | undefined {
  let min: number | undefined;
  for (const t of times) if (t !== undefined && (min === undefined || t < min)) min = t;
  return min;
}
