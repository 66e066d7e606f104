/**
 * XState's own `SimulatedClock` behind the VirtualClock interface a DuisBench drives (now, timers, the next due time,
 * advancing to a time), so bench:fleet can run the same migrations with the devices on XState's clock instead of
 * ours and print the ratio. Only what a bench uses is carried over; the rest of VirtualClock is refused.
 *
 * SimulatedClock keeps its timers in a Map and sorts all of them on every advance; it has no "next due" query, so
 * this reads its timer map (a field at runtime, not in its type) and scans it. Its ids start at 0, a value some
 * callers could take for "no timer": they are shifted by one.
 */
import { SimulatedClock } from 'xstate';
import { normaliseDelay, type TimerId } from '../../emulator/clock/clock';
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
import { DEFAULT_EPOCH_MS, VirtualClock } from '../../emulator/clock/virtualClock';

interface SimulatedTimer {
  readonly start: number;
  readonly timeout: number;
}

export class XStateSimulatedClock extends VirtualClock {
  private readonly simulated = new SimulatedClock();
  private readonly timers: Map<number, SimulatedTimer>;

  constructor(startMs: number = DEFAULT_EPOCH_MS) {
    super(startMs);
    this.simulated.set(startMs);
    this.timers = (this.simulated as unknown as { timeouts: Map<number, SimulatedTimer> }).timeouts;
  }

  override now(): number {
    return this.simulated.now();
  }

  override setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): TimerId {
    // SimulatedClock never fires an Infinity delay (now - start >= Infinity is false): the same rule as ours
    return (this.simulated.setTimeout(fn, normaliseDelay(timeoutMs)) as number) + 1;
  }

  override clearTimeout(id: TimerId): void {
    this.simulated.clearTimeout(id - 1);
  }

  override get pendingCount(): number {
    return this.timers.size;
  }

  override nextDueTime(): number | undefined {
    let next = Infinity;
    for (const timer of this.timers.values()) next = Math.min(next, timer.start + timer.timeout);
    return next === Infinity ? undefined : next;
  }

  /** Each due time in turn (SimulatedClock fires everything due at it in one flush), promise jobs drained after each. */
  override async advanceTo(timeMs: number): Promise<void> {
    if (timeMs < this.now())
      throw new RangeError(`XStateSimulatedClock: advanceTo(${timeMs}) is before now (${this.now()})`);
    // as VirtualClock's advances: jobs queued before the call set their timers at the time they belong to
    await drainPendingJobs();
    for (let next = this.nextDueTime(); next !== undefined && next <= timeMs; next = this.nextDueTime()) {
      this.simulated.set(next);
      await drainPendingJobs();
    }
    // no timer is due by timeMs now (the loop ran them all): setting it fires nothing, so there is nothing to drain
    this.simulated.set(timeMs);
  }

  override advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.now() + ms);
  }

  override jumpTo(): void {
    refused('jumpTo');
  }

  override restart(): void {
    refused('restart');
  }

  override advanceBySync(): void {
    refused('advanceBySync');
  }

  override advanceToSync(): void {
    refused('advanceToSync');
  }

  override runUntilIdle(): Promise<number> {
    refused('runUntilIdle');
  }

  override runUntilIdleSync(): number {
    refused('runUntilIdleSync');
  }
}

/** A VirtualClock operation a DuisBench on in-process devices never calls (lockstep, bench reset, sync runs). */
function refused(operation: string): never {
  throw new Error(`XStateSimulatedClock: ${operation} is not carried over to XState's SimulatedClock`);
}
