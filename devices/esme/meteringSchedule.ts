/**
 * The metering timers (the measurement period, the network-data interval and each detector's pending period) in the
 * order the clock fires them. The machine keeps ONE XState timer, due at the head of this list, instead of one per
 * timer: the list says what that one timer stands for.
 *
 * The order is a clock's: by due time, and at the same instant in the order the timers were armed (the emulator's
 * VirtualClock fires equal due times in creation order, and each of the regions this replaces armed its own `after`
 * when it entered its timed state). That order is visible: an average returning and a swell raised at the same
 * instant are reported in it. A restored meter re-arms every timer at once in the regions' document order
 * (`resumedSchedule`), as the regions did on `esme.timersResumed`.
 */
import type { DetectorTimer } from './limitDetectors';

export type MeteringTimer = 'averagePeriod' | 'networkDataInterval' | DetectorTimer;

export interface ScheduledTimer {
  timer: MeteringTimer;
  /** When the clock fires it (ms): its deadline, or the instant it was re-armed if that was already past. */
  at: number;
}

/** The timers in the order of the regions that armed them before, the order a restored meter re-arms them in. */
export const meteringTimerOrder: readonly MeteringTimer[] = [
  'averagePeriod',
  'networkDataInterval',
  'extremeOver',
  'swell',
  'extremeUnder',
  'sag',
  'powerFactor',
  'loadLimit',
];

/** `timer` armed now to fire at `at`: after every timer due at or before `at` (armed earlier), before the rest. */
export function scheduled(schedule: readonly ScheduledTimer[], timer: MeteringTimer, at: number): ScheduledTimer[] {
  const next = unscheduled(schedule, timer);
  let index = next.length;
  while (index > 0 && next[index - 1].at > at) index--;
  next.splice(index, 0, { timer, at });
  return next;
}

/** `timer` cancelled (or fired). */
export function unscheduled(schedule: readonly ScheduledTimer[], timer: MeteringTimer): ScheduledTimer[] {
  // A loop, not `filter` with a closure: this runs at every timer a meter fires.
  const next: ScheduledTimer[] = [];
  for (const entry of schedule) if (entry.timer !== timer) next.push(entry);
  return next;
}

/**
 * Every timer re-armed at `now` in document order (a restored actor's resumption): one whose deadline has passed
 * fires at once, in that order, before the timers due later.
 */
export function resumedSchedule(
  schedule: readonly ScheduledTimer[],
  deadlines: Readonly<Record<MeteringTimer, number | null>>,
  now: number,
): ScheduledTimer[] {
  const armed = new Set(schedule.map((entry) => entry.timer));
  let resumed: ScheduledTimer[] = [];
  for (const timer of meteringTimerOrder) {
    const deadline = deadlines[timer];
    if (armed.has(timer) && deadline !== null) resumed = scheduled(resumed, timer, Math.max(deadline, now));
  }
  return resumed;
}

/** The delay of the one XState timer: what is left until the head of the schedule. */
export function nextDueMs(schedule: readonly ScheduledTimer[], now: number): number {
  // Never empty while metering (the measurement period is always armed); an empty one waits for ever.
  return schedule.length === 0 ? Infinity : Math.max(0, schedule[0].at - now);
}
