/**
 * A serial port as a ByteLink, through `@serialport/stream` (the stream `serialport` is built on). The binding
 * defaults to serialport's native one (nativeBinding.ts: with hang-up detection fixed); tests pass
 * `MockSerialPair.binding` to run the same code on the mock line.
 *
 * - `open()` makes one attempt and rejects with a ByteLinkError whose message says what to check (ENOENT: wrong
 *   path or adapter not plugged in; EACCES: dialout group; EBUSY: another program has it). With `lockWaitMs` a
 *   port another program holds is tried again until that long has passed: a lock is often held for a moment only
 *   (ModemManager or udev probing an adapter, a program's close still in the kernel), and a harness that runs
 *   scenario after scenario unattended should not turn that moment into a scenario's error.
 * - A port that goes away while open (unplugged: the stream's pending read fails) emits 'close' with kind 'lost'
 *   and the reason; with `reconnect` (on by default) the link then reopens the same path with backoff on the
 *   clock, emitting 'error' for each failed try and 'open' when it is back.
 * - Every connection gets a fresh stream: SerialPortStream queues writes made while closed and sends them after
 *   a reopen, but bytes written to an unplugged port are gone on a real line, so here they are reported (ENOTCONN)
 *   and dropped, never replayed to a device that has since restarted.
 * - `write()` ignores back-pressure (the stream buffers); `close()` does not wait for unsent bytes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SerialPortStream } from '@serialport/stream';
import type { EmulatorClock } from '../clock/clock';
import { ByteLinkError, LinkBase, notConnected } from './byteLink';
import { nativeBinding } from './nativeBinding';
import { Reconnector, type ReconnectOptions } from './reconnector';
import { serialSettingsText, type SerialSettings } from './linkSpec';
import { serialError } from './serialErrors';
import type { BindingInterface } from './serialportTypes';

export interface SerialLinkOptions {
  path: string;
  /** Default 115200. */
  baudRate?: number;
  /** Frame and flow control (linkSpec.ts); default serialport's: 8N1, no flow control. */
  settings?: SerialSettings;
  clock: EmulatorClock;
  /** Reopen after the port is lost; false to stay closed. Default on, with `defaultReconnect` timings. */
  reconnect?: ReconnectOptions | false;
  /** Default: serialport's native binding (see nativeBinding.ts), loaded on first open. */
  binding?: BindingInterface;
  /**
   * How long `open()` keeps trying a port another program holds (EBUSY), in real milliseconds: the lock is the OS's,
   * so the wait is the wall's whatever the link's clock. Default 0: one attempt.
   */
  lockWaitMs?: number;
}

/** Between tries at a locked port: short against a probe's hold, long enough not to spin. */
const LOCK_RETRY_MS = 25;

export class SerialLink extends LinkBase {
  readonly path: string;
  readonly baudRate: number;
  readonly settings: SerialSettings | undefined;
  readonly #binding: BindingInterface | undefined;
  readonly #lockWaitMs: number;
  readonly #reconnector: Reconnector | null;
  /** The stream of the current connection; null while not open. */
  #stream: SerialPortStream | null = null;
  /** The open attempt in progress, shared by concurrent callers. */
  #opening: Promise<void> | null = null;
  #closed = false;

  constructor(options: SerialLinkOptions) {
    super();
    const { path, baudRate = 115_200, settings, clock, reconnect = {}, binding, lockWaitMs = 0 } = options;
    if (!path) throw new TypeError('SerialLink needs a path');
    if (!(Number.isInteger(baudRate) && baudRate > 0))
      throw new RangeError(`baud rate must be a positive integer, got ${baudRate}`);
    if (!(Number.isFinite(lockWaitMs) && lockWaitMs >= 0))
      throw new RangeError(`lockWaitMs must be 0 or more, got ${lockWaitMs}`);
    this.#lockWaitMs = lockWaitMs;
    this.path = path;
    this.baudRate = baudRate;
    this.settings = settings;
    this.#binding = binding;
    this.#reconnector =
      reconnect === false
        ? null
        : new Reconnector(
            clock,
            reconnect,
            () => this.#connect(),
            (error, nextDelayMs) => {
              const e = serialError(this.describe(), error, `reopen (next try in ${nextDelayMs} ms)`);
              this.emit('error', e);
            },
          );
  }

  get isOpen(): boolean {
    return this.#stream !== null;
  }

  describe(): string {
    return `serial:${this.path}@${this.baudRate}${this.settings === undefined ? '' : `,${serialSettingsText(this.settings)}`}`;
  }

  /**
   * Opens the port: one attempt, or tries until `lockWaitMs` has passed while another program holds it; rejects with
   * a ByteLinkError saying what to check.
   */
  async open(): Promise<void> {
    if (this.#closed) throw new ByteLinkError(this.describe(), 'EBADF', 'open after close');
    const started = performance.now();
    for (;;) {
      try {
        await this.#connect();
        return;
      } catch (error) {
        const waited = performance.now() - started;
        const failed = serialError(this.describe(), error, 'open');
        if (failed.code !== 'EBUSY' || this.#lockWaitMs === 0) throw failed;
        if (waited >= this.#lockWaitMs)
          throw serialError(this.describe(), error, `open, tried for ${Math.round(waited)} ms,`);
        await sleep(LOCK_RETRY_MS);
      }
    }
  }

  write(bytes: Uint8Array): void {
    const stream = this.#stream;
    if (!stream) {
      this.emit('error', notConnected(this.describe(), bytes.length));
      return;
    }
    // Copied: the stream keeps the buffer until the binding has written it, and the caller may reuse its own.
    if (bytes.length > 0) stream.write(Buffer.from(bytes));
  }

  /**
   * Closes the port; resolves once it is given back (its lock released), so whoever opens it next finds it free: an
   * open in progress is waited for (it takes the port before it can see the close, then gives it back), and so is a
   * port that is closing itself as it is lost.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#reconnector?.stop();
    await this.#opening?.catch(() => {});
    const stream = this.#stream;
    if (!stream) return;
    this.#stream = null;
    await new Promise<void>((resolve) => {
      if (stream.isOpen) stream.close(() => resolve());
      // lost at this very moment: the stream is closing the port itself, and says so when it has ('close'), or
      // that its close failed ('error', and no 'close' ever): a close that can never finish must not hang this one
      else if (stream.closing) {
        stream.once('close', () => resolve());
        stream.once('error', () => resolve());
      } else resolve();
    });
    this.emit('close', { kind: 'local', detail: 'closed' });
  }

  /** Opens unless open (a reconnect timer may fire after an explicit open); joins an attempt in progress. */
  #connect(): Promise<void> {
    if (this.#stream) return Promise.resolve();
    // open()'s next try at a locked port, after a close() that did not wait for it: the port stays untouched
    if (this.#closed) return Promise.reject(this.#closedWhileOpening());
    this.#opening ??= this.#attempt().finally(() => {
      this.#opening = null;
    });
    return this.#opening;
  }

  async #attempt(): Promise<void> {
    const binding = this.#binding ?? (await nativeBinding());
    const line = this.settings;
    const frame =
      line === undefined
        ? {}
        : {
            dataBits: line.dataBits,
            parity: line.parity,
            stopBits: line.stopBits,
            rtscts: line.rtscts,
            xon: line.xonxoff,
            xoff: line.xonxoff,
          };
    const stream = new SerialPortStream({
      binding,
      path: this.path,
      baudRate: this.baudRate,
      ...frame,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => stream.open((err) => (err ? reject(err) : resolve())));
    if (this.#closed) {
      // close() ran while the port was opening, and waits for this: give the port back before it resolves.
      await new Promise<void>((resolve) => stream.close(() => resolve()));
      throw this.#closedWhileOpening();
    }
    this.#adopt(stream);
  }

  #closedWhileOpening(): ByteLinkError {
    return new ByteLinkError(this.describe(), 'ECANCELED', 'closed while opening');
  }

  #adopt(stream: SerialPortStream): void {
    const where = this.describe();
    stream.on('data', (chunk: Buffer) => {
      if (this.#stream === stream) this.emit('data', chunk);
    });
    // Errors from a stream already given up (a write cancelled by the close) say nothing new; drop them.
    stream.on('error', (error: Error) => {
      if (this.#stream === stream) this.emit('error', serialError(where, error, 'i/o'));
    });
    // A stream emits 'close' twice when a write fails on an unplugged port (its own, then the Duplex's destroy):
    // only the first, while it is the current stream, counts.
    stream.on('close', (disconnected?: Error | null) => {
      if (this.#stream !== stream) return;
      this.#stream = null;
      const error = disconnected ? serialError(where, disconnected, 'i/o') : undefined;
      this.emit('close', { kind: 'lost', detail: error?.message ?? 'port closed', ...(error ? { error } : {}) });
      this.#reconnector?.start();
    });
    this.#stream = stream;
    this.emit('open');
  }
}
