import { normaliseDelay, type EmulatorClock, type TimerId } from './clock';

/** What `WallClock` needs from the host. Injectable so its bookkeeping can be tested without waiting. */
export interface TimerHost {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const nodeTimers: TimerHost = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/** Node's largest delay (2^31-1 ms, ~24.8 days); longer ones fire after 1 ms with a warning. */
export const MAX_HOST_DELAY_MS = 2 ** 31 - 1;

/**
 * Real time for lab benches: the same `EmulatorClock` contract as `VirtualClock`, on the host's timers.
 *
 * It hands out numeric ids (Node's own are objects) so callers and XState see one id type whichever clock
 * runs, and it applies the shared delay rule (`normaliseDelay`): a delay longer than Node allows is reached in
 * steps of at most `MAX_HOST_DELAY_MS` instead of firing at once, and an infinite delay never fires.
 * Timers keep the process alive, as Node's do: a bench that serves devices should not exit while one is pending.
 */
export class WallClock implements EmulatorClock {
  /** Pending timers; the handle is undefined for infinite delays, which have no host timer. */
  private readonly handles = new Map<TimerId, unknown>();
  private nextId = 1;

  constructor(private readonly host: TimerHost = nodeTimers) {}

  now(): number {
    return this.host.now();
  }

  setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): TimerId {
    const id = this.nextId++;
    const delay = normaliseDelay(timeoutMs);
    if (delay === Infinity) this.handles.set(id, undefined);
    else this.arm(id, fn, this.host.now() + delay, delay);
    return id;
  }

  clearTimeout(id: TimerId): void {
    if (!this.handles.has(id)) return;
    const handle = this.handles.get(id);
    this.handles.delete(id);
    if (handle !== undefined) this.host.clearTimeout(handle);
  }

  /** Timers set and neither fired nor cleared. */
  get pendingCount(): number {
    return this.handles.size;
  }

  private arm(id: TimerId, fn: (...args: unknown[]) => void, dueAt: number, wait: number): void {
    if (wait > MAX_HOST_DELAY_MS) {
      // Re-measure against the due time at each step, so the steps do not add up their own lateness.
      const step = () => this.arm(id, fn, dueAt, Math.max(0, dueAt - this.host.now()));
      this.handles.set(id, this.host.setTimeout(step, MAX_HOST_DELAY_MS));
      return;
    }
    this.handles.set(
      id,
      this.host.setTimeout(() => {
        this.handles.delete(id);
        fn();
      }, wait),
    );
  }
}
