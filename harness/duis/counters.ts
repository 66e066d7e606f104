/**
 * RequestID counters per originator: DUIS requires each user's counter to increase (DCC Boxed uses the time in ms).
 * A counter not above the last accepted one from the same user is a replay. Memory is one bigint per user.
 */
export type CounterCheck = { readonly ok: true } | { readonly ok: false; readonly last: bigint };

export class RequestCounterTracker {
  private readonly last = new Map<string, bigint>();

  /** Accepts and records `counter` when it is above the originator's last one. */
  accept(originator: string, counter: bigint): CounterCheck {
    const key = originator.toUpperCase();
    const previous = this.last.get(key);
    if (previous !== undefined && counter <= previous) return { ok: false, last: previous };
    this.last.set(key, counter);
    return { ok: true };
  }

  lastCounter(originator: string): bigint | undefined {
    return this.last.get(originator.toUpperCase());
  }
}
