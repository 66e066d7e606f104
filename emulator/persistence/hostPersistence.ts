/**
 * Keeps a DeviceHost's state durable in a StateStore, and makes sure nothing is acknowledged before it is:
 *
 * - Each set that changed in one turn of the event loop is written once, at the end of that turn (a microtask);
 *   a set whose record text is unchanged (a read) is not written at all.
 * - An alert leaving the queue because the harness acknowledged it is written late: with the set's next change,
 *   or ACK_WRITE_DELAY_MS later, whichever is first. A `kill -9` in between means that alert is sent again after
 *   the restart (the alert-duplicate rule in README.md); it never means an alert is lost.
 * - Every response and alert the host sends waits in `outbound` until the changes made before it are on disk, so a
 *   harness never holds an answer to a change a crash could undo.
 * - If a write fails (disk full, short write, I/O error), nothing further is sent, the last good files stay as
 *   they are, and `onFailure` is called once: the emulator stops (exit 1) rather than acknowledge what it
 *   cannot keep.
 */
import { createHash } from 'node:crypto';
import type { DeviceHost } from '../host/deviceHost';
import type { StateStore } from './stateStore';

/**
 * A record's fingerprint, without the host-wide alert counter that ends it: another set raising an alert is no
 * change to this one. (The counter still reaches disk: the set that raised the alert is written with it.)
 */
/** How long an acknowledged alert may stay in the files after it left the queue. */
export const ACK_WRITE_DELAY_MS = 1000;

const digest = (text: string) =>
  createHash('sha1')
    .update(text.slice(0, text.lastIndexOf(',"nextAlertId":')))
    .digest('base64');

export class HostPersistence {
  private host: DeviceHost | undefined;
  private readonly dirty = new Set<number>();
  private readonly written: string[] = [];
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;
  private readonly late = new Set<number>();
  private lateTimer: ReturnType<typeof setTimeout> | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly onFailure: (error: Error) => void,
  ) {}

  /** The DeviceHost `outbound` hook: runs `send` once everything changed before it is durable. */
  readonly outbound = (send: () => void): void => {
    if (this.failure) return;
    this.waiting.push(send);
    this.schedule();
  };

  /** Writes the base (all sets, as they are now) and follows the host's changes from here on. Throws if the base cannot be written. */
  start(host: DeviceHost, sets: DeviceHost['state']['sets']): void {
    this.host = host;
    this.store.writeBase(
      sets,
      (index) => host.setState(index),
      (index, text) => (this.written[index] = digest(text)),
    );
    host.on('change', (set, acknowledged) => {
      if (acknowledged) {
        this.late.add(set);
        // A wall-clock delay whatever the bench's clock: it is about the disk, not about device behaviour.
        this.lateTimer ??= setTimeout(() => {
          this.lateTimer = undefined;
          for (const late of this.late) this.dirty.add(late);
          this.late.clear();
          this.schedule();
        }, ACK_WRITE_DELAY_MS).unref();
        return;
      }
      this.dirty.add(set);
      this.late.delete(set); // written now, with the rest of its change
      this.schedule();
    });
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  /** Writes what changed now, late changes included, instead of at the end of the turn; returns false if a write failed. */
  flush(): boolean {
    for (const late of this.late) this.dirty.add(late);
    this.late.clear();
    return this.flushDirty();
  }

  private flushDirty(): boolean {
    this.scheduled = false;
    if (this.failure) return false;
    if (this.host) {
      try {
        for (const set of this.dirty) {
          const text = this.store.recordText(set, this.host.setState(set));
          const hash = digest(text);
          this.dirty.delete(set);
          if (hash === this.written[set]) continue;
          this.store.writeSet(set, text);
          this.written[set] = hash;
        }
      } catch (error) {
        this.failure = error as Error;
        this.waiting.length = 0;
        this.onFailure(this.failure);
        return false;
      }
    }
    for (const send of this.waiting.splice(0)) send();
    return true;
  }

  private schedule(): void {
    if (this.scheduled || this.failure) return;
    this.scheduled = true;
    queueMicrotask(() => this.flushDirty());
  }
}
