/**
 * One direction of the mock serial line: takes whole writes, applies the line's faults and hands the resulting
 * chunks to a sink at the time their last bit would arrive, on the injected clock, first in first out.
 *
 * Determinism: every random decision comes from the project's seeded generator (common/random.ts), one
 * stream of the pair's seed per knob and direction, so the same seed and the same writes give the same chunks, bits
 * and drops, and changing one knob does not reshuffle the others' draws. Timing never depends on the random faults: a dropped write still occupies the
 * wire (it was transmitted and lost on the way), so a drop changes what arrives, never when later bytes arrive.
 */
import type { EmulatorClock, TimerId } from '../clock/clock';
import { Random, streamSeed } from '../../common/random';

/** The knobs of the mock line; all changeable at runtime through `MockSerialPair.configure()`. */
export interface LineConditions {
  /** The line rate for wire time: a byte takes 10 bit times (start, 8 data, stop). */
  baudRate: number;
  /** false: deliver on the next microtask regardless of the baud rate (for simulations that do not care). */
  wireTime: boolean;
  /** Each write is cut into chunks of 1..maxChunkBytes bytes (uniform); Infinity keeps writes whole. */
  maxChunkBytes: number;
  /** Probability, per byte, of flipping a random non-empty set of its bits. */
  corruptByteRate: number;
  /**
   * Probability, per write, of flipping bits in one random byte of it: a damaged frame rather than a noisy line,
   * so a given rate means the same for a 28-byte ack and a 284-byte segment.
   */
  corruptWriteRate: number;
  /** Probability, per write, of losing the whole write. */
  dropWriteRate: number;
}

export const defaultLineConditions: Readonly<LineConditions> = {
  baudRate: 115_200,
  wireTime: true,
  maxChunkBytes: Infinity,
  corruptByteRate: 0,
  corruptWriteRate: 0,
  dropWriteRate: 0,
};

/** Rejects impossible knob values up front, naming the knob (these are programming errors, so they throw). */
export function checkLineConditions(changes: Partial<LineConditions>): void {
  const { baudRate, maxChunkBytes, corruptByteRate, corruptWriteRate, dropWriteRate } = changes;
  if (baudRate !== undefined && !(Number.isInteger(baudRate) && baudRate > 0)) {
    throw new RangeError(`baudRate must be a positive integer, got ${baudRate}`);
  }
  if (
    maxChunkBytes !== undefined &&
    !(maxChunkBytes === Infinity || (Number.isInteger(maxChunkBytes) && maxChunkBytes > 0))
  ) {
    throw new RangeError(`maxChunkBytes must be a positive integer or Infinity, got ${maxChunkBytes}`);
  }
  for (const [name, rate] of [
    ['corruptByteRate', corruptByteRate],
    ['corruptWriteRate', corruptWriteRate],
    ['dropWriteRate', dropWriteRate],
  ] as const) {
    if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${rate}`);
  }
}

export interface WireStats {
  writes: number;
  bytesWritten: number;
  droppedWrites: number;
  corruptedBytes: number;
  /** Writes damaged by corruptWriteRate. */
  corruptedWrites: number;
  chunksDelivered: number;
  bytesDelivered: number;
  /**
   * Bytes lost: written while the line was disconnected, dropped, in flight when it was cut or flushed, or
   * arriving at an end that was not listening (a host that has not opened the port).
   */
  bytesLost: number;
}

interface InFlight {
  bytes: Uint8Array;
  due: number;
}

/** Random stream numbers; a direction adds its offset so the two directions draw independently. */
const DROP = 0;
const SPLIT = 1;
const CORRUPT = 2;

/** The knobs that lose and damage writes: the mock line's, and a far end's own (emulator/host/deviceLineFaults.ts). */
export type FaultRates = Pick<LineConditions, 'dropWriteRate' | 'corruptWriteRate' | 'corruptByteRate'>;

export const noFaults: Readonly<FaultRates> = { dropWriteRate: 0, corruptWriteRate: 0, corruptByteRate: 0 };

/**
 * The loss and damage draws of one direction of a line, from its seed: the mock line's wire and a far end's device
 * line draw the same way, so the same seed and the same writes lose and damage the same bytes.
 */
export class WriteFaults {
  readonly #drop: Random;
  readonly #corrupt: Random;

  constructor(seed: number, direction: 0 | 1) {
    this.#drop = new Random(streamSeed(seed, direction * 3 + DROP));
    this.#corrupt = new Random(streamSeed(seed, direction * 3 + CORRUPT));
  }

  /** Whether the whole write is lost; if not, one byte of it damaged at `corruptWriteRate` (in place). */
  lost(
    bytes: Uint8Array,
    rates: Readonly<FaultRates>,
    stats: Pick<WireStats, 'droppedWrites' | 'corruptedWrites' | 'bytesLost'>,
  ): boolean {
    const dropped = rates.dropWriteRate > 0 && this.#drop.next() < rates.dropWriteRate;
    if (!dropped && rates.corruptWriteRate > 0 && bytes.length > 0 && this.#corrupt.next() < rates.corruptWriteRate) {
      bytes[this.#corrupt.int(0, bytes.length - 1)] ^= this.#corrupt.int(1, 255); // a non-zero mask: it changes
      stats.corruptedWrites++;
    }
    if (dropped) {
      stats.droppedWrites++;
      stats.bytesLost += bytes.length;
    }
    return dropped;
  }

  /** Each byte damaged at `rate` (in place). */
  corruptBytes(chunk: Uint8Array, rate: number, stats: Pick<WireStats, 'corruptedBytes'>): void {
    if (rate <= 0) return;
    for (let i = 0; i < chunk.length; i++) {
      if (this.#corrupt.next() < rate) {
        chunk[i] ^= this.#corrupt.int(1, 255); // a non-zero mask: a corrupted byte always changes
        stats.corruptedBytes++;
      }
    }
  }
}

export class MockWire {
  readonly stats: WireStats = {
    writes: 0,
    bytesWritten: 0,
    droppedWrites: 0,
    corruptedBytes: 0,
    corruptedWrites: 0,
    chunksDelivered: 0,
    bytesDelivered: 0,
    bytesLost: 0,
  };
  readonly #faults: WriteFaults;
  readonly #split: Random;
  #queue: (InFlight | undefined)[] = [];
  #head = 0;
  #timer: TimerId | null = null;
  #microtaskQueued = false;
  #idleWaiters: (() => void)[] = [];
  // Busy-until bookkeeping in whole bits since an origin, so that wire time is exact and never drifts:
  // the line is busy until origin + bits × 1000 / baud ms. The origin restarts whenever the line goes idle.
  #origin = 0;
  #bits = 0;
  #baud = 0;
  #lastDue = -Infinity;

  constructor(
    private readonly clock: EmulatorClock,
    private readonly conditions: () => Readonly<LineConditions>,
    seed: number,
    direction: 0 | 1,
    /** Takes a chunk that has arrived; returns false if nobody was there to receive it (then it is lost). */
    private readonly sink: (chunk: Uint8Array) => boolean,
  ) {
    this.#faults = new WriteFaults(seed, direction);
    this.#split = new Random(streamSeed(seed, direction * 3 + SPLIT));
  }

  /** Bytes on the wire, not yet delivered. */
  get inFlight(): number {
    return this.#queue.length - this.#head;
  }

  /** Transmits one write. `bytes` must be a private copy: chunks are views of it and corruption edits it. */
  send(bytes: Uint8Array): void {
    const c = this.conditions();
    this.stats.writes++;
    this.stats.bytesWritten += bytes.length;
    const dropped = this.#faults.lost(bytes, c, this.stats);
    for (let offset = 0; offset < bytes.length;) {
      const rest = bytes.length - offset;
      const size = c.maxChunkBytes >= rest ? rest : Math.min(rest, this.#split.int(1, c.maxChunkBytes));
      const due = this.#arrival(size, c);
      if (!dropped) {
        const chunk = bytes.subarray(offset, offset + size);
        this.#faults.corruptBytes(chunk, c.corruptByteRate, this.stats);
        this.#queue.push({ bytes: chunk, due });
      }
      offset += size;
    }
    this.#schedule();
  }

  /** Loses everything in flight (disconnect, flush). The wire's timing is kept: the bits were on the line. */
  clear(): void {
    for (let i = this.#head; i < this.#queue.length; i++) this.stats.bytesLost += this.#queue[i]!.bytes.length;
    this.#queue = [];
    this.#head = 0;
    if (this.#timer !== null) {
      this.clock.clearTimeout(this.#timer);
      this.#timer = null;
    }
    this.#settleIdle();
  }

  /** Resolves once nothing is in flight (a host's `drain()`). */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** When the last bit of `size` more bytes arrives: ms on the clock, rounded up to a whole millisecond. */
  #arrival(size: number, c: Readonly<LineConditions>): number {
    const now = this.clock.now();
    if (!c.wireTime) return (this.#lastDue = Math.max(now, this.#lastDue));
    if (c.baudRate !== this.#baud) {
      // Rate changed mid-stream: bits already sent keep their old timing; restart the count from where they end.
      if (this.#baud > 0) this.#origin += Math.ceil((this.#bits * 1000) / this.#baud);
      this.#bits = 0;
      this.#baud = c.baudRate;
    }
    // Idle line (busy-until ≤ now, compared in integers): the new bytes start now.
    if (this.#bits * 1000 <= (now - this.#origin) * this.#baud) {
      this.#origin = now;
      this.#bits = 0;
    }
    this.#bits += size * 10;
    // Rounded up because a timer must not fire before the last bit is in; the fraction is kept in #bits, so
    // back-to-back writes never accumulate rounding.
    const due = this.#origin + Math.ceil((this.#bits * 1000) / this.#baud);
    return (this.#lastDue = Math.max(due, this.#lastDue));
  }

  #schedule(): void {
    if (this.#timer !== null || this.#microtaskQueued || this.inFlight === 0) return;
    const wait = this.#queue[this.#head]!.due - this.clock.now();
    if (wait > 0) {
      this.#timer = this.clock.setTimeout(this.#onTimer, wait);
    } else {
      this.#microtaskQueued = true;
      queueMicrotask(this.#onMicrotask);
    }
  }

  readonly #onTimer = (): void => {
    this.#timer = null;
    this.#deliverDue();
  };

  readonly #onMicrotask = (): void => {
    this.#microtaskQueued = false;
    this.#deliverDue();
  };

  #deliverDue(): void {
    const now = this.clock.now();
    // Re-read the fields each turn: a sink may write, flush or disconnect while we deliver.
    while (this.#head < this.#queue.length && this.#queue[this.#head]!.due <= now) {
      const { bytes } = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined;
      if (this.sink(bytes)) {
        this.stats.chunksDelivered++;
        this.stats.bytesDelivered += bytes.length;
      } else {
        this.stats.bytesLost += bytes.length;
      }
    }
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    if (this.inFlight === 0) this.#settleIdle();
    else this.#schedule();
  }

  #settleIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
