/**
 * An in-process pair of links for large simulations: bytes written on one end arrive at the other with no stream,
 * no clock and no wire time.
 *
 * Delivery is on a microtask (a reaction to an already-resolved promise: the same queue as `queueMicrotask`, without
 * the AsyncResource and bound function Node's `queueMicrotask` makes per call), never synchronous inside `write()`:
 * - no re-entrancy: a device answering inside its 'data' handler does not run the harness's handler inside the
 *   device's `write()`, so a long request/response exchange does not nest on the stack;
 * - writes made while a delivery to the same end is already queued join it (a device's ack and response, written in
 *   one go, arrive in one microtask as two chunks): one microtask per burst, not per frame;
 * - microtasks run in FIFO order, so bytes keep their order, and 'close' (also a microtask) follows bytes already
 *   written, as a TCP FIN follows the data before it;
 * - a microtask is a promise job, so a virtual clock that drains promise jobs before advancing sees the pair idle.
 * Each write costs one copy of the written bytes (the caller may reuse its buffer), into a Buffer from Node's pool:
 * the reader's frame cutter takes a Buffer as it is, where a Uint8Array of its own (an on-heap one, under 64 bytes)
 * would have to be moved off the heap to be viewed as one. No per-byte work.
 */
import { LinkBase, notConnected } from './byteLink';

const settled = Promise.resolve();

export class LoopbackEnd extends LinkBase {
  #open = true;
  #peer!: LoopbackEnd;
  /** Chunks written to this end and not yet delivered; a delivery microtask is queued while it is not empty. */
  #inbox: Uint8Array[] = [];
  /** This end's delivery job, made once: a delivery per burst of writes must not cost a closure each. */
  readonly #deliverJob = (): void => this.#deliver();

  private constructor(readonly name: 'a' | 'b') {
    super();
  }

  /** Creates the two connected ends, both open. */
  static pair(): [LoopbackEnd, LoopbackEnd] {
    const a = new LoopbackEnd('a');
    const b = new LoopbackEnd('b');
    a.#peer = b;
    b.#peer = a;
    return [a, b];
  }

  get peer(): LoopbackEnd {
    return this.#peer;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  describe(): string {
    return `loopback:${this.name}`;
  }

  write(bytes: Uint8Array): void {
    if (!this.#open) {
      this.emit('error', notConnected(this.describe(), bytes.length));
      return;
    }
    if (bytes.length === 0) return;
    const copy = Buffer.allocUnsafe(bytes.length); // not bytes.slice(): on a Buffer that is a view, not a copy
    copy.set(bytes);
    const peer = this.#peer;
    if (peer.#inbox.push(copy) === 1) void settled.then(peer.#deliverJob);
  }

  #deliver(): void {
    const chunks = this.#inbox;
    this.#inbox = [];
    try {
      for (const chunk of chunks) {
        // This end may have closed since (or inside a handler): a real line would drop these too.
        if (this.#open) this.emit('data', chunk);
      }
    } catch (error) {
      // A throwing listener is an uncaught exception, as it was from queueMicrotask, not a rejected promise.
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  close(): Promise<void> {
    if (!this.#open) return Promise.resolve();
    // Stop this end's writes now; the peer stays open until the bytes already queued for it have arrived.
    this.#open = false;
    const peer = this.#peer;
    return new Promise((resolve) => {
      queueMicrotask(() => {
        if (peer.#open) {
          peer.#open = false;
          peer.emit('close', { kind: 'peer', detail: `loopback:${this.name} closed` });
        }
        this.emit('close', { kind: 'local', detail: 'closed' });
        resolve();
      });
    });
  }
}
