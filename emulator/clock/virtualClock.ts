import { normaliseDelay, type EmulatorClock, type TimerId } from './clock';
import { drainPendingJobs } from './drainJobs';
import { TimerHeap } from './timerHeap';

/** 2026-01-01T00:00:00Z: the default start, so two runs of the same scenario print the same timestamps. */
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1);

/** Below this many heap entries, cancelled timers are never compacted away: popping them lazily is cheaper. */
const COMPACT_MIN_ENTRIES = 1024;

type Callback = (...args: unknown[]) => void;

/**
 * Virtual time: a discrete-event scheduler that also serves as XState's `clock` option.
 *
 * Nothing happens until the owner advances it. An advance pops timers in (due time, creation order), sets
 * `now()` to each one's due time and runs it, so a timer set by a callback is due relative to the time of the
 * timer that set it and chained delays never drift. The asynchronous advances also let every queued promise
 * job, `queueMicrotask` and `process.nextTick` callback run after each timer, before `now()` moves again
 * (see drainJobs.ts); the `...Sync` advances skip that, which is correct and faster when everything driven by
 * the clock is synchronous (XState processes events synchronously) and drifts if anything awaits.
 *
 * Determinism: the order and time of every firing depends only on the start time and on the calls made; there
 * is no reference to real time. If a callback throws, the advance stops and rethrows with `now()` at that
 * timer's due time; the timers after it stay pending and a later advance picks them up.
 */
export class VirtualClock implements EmulatorClock {
  private current: number;
  private readonly heap = new TimerHeap(1024);
  /** Live timers that can fire. A cancelled timer leaves its heap entry behind (lazy deletion). */
  private readonly callbacks = new Map<TimerId, Callback>();
  /** Timers with an infinite delay: pending and cancellable, never in the heap because they never fire. */
  private readonly forever = new Map<TimerId, Callback>();
  private nextId = 1;
  /** Name of the advance in progress, for the re-entrancy error; undefined when idle. */
  private running: string | undefined;

  constructor(startMs: number = DEFAULT_EPOCH_MS) {
    if (!Number.isFinite(startMs)) throw new RangeError(`VirtualClock: start time must be finite, got ${startMs}`);
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: Callback, timeoutMs: number): TimerId {
    const id = this.nextId++;
    const delay = normaliseDelay(timeoutMs);
    if (delay === Infinity) {
      this.forever.set(id, fn);
    } else {
      this.callbacks.set(id, fn);
      this.heap.push(this.current + delay, id);
    }
    return id;
  }

  clearTimeout(id: TimerId): void {
    if (this.callbacks.delete(id)) {
      // Lazy deletion keeps this O(1); compacting once cancelled entries outnumber live ones bounds the heap at
      // twice the live timers even when a long timer is re-armed constantly (an inactivity timeout reset on
      // every frame), at O(1) amortised cost per cancellation.
      const size = this.heap.size;
      if (size > COMPACT_MIN_ENTRIES && size > 2 * this.callbacks.size) {
        this.heap.retain((seq) => this.callbacks.has(seq));
      }
    } else {
      this.forever.delete(id);
    }
  }

  /** Timers set and neither fired nor cleared, including those with an infinite delay. */
  get pendingCount(): number {
    return this.callbacks.size + this.forever.size;
  }

  /** Due time of the next timer that will fire, or undefined if none will (none pending, or only infinite ones). */
  nextDueTime(): number | undefined {
    this.dropCancelledHead();
    return this.heap.peekDue();
  }

  // The advances validate and claim the clock synchronously, so misuse (going back in time, advancing from
  // inside a callback or while another advance is awaited) throws at the call site even if the caller forgot
  // to await the returned promise.

  /** Moves time forward by `ms`, firing due timers and draining promise jobs after each. */
  advanceBy(ms: number): Promise<void> {
    return this.advanceAsync(this.targetAfter(ms, 'advanceBy'), 'advanceBy');
  }

  /**
   * Moves time forward to `timeMs` (ms since the epoch), firing due timers and draining promise jobs after each. With
   * `maxTimers`, it stops after firing that many if more are due by `timeMs`: `now()` is then the due time of the last
   * one fired (others due at that instant may remain) and is before `timeMs`; advance again to go on.
   */
  advanceTo(timeMs: number, options: { maxTimers?: number } = {}): Promise<void> {
    return this.advanceAsync(timeMs, 'advanceTo', options.maxTimers ?? Infinity);
  }

  /**
   * Sets `now()` to `timeMs` without firing anything: only when no timer is due before it. For a co-simulation with
   * another clock (harness/bench/lockstep.ts): both stand at the time before either fires what is due then.
   */
  jumpTo(timeMs: number): void {
    this.checkTarget(timeMs, 'jumpTo');
    if (this.running !== undefined)
      throw new Error(`VirtualClock: jumpTo() called while ${this.running}() is still running`);
    const next = this.nextDueTime();
    if (next !== undefined && next < timeMs) {
      throw new RangeError(`VirtualClock: jumpTo(${timeMs}) would pass a timer due at ${next}; advance to it instead`);
    }
    this.current = timeMs;
  }

  /**
   * Back to `startMs` with no timer pending: every timer is dropped unfired. For a bench reset (the emulator's
   * benchReset, docs/protocol.md), whose device actors are stopped and rebuilt; whatever set the dropped timers must
   * not expect them to fire.
   */
  restart(startMs: number): void {
    if (!Number.isFinite(startMs)) throw new RangeError(`VirtualClock: restart time must be finite, got ${startMs}`);
    if (this.running !== undefined)
      throw new Error(`VirtualClock: restart() called while ${this.running}() is still running`);
    this.callbacks.clear();
    this.forever.clear();
    this.heap.clear();
    this.current = startMs;
  }

  /** `advanceBy` without draining promise jobs: for workloads where every timer's effect is synchronous. */
  advanceBySync(ms: number): void {
    this.advanceSync(this.targetAfter(ms, 'advanceBySync'), 'advanceBySync');
  }

  /** `advanceTo` without draining promise jobs: for workloads where every timer's effect is synchronous. */
  advanceToSync(timeMs: number): void {
    this.advanceSync(timeMs, 'advanceToSync');
  }

  /**
   * Fires timers (draining promise jobs after each) until none is due within `limitMs` of now. Returns the final
   * time: the due time of the last timer fired if the system went idle, or now + `limitMs` if timers remain
   * beyond the limit. A timer that always re-arms itself never goes idle: pass a limit for those.
   */
  runUntilIdle(limitMs: number = Infinity): Promise<number> {
    const limit = this.idleLimit(limitMs, 'runUntilIdle');
    this.enter('runUntilIdle');
    return this.runAsync(limit, () => this.settleAfterIdleRun(limit));
  }

  /** `runUntilIdle` without draining promise jobs. */
  runUntilIdleSync(limitMs: number = Infinity): number {
    const limit = this.idleLimit(limitMs, 'runUntilIdleSync');
    this.enter('runUntilIdleSync');
    return this.runSync(limit, () => this.settleAfterIdleRun(limit));
  }

  private advanceAsync(timeMs: number, operation: string, maxTimers = Infinity): Promise<void> {
    this.checkTarget(timeMs, operation);
    if (!(maxTimers >= 1)) throw new RangeError(`VirtualClock: ${operation}() needs maxTimers >= 1, got ${maxTimers}`);
    this.enter(operation);
    return this.runAsync(
      timeMs,
      () => {
        if (!this.dueBy(timeMs)) this.current = timeMs;
      },
      maxTimers,
    );
  }

  private advanceSync(timeMs: number, operation: string): void {
    this.checkTarget(timeMs, operation);
    this.enter(operation);
    this.runSync(timeMs, () => {
      this.current = timeMs;
    });
  }

  /** Caller has called `enter`. `finish` runs before the clock is released, so no other advance can slip in. */
  private async runAsync<R>(limit: number, finish: () => R, maxTimers = Infinity): Promise<R> {
    try {
      // Jobs queued before the call (an event sent just before `await clock.advanceBy(...)` that awaits
      // something, then sets a timer) belong to the current time: let them set their timers first.
      await drainPendingJobs();
      for (let fired = 0; fired < maxTimers && this.fireNext(limit); fired++) await drainPendingJobs();
      return finish();
    } finally {
      this.running = undefined;
    }
  }

  private runSync<R>(limit: number, finish: () => R): R {
    try {
      while (this.fireNext(limit));
      return finish();
    } finally {
      this.running = undefined;
    }
  }

  /** Pops cancelled entries, then fires the first timer if it is due by `limit`. Returns whether one fired. */
  private fireNext(limit: number): boolean {
    this.dropCancelledHead();
    const due = this.heap.peekDue();
    if (due === undefined || due > limit) return false;
    const id = this.heap.pop();
    const fn = this.callbacks.get(id)!;
    this.callbacks.delete(id);
    this.current = due;
    fn();
    return true;
  }

  /** Whether a timer is still due at or before `limit`. */
  private dueBy(limit: number): boolean {
    const next = this.nextDueTime();
    return next !== undefined && next <= limit;
  }

  private dropCancelledHead(): void {
    const heap = this.heap;
    let seq = heap.peekSeq();
    while (seq !== undefined && !this.callbacks.has(seq)) {
      heap.pop();
      seq = heap.peekSeq();
    }
  }

  private settleAfterIdleRun(limit: number): number {
    if (this.nextDueTime() !== undefined) this.current = limit;
    return this.current;
  }

  private enter(operation: string): void {
    if (this.running !== undefined) {
      throw new Error(
        `VirtualClock: ${operation}() called while ${this.running}() is still running. Advances cannot nest or ` +
          'overlap: await the running advance first, and from inside a timer callback schedule work with ' +
          'clock.setTimeout() instead of advancing.',
      );
    }
    this.running = operation;
  }

  private targetAfter(ms: number, operation: string): number {
    if (!(ms >= 0) || !Number.isFinite(ms)) {
      throw new RangeError(`VirtualClock: ${operation}(ms) needs a finite ms >= 0, got ${ms}`);
    }
    return this.current + ms;
  }

  private checkTarget(timeMs: number, operation: string): void {
    if (!Number.isFinite(timeMs))
      throw new RangeError(`VirtualClock: ${operation}() needs a finite time, got ${timeMs}`);
    if (timeMs < this.current) {
      throw new RangeError(
        `VirtualClock: ${operation}(${timeMs}) is earlier than now (${this.current}); virtual time only moves forward`,
      );
    }
  }

  private idleLimit(limitMs: number, operation: string): number {
    if (!(limitMs >= 0)) throw new RangeError(`VirtualClock: ${operation}(limitMs) needs limitMs >= 0, got ${limitMs}`);
    return this.current + limitMs;
  }
}
