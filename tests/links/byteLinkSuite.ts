/**
 * The byte-level contract of a ByteLink (emulator/links/byteLink.ts), written once and run per transport, as
 * MQTT.js runs one abstract suite per transport. Each transport test file supplies a `Transport`: how to make two
 * connected ends and how to wait for bytes on it (advance a virtual clock, or await real I/O events).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ByteLink, ByteLinkError, CloseInfo } from '../../emulator/links/byteLink';
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
import type { VirtualClock } from '../../emulator/clock/virtualClock';

export interface Pair {
  a: ByteLink;
  b: ByteLink;
  /** Releases everything the pair holds (both ends, socat, servers), whatever state the test left it in. */
  dispose(): Promise<void>;
}

export interface Transport {
  name: string;
  /** Two connected ends, both open. */
  connect(): Promise<Pair>;
  /** Waits until `done()` holds, driving whatever moves bytes; fails naming `what` if it cannot happen. */
  until(done: () => boolean, what: string, links: ByteLink[]): Promise<void>;
  /** How the other end learns of a `close()`: a kind, or null where it cannot tell (serial without modem lines). */
  peerSeesClose: { whenAcloses: CloseInfo['kind'] | null; whenBcloses: CloseInfo['kind'] | null };
  /** What `describe()` of each end looks like. */
  describes: { a: RegExp; b: RegExp };
  /** Bytes for the bulk test; real transports keep it modest on a 2-core CI box. */
  bulkBytes: number;
}

/** Records everything a link emits, in order. */
export class Recorder {
  readonly chunks: Uint8Array[] = [];
  readonly events: string[] = [];
  readonly closes: CloseInfo[] = [];
  readonly errors: ByteLinkError[] = [];
  #received = 0;

  constructor(link: ByteLink) {
    link.on('data', (bytes) => {
      this.chunks.push(bytes);
      this.#received += bytes.length;
      this.events.push('data');
    });
    link.on('open', () => this.events.push('open'));
    link.on('close', (info) => {
      this.closes.push(info);
      this.events.push(`close:${info.kind}`);
    });
    link.on('error', (error) => {
      this.errors.push(error);
      this.events.push(`error:${error.code}`);
    });
  }

  get received(): number {
    return this.#received;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.#received);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

/** `n` bytes that differ from their neighbours and do not repeat with a short period (so reordering shows). */
export function pattern(n: number, salt = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + (i >> 8) * 7 + salt) & 0xff;
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Byte-exact comparison that stays fast for large transfers (a deep equal walks element by element) and still
 * says where the streams part.
 */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  const view = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (view(actual).equals(view(expected))) return;
  let at = 0;
  const n = Math.min(actual.length, expected.length);
  while (at < n && actual[at] === expected[at]) at++;
  const show = (b: Uint8Array): string => Buffer.from(b.subarray(at, at + 16)).toString('hex');
  expect.fail(
    `byte streams differ at offset ${at} (lengths ${actual.length}, expected ${expected.length}): ` +
      `got ${show(actual)}…, expected ${show(expected)}…`,
  );
}

/** One end's record, short: bytes received, how it closed, its errors (a failed wait's message carries it). */
function endState(name: string, recorder: Recorder): string {
  const closes = recorder.closes.map((c) => `${c.kind} (${c.detail})`).join(', ') || 'none';
  const errors = recorder.errors.map((e) => `${e.code}: ${e.message}`).join(' | ') || 'none';
  return `${name} received ${recorder.received} byte(s), closes: ${closes}, errors: ${errors}`;
}

/** For transports on a VirtualClock (and in-process ones): run jobs, then timers one by one, until done. */
export function virtualUntil(clock: VirtualClock): Transport['until'] {
  return async (done, what) => {
    for (;;) {
      await drainPendingJobs();
      if (done()) return;
      const next = clock.nextDueTime();
      if (next === undefined) throw new Error(`never happened (no timer left): ${what}`);
      await clock.advanceTo(next);
    }
  };
}

/** For real I/O: re-check on every event the links emit, up to a real-time limit. */
export function eventUntil(timeoutMs = 5_000): Transport['until'] {
  return (done, what, links) =>
    new Promise<void>((resolve, reject) => {
      if (done()) return resolve();
      const offs: (() => void)[] = [];
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        for (const off of offs) off();
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
      const check = (): void => {
        // Listeners registered earlier (the Recorder) run first, so the state is current here.
        if (done()) finish();
      };
      for (const link of links) {
        for (const event of ['data', 'open', 'close', 'error'] as const) offs.push(link.on(event, check));
      }
    });
}

export function byteLinkSuite(transport: Transport): void {
  describe(`ByteLink contract over ${transport.name}`, () => {
    let pair: Pair;
    let ra: Recorder;
    let rb: Recorder;
    // A wait that times out on a real transport says what each end had got by then, so a failure under load (bytes
    // late, bytes lost, an error or close that ended the flow) can be told apart from the log alone.
    const until = (done: () => boolean, what: string): Promise<void> =>
      transport.until(done, what, [pair.a, pair.b]).catch((error: Error) => {
        throw new Error(`${error.message}; by then ${endState('a', ra)}; ${endState('b', rb)}`, { cause: error });
      });

    beforeEach(async () => {
      pair = await transport.connect();
      ra = new Recorder(pair.a);
      rb = new Recorder(pair.b);
    });
    afterEach(async () => {
      await pair.dispose();
    });

    it('starts open on both ends and describes each end', () => {
      expect(pair.a.isOpen).toBe(true);
      expect(pair.b.isOpen).toBe(true);
      expect(pair.a.describe()).toMatch(transport.describes.a);
      expect(pair.b.describe()).toMatch(transport.describes.b);
    });

    for (const [from, to] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      it(`delivers ${from} → ${to} exactly, in order, across several writes`, async () => {
        const writes = [pattern(1, 1), pattern(300, 2), pattern(17, 3), Uint8Array.of(0x00, 0xff, 0x7e, 0x7d)];
        for (const w of writes) pair[from].write(w);
        const expected = concat(writes);
        const rx = to === 'b' ? rb : ra;
        await until(() => rx.received >= expected.length, `${expected.length} bytes at ${to}`);
        expect(rx.bytes()).toEqual(expected);
        expect([...ra.errors, ...rb.errors]).toEqual([]);
      });
    }

    it('carries both directions at once without mixing them', async () => {
      const ab: Uint8Array[] = [];
      const ba: Uint8Array[] = [];
      for (let i = 0; i < 20; i++) {
        ab.push(pattern(10 + i, i));
        ba.push(pattern(30 - i, 100 + i));
        pair.a.write(ab[i]!);
        pair.b.write(ba[i]!);
      }
      const [toB, toA] = [concat(ab), concat(ba)];
      await until(() => rb.received >= toB.length && ra.received >= toA.length, 'both directions complete');
      expect(rb.bytes()).toEqual(toB);
      expect(ra.bytes()).toEqual(toA);
    });

    it(`carries ${transport.bulkBytes} bytes in 1 KiB writes intact`, async () => {
      const data = pattern(transport.bulkBytes, 9);
      for (let at = 0; at < data.length; at += 1024) pair.a.write(data.subarray(at, at + 1024));
      await until(() => rb.received >= data.length, `${data.length} bytes at b`);
      expectSameBytes(rb.bytes(), data);
    });

    it('lets the writer reuse its buffer as soon as write() returns, even while the transport is backed up', async () => {
      const small = Uint8Array.of(1, 2, 3, 4);
      pair.a.write(small);
      small.fill(9);
      pair.a.write(small);
      // A write too big for the kernel to take at once is still queued when write() returns.
      const big = pattern(transport.bulkBytes, 1);
      pair.a.write(big);
      big.fill(0x55);
      pair.a.write(big.subarray(0, 4));
      const expected = concat([
        Uint8Array.of(1, 2, 3, 4, 9, 9, 9, 9),
        pattern(transport.bulkBytes, 1),
        Uint8Array.of(0x55, 0x55, 0x55, 0x55),
      ]);
      await until(() => rb.received >= expected.length, `${expected.length} bytes at b`);
      expectSameBytes(rb.bytes(), expected);
    });

    it('treats a zero-length write as a no-op', async () => {
      pair.a.write(new Uint8Array(0));
      pair.a.write(Uint8Array.of(0x42));
      await until(() => rb.received >= 1, '1 byte at b');
      expect(rb.bytes()).toEqual(Uint8Array.of(0x42));
      expect(ra.errors).toEqual([]);
    });

    it('close(): not open, one local close, idempotent; later writes are reported as ENOTCONN, not thrown', async () => {
      await pair.a.close();
      expect(pair.a.isOpen).toBe(false);
      expect(ra.closes.map((c) => c.kind)).toEqual(['local']);
      await pair.a.close();
      expect(ra.closes).toHaveLength(1);

      expect(() => pair.a.write(Uint8Array.of(1, 2, 3))).not.toThrow();
      expect(ra.errors).toHaveLength(1);
      expect(ra.errors[0]).toMatchObject({ code: 'ENOTCONN', where: pair.a.describe() });
      expect(ra.errors[0]!.message).toContain('3 byte(s)');
    });

    for (const [closer, other] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      const expected = closer === 'a' ? transport.peerSeesClose.whenAcloses : transport.peerSeesClose.whenBcloses;
      it(`when ${closer} closes, ${other} ${expected ? `sees a '${expected}' close` : 'cannot tell (as on the real thing)'}`, async () => {
        const ro = other === 'a' ? ra : rb;
        await pair[closer].close();
        if (expected) {
          await until(() => ro.closes.length > 0, `${other} sees the close`);
          expect(ro.closes.map((c) => c.kind)).toEqual([expected]);
          expect(pair[other].isOpen).toBe(false);
        } else {
          await drainPendingJobs();
          expect(ro.closes).toEqual([]);
          expect(pair[other].isOpen).toBe(true);
        }
      });
    }
  });
}
