/**
 * A mock serial line with a device side, which `@serialport/binding-mock` lacks (it records host writes but never
 * answers: node-serialport issues #2734, #2558).
 *
 * - The HARNESS end is a real `SerialPortStream` (or a `SerialLink`) opened on `pair.path` with `pair.binding`,
 *   a `@serialport/bindings-interface` binding, so the harness runs the same stream code as on a real port.
 * - The EMULATOR end is the pair object itself, a ByteLink: `pair.write()` sends to the host, `pair.on('data')`
 *   receives what the host wrote. It is open while the line is connected, whether or not the host has the port
 *   open; bytes sent to a host that has not opened the port are lost on arrival, as on a real line.
 *
 * The line's knobs (`LineConditions`: wire time from the baud rate on the injected clock, chunk splitting, byte
 * corruption, whole-write drops) change at runtime with `configure()`; all randomness comes from `seed`.
 * `disconnect()` cuts the line: the emulator end emits 'close' (lost), the host's stream emits 'close' with a
 * DisconnectedError as for an unplugged adapter, and bytes in flight or written meanwhile are lost (counted in
 * `stats`, and reported as ENOTCONN errors on the emulator end). `reconnect()` restores it: the emulator end emits
 * 'open' and the host may open the port again (SerialLink does so by itself, with backoff).
 * Closing the host's port is invisible to the device, as on a real line without modem-control wiring; closing the
 * emulator end ends the line for good (the host sees an unplug and cannot open it again).
 */
import type { BindingInterface, OpenOptions, PortInfo } from './serialportTypes';
import type { EmulatorClock } from '../clock/clock';
import { LinkBase, notConnected } from './byteLink';
import { MockHostPort, MockPortError, type HostLine } from './mockHostPort';
import { MockWire, checkLineConditions, defaultLineConditions, type LineConditions, type WireStats } from './mockWire';

export type { LineConditions, WireStats } from './mockWire';

export interface MockSerialPairOptions extends Partial<LineConditions> {
  clock: EmulatorClock;
  /** Seeds every fault decision; the same seed and the same writes give the same faults. Default 1. */
  seed?: number;
  /** The path the host opens. Default `/dev/mock-smets1-N`, unique per pair in this process. */
  path?: string;
}

let pairCount = 0;

export class MockSerialPair extends LinkBase {
  readonly path: string;
  /** Give this to `SerialPortStream` / `SerialLink` as `binding`; it opens `path` only. */
  readonly binding: BindingInterface<MockHostPort>;
  #conditions: LineConditions;
  #connected = true;
  #closed = false;
  #host: MockHostPort | null = null;
  readonly #toDevice: MockWire;
  readonly #toHost: MockWire;

  constructor(options: MockSerialPairOptions) {
    super();
    const { clock, seed = 1, path = `/dev/mock-smets1-${++pairCount}`, ...knobs } = options;
    checkLineConditions(knobs);
    this.path = path;
    this.#conditions = { ...defaultLineConditions, ...definedOnly(knobs) };
    const conditions = (): Readonly<LineConditions> => this.#conditions;
    this.#toDevice = new MockWire(clock, conditions, seed, 0, (chunk) => {
      if (!this.isOpen) return false;
      this.emit('data', chunk);
      return true;
    });
    this.#toHost = new MockWire(clock, conditions, seed, 1, (chunk) => this.#host?.receive(chunk) ?? false);
    this.binding = {
      list: async (): Promise<PortInfo[]> => [
        {
          path: this.path,
          manufacturer: 'smets1-emulator mock line',
          serialNumber: undefined,
          pnpId: undefined,
          locationId: undefined,
          productId: undefined,
          vendorId: undefined,
        },
      ],
      open: async (openOptions: OpenOptions) => this.#openHost(openOptions),
    };
  }

  // ---- the emulator end (ByteLink) ----

  /** Open while the line is connected and this end has not been closed. */
  get isOpen(): boolean {
    return this.#connected && !this.#closed;
  }

  describe(): string {
    return `mock:${this.path}@${this.#conditions.baudRate}`;
  }

  write(bytes: Uint8Array): void {
    if (!this.isOpen) {
      this.#toHost.stats.bytesLost += bytes.length;
      this.emit('error', notConnected(this.describe(), bytes.length, this.#closed ? 'closed' : 'disconnected'));
      return;
    }
    // Not bytes.slice(): on a Buffer that is a view, and corruption would then edit the sender's own frame.
    if (bytes.length > 0) this.#toHost.send(new Uint8Array(bytes));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    const wasOpen = this.isOpen;
    this.#closed = true;
    this.#cut('the mock device end closed');
    if (wasOpen) this.emit('close', { kind: 'local', detail: 'closed' });
  }

  // ---- the line ----

  get conditions(): Readonly<LineConditions> {
    return { ...this.#conditions };
  }

  /** Changes knobs at runtime; applies to bytes written from now on (bytes in flight keep their fate). */
  configure(changes: Partial<LineConditions>): void {
    checkLineConditions(changes);
    this.#conditions = { ...this.#conditions, ...definedOnly(changes) };
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Whether the harness has the port open (for diagnostics; the device cannot tell). */
  get hostOpen(): boolean {
    return this.#host !== null;
  }

  get stats(): { hostToDevice: Readonly<WireStats>; deviceToHost: Readonly<WireStats> } {
    return { hostToDevice: { ...this.#toDevice.stats }, deviceToHost: { ...this.#toHost.stats } };
  }

  /** Cuts the line, as pulling the cable would. */
  disconnect(detail = 'mock line disconnected'): void {
    if (!this.#connected || this.#closed) return;
    this.#connected = false;
    this.#cut(detail);
    this.emit('close', { kind: 'lost', detail });
  }

  /** Restores the line; the host must open the port again. */
  reconnect(): void {
    if (this.#connected || this.#closed) return;
    this.#connected = true;
    this.emit('open');
  }

  #cut(detail: string): void {
    this.#toDevice.clear();
    this.#toHost.clear();
    // ENXIO, "no such device or address": what a read on an unplugged USB adapter's tty fails with.
    this.#host?.lose(new MockPortError('ENXIO', `${detail}: ${this.path}`));
  }

  #openHost(options: OpenOptions): MockHostPort {
    if (!options || typeof options.path !== 'string' || typeof options.baudRate !== 'number') {
      throw new TypeError('open options need a path and a baudRate');
    }
    if (options.path !== this.path) {
      throw new MockPortError(
        'ENOENT',
        `No such file or directory, cannot open ${options.path} (this mock line is ${this.path})`,
      );
    }
    if (this.#closed) throw new MockPortError('ENOENT', `the mock device end of ${this.path} is closed`);
    if (!this.#connected) throw new MockPortError('ENXIO', `${this.path} is disconnected`);
    if (this.#host) throw new MockPortError('EBUSY', `${this.path} is already open (Cannot lock port)`);
    if (options.baudRate !== this.#conditions.baudRate) {
      // A device at another rate would see garbage: fail loudly rather than model framing errors.
      throw new MockPortError(
        'EINVAL',
        `the mock line runs at ${this.#conditions.baudRate} baud, not ${options.baudRate}`,
      );
    }
    const openOptions: Required<OpenOptions> = {
      dataBits: 8,
      lock: true,
      stopBits: 1,
      parity: 'none',
      rtscts: false,
      xon: false,
      xoff: false,
      xany: false,
      hupcl: true,
      ...options,
    };
    const conditions = (): Readonly<LineConditions> => this.#conditions;
    const line: HostLine = {
      get baudRate() {
        return conditions().baudRate;
      },
      transmit: (bytes) => this.#toDevice.send(bytes),
      whenTransmitted: () => this.#toDevice.whenIdle(),
      discardOutput: () => this.#toDevice.clear(),
      hostClosed: (port) => {
        if (this.#host === port) this.#host = null;
      },
    };
    this.#host = new MockHostPort(openOptions, line);
    return this.#host;
  }
}

/** `{ ...a, ...b }` would let an explicit `undefined` in b erase a default. */
function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
