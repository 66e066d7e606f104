/**
 * One interface over every transport that carries the emulator's bytes: an in-process loopback, the mock serial
 * pair, a real serial port, TCP and a socat pty. Links carry raw bytes only; framing, acks and retries live above.
 *
 * Contract shared by every implementation (tests/links/byteLinkSuite.ts checks it per transport):
 * - `write()` never throws and never blocks. Bytes written while the link is not open are lost and reported as an
 *   'error' event with code ENOTCONN. A zero-length write is a no-op. The caller may reuse its buffer as soon as
 *   `write()` returns (links copy what they keep).
 * - Bytes arrive in the order written, but chunk boundaries are not preserved (a real line splits and merges).
 * - 'open' and 'close' strictly alternate, starting with 'open': 'close' is only emitted for a link that was open.
 * - `close()` is final and idempotent: no reconnects after it; it resolves once the transport is released.
 * - A 'data' array belongs to the receiver; listeners may keep it but must not modify it (all listeners share it).
 */
import { constants as osConstants } from 'node:os';

/** Why a link stopped being open. */
export interface CloseInfo {
  /**
   * `local`: this end's `close()`. `peer`: the other end closed in an orderly way (TCP FIN, loopback peer closed,
   * the mock device end closed). `lost`: nobody closed it (unplugged, reset, injected disconnect, replaced client).
   */
  kind: 'local' | 'peer' | 'lost';
  /** Human-readable, for logs: "unplugged", "replaced by 127.0.0.1:50123", … */
  detail: string;
  error?: ByteLinkError;
}

export interface ByteLinkEvents {
  data: (bytes: Uint8Array) => void;
  open: () => void;
  close: (info: CloseInfo) => void;
  error: (error: ByteLinkError) => void;
}

export type ByteLinkEvent = keyof ByteLinkEvents;

export interface ByteLink {
  readonly isOpen: boolean;
  write(bytes: Uint8Array): void;
  /** Subscribes; returns the function that unsubscribes. */
  on<E extends ByteLinkEvent>(event: E, listener: ByteLinkEvents[E]): () => void;
  close(): Promise<void>;
  /** Where the bytes go, in the form `parseLinkSpec` reads where one exists: `serial:/dev/ttyUSB0@115200`. */
  describe(): string;
}

/**
 * Every failure a link reports: what went wrong (`code`, an errno name such as ENOENT or ECONNREFUSED where the OS
 * gave one), where (`where`, the link's `describe()`) and the OS errno number when the code is an OS one.
 */
export class ByteLinkError extends Error {
  override readonly name = 'ByteLinkError';
  /** The positive OS errno for `code` (from `os.constants.errno`), whatever the source reported. */
  readonly errno: number | undefined;

  constructor(
    readonly where: string,
    readonly code: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${where}: ${message} (${code})`, options.cause === undefined ? undefined : { cause: options.cause });
    this.errno = (osConstants.errno as Record<string, number | undefined>)[code];
  }
}

/** The report for bytes written while a link is not open (they are lost, never queued for a later connection). */
export function notConnected(where: string, byteCount: number, why = 'link is not open'): ByteLinkError {
  return new ByteLinkError(where, 'ENOTCONN', `${byteCount} byte(s) written while ${why} were lost`);
}

type AnyListener = (...args: never[]) => void;

/**
 * The event plumbing every link shares. Not Node's EventEmitter: that throws when 'error' has no listener, and a
 * link must never throw at its user (an unobserved error is dropped; `write()` would otherwise throw by proxy).
 * Listener arrays are replaced, not mutated, on subscribe/unsubscribe, so an emit iterates without copying (the hot
 * path) and a listener may unsubscribe during an emit.
 */
export abstract class LinkBase implements ByteLink {
  readonly #listeners: Record<ByteLinkEvent, readonly AnyListener[]> = { data: [], open: [], close: [], error: [] };

  abstract readonly isOpen: boolean;
  abstract write(bytes: Uint8Array): void;
  abstract close(): Promise<void>;
  abstract describe(): string;

  on<E extends ByteLinkEvent>(event: E, listener: ByteLinkEvents[E]): () => void {
    this.#listeners[event] = [...this.#listeners[event], listener];
    return () => {
      this.#listeners[event] = this.#listeners[event].filter((l) => l !== listener);
    };
  }

  protected emit<E extends ByteLinkEvent>(event: E, ...args: Parameters<ByteLinkEvents[E]>): void {
    for (const listener of this.#listeners[event]) {
      (listener as (...a: Parameters<ByteLinkEvents[E]>) => void)(...args);
    }
  }
}
