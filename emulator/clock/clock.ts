/**
 * The clock every timer in the project runs on: XState's `Clock` (so actors' `after` delays use it) plus `now()`.
 * Two implementations share it: `VirtualClock` (a discrete-event scheduler, for CI and simulations) and
 * `WallClock` (real time, for lab benches). Nothing else in the project calls the global `setTimeout`.
 */
export type TimerId = number;

export interface EmulatorClock {
  /** Milliseconds since the Unix epoch, virtual or real. */
  now(): number;
  setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): TimerId;
  clearTimeout(id: TimerId): void;
}

/**
 * The delay rule both clocks share, so a device behaves the same on virtual and real time: a negative or NaN
 * delay means "as soon as possible" (0, as in Node), and +Infinity means "never" (the timer stays pending and
 * cancellable but never fires). Node instead fires an Infinity or > 2^31-1 ms delay after 1 ms, which would
 * turn a 30-day tariff timer into an immediate one; large finite delays are honoured exactly.
 */
export function normaliseDelay(timeoutMs: number): number {
  return timeoutMs > 0 ? timeoutMs : 0; // NaN > 0 is false, so NaN lands here too
}
