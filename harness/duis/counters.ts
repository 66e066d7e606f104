/**
 * RequestID counters per originator: DUIS requires each user's counter to increase (DCC Boxed uses the time in ms).
 * A counter not above the last accepted one from the same user is a replay. Memory is one bigint per user (the
 * gateway checks counters only of users in Registration Data).
 */
export type CounterCheck = { readonly ok: true } | { readonly ok: false; readonly last: bigint };

/** Keeps the counters beyond this process (counterFile.ts), so a replay in a later run is refused too. */
export interface CounterJournal {
  /** Makes `counters` durable; throws if it cannot, and the counter is then not accepted. */
  save(counters: ReadonlyMap<string, bigint>): void;
}

export class RequestCounterTracker {
  private readonly last: Map<string, bigint>;

  /** `initial`: the last counters of earlier runs (keys upper-case); `journal`: where each accepted one is kept. */
  constructor(
    initial: ReadonlyMap<string, bigint> = new Map(),
    private readonly journal?: CounterJournal,
  ) {
    this.last = new Map(initial);
  }

  /**
   * Accepts and records `counter` when it is above the originator's last one. With a journal the counter is
   * durable before this returns, i.e. before the request it admits is carried out.
   */
  accept(originator: string, counter: bigint): CounterCheck {
    const key = originator.toUpperCase();
    const previous = this.last.get(key);
    if (previous !== undefined && counter <= previous) return { ok: false, last: previous };
    this.last.set(key, counter);
    try {
      this.journal?.save(this.last);
    } catch (error) {
      if (previous === undefined) this.last.delete(key);
      else this.last.set(key, previous);
      throw error;
    }
    return { ok: true };
  }

  lastCounter(originator: string): bigint | undefined {
    return this.last.get(originator.toUpperCase());
  }
}
