/**
 * The harness's end of the mock serial line, as a `@serialport/bindings-interface` port: what a real
 * `SerialPortStream` talks to when it is given `MockSerialPair.binding`. It behaves as the Linux binding does where
 * the stream can tell: reads wait for at least one byte, a read in progress fails with `canceled` when the port is
 * closed, and a cut line fails reads and writes with a non-canceled error, which the stream turns into a 'close'
 * carrying a DisconnectedError, as it does when a USB adapter is unplugged.
 */
import type { BindingPortInterface, OpenOptions, PortStatus, UpdateOptions } from './serialportTypes';

/**
 * Errors in the shape the stream inspects: `canceled` for a close in progress, `code` for what went wrong. The
 * message leads with the code as Node's fs errors do ("ENXIO: …"), because the stream re-wraps a read error that
 * disconnects it into a DisconnectedError carrying the message only.
 */
export class MockPortError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly canceled = false,
  ) {
    super(`${code}: ${message}`);
  }
}

/** What the port needs from its line (implemented by MockSerialPair). */
export interface HostLine {
  readonly baudRate: number;
  transmit(bytes: Uint8Array): void;
  whenTransmitted(): Promise<void>;
  discardOutput(): void;
  hostClosed(port: MockHostPort): void;
}

interface PendingRead {
  buffer: Buffer;
  offset: number;
  length: number;
  resolve: (result: { buffer: Buffer; bytesRead: number }) => void;
  reject: (error: Error) => void;
}

export class MockHostPort implements BindingPortInterface {
  #open = true;
  /** Set when the line is cut under the open port: every later read and write fails with it. */
  #fault: MockPortError | null = null;
  /** Received chunks not yet read; `#rxOffset` is how much of the first one has been read. */
  #rx: Uint8Array[] = [];
  #rxOffset = 0;
  #pendingRead: PendingRead | null = null;

  constructor(
    readonly openOptions: Required<OpenOptions>,
    private readonly line: HostLine,
  ) {}

  get isOpen(): boolean {
    return this.#open;
  }

  /** A chunk arrived from the device; false if the port could not take it (closed, or the line cut). */
  receive(chunk: Uint8Array): boolean {
    if (!this.#open || this.#fault) return false;
    this.#rx.push(chunk);
    const pending = this.#pendingRead;
    if (pending) {
      this.#pendingRead = null;
      pending.resolve({
        buffer: pending.buffer,
        bytesRead: this.#take(pending.buffer, pending.offset, pending.length),
      });
    }
    return true;
  }

  /** The line was cut: the stream learns it from the read it always has outstanding, as with a real unplug. */
  lose(error: MockPortError): void {
    if (!this.#open || this.#fault) return;
    this.#fault = error;
    this.#rx = [];
    this.#rxOffset = 0;
    const pending = this.#pendingRead;
    this.#pendingRead = null;
    pending?.reject(error);
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (!Buffer.isBuffer(buffer)) throw new TypeError('"buffer" is not a Buffer');
    if (!Number.isInteger(offset) || !Number.isInteger(length) || length < 1 || buffer.length < offset + length) {
      throw new RangeError(`read of ${length} byte(s) at ${offset} does not fit a ${buffer.length}-byte buffer`);
    }
    this.#checkUsable();
    if (this.#pendingRead) throw new Error('overlapping reads are not supported (the stream never issues them)');
    if (this.#rx.length > 0) return { buffer, bytesRead: this.#take(buffer, offset, length) };
    return new Promise((resolve, reject) => {
      this.#pendingRead = { buffer, offset, length, resolve, reject };
    });
  }

  async write(buffer: Buffer): Promise<void> {
    if (!Buffer.isBuffer(buffer)) throw new TypeError('"buffer" is not a Buffer');
    this.#checkUsable();
    // Resolves once handed to the line, as a real write resolves once the kernel has the bytes.
    if (buffer.length > 0) this.line.transmit(new Uint8Array(buffer));
  }

  async close(): Promise<void> {
    if (!this.#open) throw new MockPortError('EBADF', 'Port is not open');
    this.#open = false;
    this.#rx = [];
    this.#rxOffset = 0;
    const pending = this.#pendingRead;
    this.#pendingRead = null;
    pending?.reject(new MockPortError('ECANCELED', 'port is closed', true));
    this.line.hostClosed(this);
  }

  async update(options: UpdateOptions): Promise<void> {
    this.#checkUsable();
    if (options.baudRate !== this.line.baudRate) {
      throw new MockPortError(
        'EINVAL',
        `the mock line runs at ${this.line.baudRate} baud; the device would not understand ${options.baudRate}`,
      );
    }
  }

  async set(): Promise<void> {
    this.#checkUsable();
  }

  async get(): Promise<PortStatus> {
    this.#checkUsable();
    // A device is present and powered on the other end while the line is connected.
    return { cts: true, dsr: true, dcd: true };
  }

  async getBaudRate(): Promise<{ baudRate: number }> {
    this.#checkUsable();
    return { baudRate: this.line.baudRate };
  }

  async flush(): Promise<void> {
    this.#checkUsable();
    this.#rx = [];
    this.#rxOffset = 0;
    this.line.discardOutput();
  }

  async drain(): Promise<void> {
    this.#checkUsable();
    await this.line.whenTransmitted();
  }

  #checkUsable(): void {
    if (!this.#open) throw new MockPortError('EBADF', 'Port is not open', true);
    if (this.#fault) throw this.#fault;
  }

  /** Copies up to `length` received bytes into `buffer`; only called with at least one chunk waiting. */
  #take(buffer: Buffer, offset: number, length: number): number {
    let copied = 0;
    while (copied < length && this.#rx.length > 0) {
      const chunk = this.#rx[0]!;
      const n = Math.min(length - copied, chunk.length - this.#rxOffset);
      buffer.set(chunk.subarray(this.#rxOffset, this.#rxOffset + n), offset + copied);
      copied += n;
      this.#rxOffset += n;
      if (this.#rxOffset === chunk.length) {
        this.#rx.shift();
        this.#rxOffset = 0;
      }
    }
    return copied;
  }
}
