import { SerialPortStream } from '@serialport/stream';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { MockSerialPair, type MockSerialPairOptions } from '../../emulator/links/mockSerialPair';
import { SerialLink } from '../../emulator/links/serialLink';
import { byteLinkSuite, concat, expectSameBytes, pattern, Recorder, virtualUntil } from './byteLinkSuite';

/** The harness end as the harness will have it: a SerialLink (a real SerialPortStream) on the pair's binding. */
async function hostFor(
  pair: MockSerialPair,
  clock: VirtualClock,
  reconnect: false | { initialDelayMs: number } = false,
) {
  const host = new SerialLink({
    path: pair.path,
    baudRate: pair.conditions.baudRate,
    clock,
    binding: pair.binding,
    reconnect,
  });
  await host.open();
  return host;
}

for (const [label, knobs] of [
  ['no wire time', { wireTime: false }],
  ['9600 baud, chunks of 1-5 bytes, wire time', { baudRate: 9600, maxChunkBytes: 5 }],
] as const) {
  const clock = new VirtualClock();
  byteLinkSuite({
    name: `the mock serial pair (${label}): host a SerialLink over the pair's binding, device the pair`,
    async connect() {
      const pair = new MockSerialPair({ clock, seed: 7, ...knobs });
      const host = await hostFor(pair, clock);
      return { a: host, b: pair, dispose: async () => void (await Promise.all([host.close(), pair.close()])) };
    },
    until: virtualUntil(clock),
    // Closing the host's port is invisible to the device (no modem lines); closing the device end is an unplug.
    peerSeesClose: { whenAcloses: null, whenBcloses: 'lost' },
    describes: { a: /^serial:\/dev\/mock-smets1-\d+@(115200|9600)$/, b: /^mock:\/dev\/mock-smets1-\d+@(115200|9600)$/ },
    bulkBytes: 32 * 1024,
  });
}

/** A raw SerialPortStream on the pair, opened: the harness's view without any of our wrappers. */
async function openStream(pair: MockSerialPair, baudRate = pair.conditions.baudRate): Promise<SerialPortStream> {
  const stream = new SerialPortStream({ binding: pair.binding, path: pair.path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => stream.open((err) => (err ? reject(err) : resolve())));
  return stream;
}

/** Arrival times (ms after `t0`) and contents of what a stream or link receives. */
function arrivals(clock: VirtualClock, t0: number) {
  const log: { at: number; bytes: Uint8Array }[] = [];
  return { log, add: (bytes: Uint8Array) => log.push({ at: clock.now() - t0, bytes: Uint8Array.from(bytes) }) };
}

describe('mock serial pair: wire time on the injected clock', () => {
  const open: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
  });

  it('1,000 bytes at 9600 baud arrive at +1042 ms, the first whole ms after the last bit (1041.67 ms)', async () => {
    const clock = new VirtualClock();
    const pair = new MockSerialPair({ clock, baudRate: 9600 });
    const stream = await openStream(pair);
    open.push(pair, { close: () => new Promise((r) => stream.close(r)) });
    const atHost = arrivals(clock, clock.now());
    stream.on('data', atHost.add);
    const atDevice = arrivals(clock, clock.now());
    pair.on('data', atDevice.add);

    pair.write(pattern(1000));
    stream.write(Buffer.from(pattern(1000, 5)));
    await clock.advanceBy(1041);
    expect(atHost.log).toEqual([]);
    expect(atDevice.log).toEqual([]);
    await clock.advanceBy(1);
    expect(atHost.log.map((a) => a.at)).toEqual([1042]);
    expectSameBytes(concat(atHost.log.map((a) => a.bytes)), pattern(1000));
    expect(atDevice.log.map((a) => a.at)).toEqual([1042]);
    expectSameBytes(atDevice.log[0]!.bytes, pattern(1000, 5));
  });

  it('queues back-to-back writes FIFO and keeps the fraction, so rounding never accumulates', async () => {
    const clock = new VirtualClock();
    const pair = new MockSerialPair({ clock, baudRate: 9600 });
    open.push(pair);
    const host = await hostFor(pair, clock);
    open.push(host);
    const got = arrivals(clock, clock.now());
    host.on('data', got.add);
    pair.write(pattern(100, 1));
    pair.write(pattern(100, 2));
    pair.write(pattern(100, 3));
    await clock.runUntilIdle();
    // 100 bytes = 104.17 ms each: ends at 104.17, 208.33, 312.5 → 105, 209, 313 (not 105, 210, 315).
    expect(got.log.map((a) => a.at)).toEqual([105, 209, 313]);
    expectSameBytes(concat(got.log.map((a) => a.bytes)), concat([pattern(100, 1), pattern(100, 2), pattern(100, 3)]));
  });

  it('starts a write on an idle line at once, and one on a busy line when the line frees', async () => {
    const clock = new VirtualClock();
    const pair = new MockSerialPair({ clock, baudRate: 115_200 });
    open.push(pair);
    const host = await hostFor(pair, clock);
    open.push(host);
    const got = arrivals(clock, clock.now());
    pair.on('data', got.add);
    host.write(pattern(1152)); // 100 ms exactly
    await clock.advanceBy(50);
    host.write(pattern(1152)); // line busy until 100: arrives at 200
    await clock.advanceBy(250); // idle from 200
    host.write(pattern(1152)); // starts at 300: arrives at 400
    await clock.runUntilIdle();
    expect(got.log.map((a) => a.at)).toEqual([100, 200, 400]);
  });

  it('drain() on the host stream resolves when the last byte has crossed the wire', async () => {
    const clock = new VirtualClock();
    const pair = new MockSerialPair({ clock, baudRate: 9600 });
    const stream = await openStream(pair);
    open.push(pair, { close: () => new Promise((r) => stream.close(r)) });
    let drainedAt: number | undefined;
    const t0 = clock.now();
    stream.write(Buffer.from(pattern(96))); // 100 ms
    stream.drain(() => (drainedAt = clock.now() - t0));
    await clock.advanceBy(99);
    expect(drainedAt).toBeUndefined();
    await clock.advanceBy(1);
    expect(drainedAt).toBe(100);
  });

  it('a baud rate change applies to bytes written after it', async () => {
    const clock = new VirtualClock();
    const pair = new MockSerialPair({ clock, baudRate: 9600 });
    open.push(pair);
    const host = await hostFor(pair, clock);
    open.push(host);
    const got = arrivals(clock, clock.now());
    pair.on('data', got.add);
    host.write(pattern(96)); // 100 ms at 9600
    pair.configure({ baudRate: 19_200 });
    host.write(pattern(96)); // 50 ms at 19200, after the first
    await clock.runUntilIdle();
    expect(got.log.map((a) => a.at)).toEqual([100, 150]);
  });
});

describe('mock serial pair: faults', () => {
  /** Device end receives what a host SerialLink writes; returns the chunks as delivered. */
  async function setUp(options: Omit<MockSerialPairOptions, 'clock'>) {
    const clock = new VirtualClock();
    const pair = new MockSerialPair({ clock, ...options });
    const host = await hostFor(pair, clock);
    const rx = new Recorder(pair);
    return { clock, pair, host, rx };
  }

  it('splits writes into chunks of 1..maxChunkBytes and keeps the byte stream intact', async () => {
    const { clock, host, rx } = await setUp({ maxChunkBytes: 7, seed: 3 });
    const writes = Array.from({ length: 20 }, (_, i) => pattern(40 + i, i));
    for (const w of writes) host.write(w);
    await clock.runUntilIdle();
    expectSameBytes(rx.bytes(), concat(writes));
    const sizes = rx.chunks.map((c) => c.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    expect(new Set(sizes).size).toBeGreaterThan(3); // sizes vary
    expect(rx.chunks.length).toBeGreaterThan(writes.length * 5);
  });

  it('with wire time, each chunk arrives when its own last bit does', async () => {
    const { clock, host, pair } = await setUp({ baudRate: 9600, maxChunkBytes: 50, seed: 11 });
    const got = arrivals(clock, clock.now());
    pair.on('data', got.add);
    host.write(pattern(960)); // 1000 ms in all
    await clock.runUntilIdle();
    let bytesSoFar = 0;
    for (const { at, bytes } of got.log) {
      bytesSoFar += bytes.length;
      expect(at).toBe(Math.ceil((bytesSoFar * 10 * 1000) / 9600));
    }
    expect(got.log.length).toBeGreaterThan(19);
    expect(got.log.at(-1)!.at).toBe(1000);
  });

  it('corruptByteRate 1 changes every byte of every chunk; 0 changes none', async () => {
    const sent = concat(Array.from({ length: 10 }, (_, i) => pattern(64, i)));
    for (const rate of [1, 0]) {
      const { clock, host, rx, pair } = await setUp({ corruptByteRate: rate, maxChunkBytes: 9 });
      for (let at = 0; at < sent.length; at += 64) host.write(sent.subarray(at, at + 64));
      await clock.runUntilIdle();
      const got = rx.bytes();
      expect(got.length).toBe(sent.length); // corruption flips bits, never adds or removes bytes
      const changed = got.filter((b, i) => b !== sent[i]).length;
      expect(changed).toBe(rate === 1 ? sent.length : 0);
      expect(pair.stats.hostToDevice.corruptedBytes).toBe(changed);
    }
  });

  it('corruptWriteRate 1 changes exactly one byte of every write; 0 changes none', async () => {
    for (const rate of [1, 0]) {
      // From the device end: the host's SerialPortStream may merge queued writes, the device end never does.
      const { clock, host, pair } = await setUp({ corruptWriteRate: rate, seed: 8 });
      const got = new Recorder(host);
      const writes = Array.from({ length: 20 }, (_, i) => pattern(64, i));
      for (const w of writes) pair.write(w);
      await clock.runUntilIdle();
      const received = got.bytes();
      expect(received.length).toBe(20 * 64);
      const changedPerWrite = writes.map((w, i) => w.filter((b, j) => b !== received[i * 64 + j]).length);
      expect(changedPerWrite).toEqual(writes.map(() => rate));
      expect(pair.stats.deviceToHost.corruptedWrites).toBe(rate * 20);
    }
  });

  it('corrupts its own copy: a Buffer the sender keeps (for a retransmission) is never edited', async () => {
    const { clock, pair } = await setUp({ corruptWriteRate: 1, corruptByteRate: 1 });
    const frame = Buffer.from(pattern(64));
    const kept = Buffer.from(frame);
    pair.write(frame);
    await clock.runUntilIdle();
    expect(frame.equals(kept)).toBe(true);
  });

  it('a partial corruption rate hits about that share of bytes, and the stats count them exactly', async () => {
    const { clock, host, rx, pair } = await setUp({ corruptByteRate: 0.1, seed: 5 });
    const sent = pattern(10_000);
    host.write(sent);
    await clock.runUntilIdle();
    const changed = rx.bytes().filter((b, i) => b !== sent[i]).length;
    expect(changed).toBe(pair.stats.hostToDevice.corruptedBytes);
    expect(changed).toBeGreaterThan(850);
    expect(changed).toBeLessThan(1150);
  });

  it('the same seed gives the same chunks and corrupted bytes; another seed does not', async () => {
    const run = async (seed: number) => {
      const clock = new VirtualClock();
      const pair = new MockSerialPair({ clock, seed, corruptByteRate: 0.05, maxChunkBytes: 13, dropWriteRate: 0.2 });
      const stream = await openStream(pair);
      const chunks: string[] = [];
      stream.on('data', (b: Buffer) => chunks.push(b.toString('hex')));
      for (let i = 0; i < 30; i++) pair.write(pattern(50, i));
      await clock.runUntilIdle();
      await new Promise((r) => stream.close(r));
      return chunks.join('|');
    };
    const first = await run(42);
    expect(await run(42)).toBe(first);
    expect(await run(43)).not.toBe(first);
  });

  // Per-write faults are driven from the device end: pair.write() is one line write per call, whereas a
  // SerialPortStream merges writes queued behind a busy one into a single binding write (Writable._writev).
  it('drops whole writes: every write arrives entirely or not at all, in order, and drops never shift timing', async () => {
    const { clock, host, pair } = await setUp({ baudRate: 9600, dropWriteRate: 0.5, seed: 9 });
    const got = arrivals(clock, clock.now());
    host.on('data', got.add);
    // 100 writes of 8 bytes, each filled with its index.
    for (let i = 0; i < 100; i++) pair.write(new Uint8Array(8).fill(i));
    await clock.runUntilIdle();
    const stats = pair.stats.deviceToHost;
    expect(stats.writes).toBe(100);
    expect(stats.droppedWrites).toBeGreaterThan(30);
    expect(stats.droppedWrites).toBeLessThan(70);
    expect(got.log).toHaveLength(100 - stats.droppedWrites);
    let previous = -1;
    for (const { at, bytes } of got.log) {
      const i = bytes[0]!;
      expect(bytes).toEqual(new Uint8Array(8).fill(i));
      expect(i).toBeGreaterThan(previous);
      previous = i;
      expect(at).toBe(Math.ceil(((i + 1) * 8 * 10 * 1000) / 9600)); // as if nothing had been dropped
    }
  });

  it('dropWriteRate 1 loses everything', async () => {
    const { clock, host, pair } = await setUp({ dropWriteRate: 1 });
    const rh = new Recorder(host);
    for (let i = 0; i < 10; i++) pair.write(pattern(10, i));
    await clock.runUntilIdle();
    expect(rh.chunks).toEqual([]);
    expect(pair.stats.deviceToHost).toMatchObject({ writes: 10, droppedWrites: 10, bytesLost: 100, bytesDelivered: 0 });
  });

  it('knobs change at runtime and apply to later writes only', async () => {
    const { clock, host, pair } = await setUp({ baudRate: 9600 });
    const rh = new Recorder(host);
    pair.write(pattern(20, 1));
    pair.configure({ corruptByteRate: 1 });
    pair.write(pattern(20, 2));
    pair.configure({ corruptByteRate: 0 });
    pair.write(pattern(20, 3));
    await clock.runUntilIdle();
    const got = rh.bytes();
    const diffs = (from: number, sent: Uint8Array) =>
      got.subarray(from, from + 20).filter((b, i) => b !== sent[i]).length;
    expect([diffs(0, pattern(20, 1)), diffs(20, pattern(20, 2)), diffs(40, pattern(20, 3))]).toEqual([0, 20, 0]);
    expect(() => pair.configure({ dropWriteRate: 2 })).toThrow(/dropWriteRate must be in \[0, 1\], got 2/);
    expect(() => pair.configure({ baudRate: 0 })).toThrow(/baudRate must be a positive integer/);
  });
});

describe('mock serial pair: disconnect and reconnect', () => {
  it('both ends see close then open; the host SerialLink reopens with backoff on the clock', async () => {
    const clock = new VirtualClock();
    const pair = new MockSerialPair({ clock, baudRate: 9600 });
    const host = await hostFor(pair, clock, { initialDelayMs: 100 });
    const rh = new Recorder(host);
    const rd = new Recorder(pair);
    const t0 = clock.now();
    let hostOpenAt: number | undefined;
    host.on('open', () => (hostOpenAt = clock.now() - t0));

    pair.write(pattern(100)); // in flight when the line is cut: lost
    pair.disconnect();
    await clock.advanceBy(0);
    expect(rd.events).toEqual(['close:lost']);
    expect(rh.events).toEqual(['close:lost']);
    expect(rh.closes[0]!.error).toMatchObject({ code: 'ENXIO', where: host.describe() });
    expect(host.isOpen).toBe(false);
    expect(pair.isOpen).toBe(false);

    // Writes while disconnected are lost and reported, never thrown.
    pair.write(Uint8Array.of(1, 2));
    host.write(Uint8Array.of(3));
    expect(rd.errors.map((e) => e.code)).toEqual(['ENOTCONN']);
    expect(rh.errors.map((e) => e.code)).toEqual(['ENOTCONN']);

    // Reopen attempts at +100 and +300 fail (line still cut); the line is back at +350; the next try, at +700,
    // succeeds: 100, then ×2 waits.
    await clock.advanceBy(350);
    expect(rh.errors.slice(1).map((e) => e.code)).toEqual(['ENXIO', 'ENXIO']);
    expect(rh.errors[2]!.message).toMatch(/next try in 400 ms/);
    pair.reconnect();
    expect(rd.events).toEqual(['close:lost', 'error:ENOTCONN', 'open']);
    await clock.advanceBy(349);
    expect(host.isOpen).toBe(false);
    await clock.advanceBy(1);
    expect(hostOpenAt).toBe(700);

    // And bytes flow again both ways; nothing from before the cut was replayed.
    host.write(Uint8Array.of(0xaa));
    pair.write(Uint8Array.of(0xbb));
    await clock.runUntilIdle();
    expect(rd.bytes()).toEqual(Uint8Array.of(0xaa));
    expect(rh.bytes()).toEqual(Uint8Array.of(0xbb));
    expect(pair.stats.deviceToHost.bytesLost).toBe(102);
    await host.close();
    await pair.close();
  });

  it('the host open fails clearly on a wrong baud rate, a busy port, a wrong path, or a closed device end', async () => {
    const clock = new VirtualClock();
    const pair = new MockSerialPair({ clock, baudRate: 9600 });
    const wrongBaud = new SerialLink({ path: pair.path, baudRate: 115_200, clock, binding: pair.binding });
    await expect(wrongBaud.open()).rejects.toMatchObject({
      code: 'EINVAL',
      message: expect.stringMatching(/mock line runs at 9600 baud, not 115200/),
    });
    const first = await hostFor(pair, clock);
    const second = new SerialLink({ path: pair.path, baudRate: 9600, clock, binding: pair.binding });
    await expect(second.open()).rejects.toMatchObject({ code: 'EBUSY' });
    const wrongPath = new SerialLink({ path: '/dev/nope', baudRate: 9600, clock, binding: pair.binding });
    await expect(wrongPath.open()).rejects.toMatchObject({ code: 'ENOENT', where: 'serial:/dev/nope@9600' });
    await first.close();
    await pair.close();
    await expect(second.open()).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('concurrent open() calls share one attempt (no EBUSY from opening twice)', async () => {
    const clock = new VirtualClock();
    const pair = new MockSerialPair({ clock });
    const host = new SerialLink({ path: pair.path, clock, binding: pair.binding });
    const rh = new Recorder(host);
    const first = host.open();
    await host.open(); // resolves when the port is open, not before
    expect(host.isOpen).toBe(true);
    await first;
    await host.open(); // already open: nothing to do
    expect(rh.events).toEqual(['open']);
    await host.close();
    await pair.close();
  });

  it('closing the host port is invisible to the device, and the host may open it again', async () => {
    const clock = new VirtualClock();
    const pair = new MockSerialPair({ clock });
    const rd = new Recorder(pair);
    const first = await hostFor(pair, clock);
    await first.close();
    expect(pair.hostOpen).toBe(false);
    pair.write(Uint8Array.of(1)); // nobody has the port open: lost on arrival, not an error
    await clock.runUntilIdle();
    const again = await hostFor(pair, clock);
    const rh = new Recorder(again);
    pair.write(Uint8Array.of(2));
    await clock.runUntilIdle();
    expect(rh.bytes()).toEqual(Uint8Array.of(2));
    expect(rd.events).toEqual([]);
    await again.close();
    await pair.close();
  });
});
