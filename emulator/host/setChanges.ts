/**
 * Where the device host's 'change' events for a set's snapshot come from: observers on the set actor and on each of its
 * members (a device's state lives in the member). XState calls every observer on every snapshot of every actor, so
 * the host observes its sets only while something listens to 'change' (a persisting bench, hostPersistence.ts): a
 * migration's or a fleet's host persists nothing and paid for those calls on every device event (5–10 µs a command).
 */
import type { AnyActorRef, Subscription } from 'xstate';

/** An observer's error handler of its own: without one, XState reports a set's error as unhandled (and throws). */
const ignoreError = (): void => {};

export class SetChanges {
  #watching = false;
  #subscriptions: Subscription[] = [];

  /** `changed(set)`: a snapshot of set `set` or of one of its members changed. */
  constructor(private readonly changed: (set: number) => void) {}

  /** Observes every set of `actors` (started), from now until `stop`. */
  start(actors: readonly AnyActorRef[]): void {
    if (this.#watching) return;
    this.#watching = true;
    actors.forEach((actor, index) => this.add(actor, index));
  }

  stop(): void {
    this.#watching = false;
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    this.#subscriptions = [];
  }

  /** A set actor just started, set number `index`: observed while watching. */
  add(actor: AnyActorRef, index: number): void {
    if (!this.#watching) return;
    const next = () => this.changed(index);
    this.#subscriptions.push(actor.subscribe({ next, error: ignoreError }));
    for (const child of Object.values(actor.getSnapshot().children as Record<string, AnyActorRef | undefined>))
      if (child) this.#subscriptions.push(child.subscribe({ next, error: ignoreError }));
  }

  /** The sets were stopped and replaced (a reset): their observers went with them. */
  forget(): void {
    this.#subscriptions = [];
  }
}
