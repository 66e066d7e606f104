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
