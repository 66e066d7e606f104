/**
 * An in-process pair of links for large simulations: bytes written on one end arrive at the other with no stream,
 * no clock and no wire time.
 *
 * Delivery is on a microtask (`queueMicrotask`), never synchronous inside `write()`:
 * - no re-entrancy: a device answering inside its 'data' handler does not run the harness's handler inside the
 *   device's `write()`, so a long request/response exchange does not nest on the stack;
 * - writes made while a delivery to the same end is already queued join it (a device's ack and response, written in
 *   one go, arrive in one microtask as two chunks): one microtask per burst, not per frame;
 * - microtasks run in FIFO order, so bytes keep their order, and 'close' (also a microtask) follows bytes already
 *   written, as a TCP FIN follows the data before it;
 * - a microtask is a promise job, so a virtual clock that drains promise jobs before advancing sees the pair idle.
 * Each write costs one copy of the written bytes (the caller may reuse its buffer); no per-byte work.
 */
import { LinkBase, notConnected } from './byteLink';

export class LoopbackEnd extends LinkBase {
  #open = true;
  #peer!: LoopbackEnd;
  /** Chunks written to this end and not yet delivered; a delivery microtask is queued while it is not empty. */
  #inbox: Uint8Array[] = [];

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
    const copy = new Uint8Array(bytes); // not bytes.slice(): on a Buffer that is a view, not a copy
    const peer = this.#peer;
    if (peer.#inbox.push(copy) === 1) queueMicrotask(() => peer.#deliver());
  }

  #deliver(): void {
    const chunks = this.#inbox;
    this.#inbox = [];
    for (const chunk of chunks) {
      // This end may have closed since (or inside a handler): a real line would drop these too.
      if (this.#open) this.emit('data', chunk);
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
