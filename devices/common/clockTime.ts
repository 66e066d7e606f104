/**
 * Reading the clock's time inside a machine.
 *
 * XState v5 hands every action and delay expression the actor `system`, and the system keeps the clock the root
 * actor was created with (`createActor(machine, { clock })`) as `system._clock` (declared in xstate's public
 * d.ts, `ActorSystem._clock`). XState's `Clock` type only has setTimeout/clearTimeout, but the project's
 * EmulatorClock (emulator/clock) and XState's SimulatedClock both add `now()`. Reading it there means:
 *   - time never lives in the persisted context as a function (contexts stay JSON);
 *   - `after` delays and alert timestamps come from the same clock, so a virtual 255 s is exactly 255,000 ms;
 *   - guards cannot see time (XState passes guards only context and event), so every time-dependent decision is
 *     made in an action (see outcome.ts) and turned into an internal event when a state must change.
 * With XState's default clock (plain setTimeout, no `now`) the device runs on wall time: `Date.now()`.
 */
import type { ActorSystem } from 'xstate';

type AnyActorSystem = ActorSystem<any>;

interface ClockWithNow {
  now(): number;
}

function hasNow(clock: unknown): clock is ClockWithNow {
  return typeof (clock as { now?: unknown } | undefined)?.now === 'function';
}

export function nowOf(system: AnyActorSystem | undefined): number {
  const clock: unknown = system?._clock;
  return hasNow(clock) ? clock.now() : Date.now();
}
