import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { LoopbackEnd } from '../../emulator/links/loopback';
import { byteLinkSuite, Recorder, virtualUntil } from './byteLinkSuite';

byteLinkSuite({
  name: 'the in-process loopback',
  async connect() {
    const [a, b] = LoopbackEnd.pair();
    return { a, b, dispose: async () => void (await Promise.all([a.close(), b.close()])) };
  },
  // No timers at all: draining jobs delivers everything (a clock with nothing pending proves it).
  until: virtualUntil(new VirtualClock()),
  peerSeesClose: { whenAcloses: 'peer', whenBcloses: 'peer' },
  describes: { a: /^loopback:a$/, b: /^loopback:b$/ },
  bulkBytes: 256 * 1024,
});

describe('loopback delivery', () => {
  it('delivers on a microtask, never inside write(), so handlers do not nest', async () => {
    const [a, b] = LoopbackEnd.pair();
    const trace: string[] = [];
    b.on('data', (bytes) => {
      trace.push(`b got ${bytes[0]}`);
      b.write(Uint8Array.of(bytes[0]! + 1)); // answers at once, as a device would
      trace.push('b answered');
    });
    a.on('data', (bytes) => trace.push(`a got ${bytes[0]}`));
    a.write(Uint8Array.of(1));
    trace.push('a wrote');
    await Promise.resolve();
    await Promise.resolve();
    expect(trace).toEqual(['a wrote', 'b got 1', 'b answered', 'a got 2']);
  });

  it('delivers writes made in one go in one microtask, in order, ahead of jobs queued between them', async () => {
    const [a, b] = LoopbackEnd.pair();
    const trace: string[] = [];
    b.on('data', (bytes) => trace.push(`b got ${bytes[0]}`));
    a.write(Uint8Array.of(1));
    queueMicrotask(() => trace.push('a job queued between the writes'));
    a.write(Uint8Array.of(2));
    await Promise.resolve();
    await Promise.resolve();
    expect(trace).toEqual(['b got 1', 'b got 2', 'a job queued between the writes']);
    a.write(Uint8Array.of(3)); // a later write starts a delivery of its own
    await Promise.resolve();
    expect(trace.at(-1)).toBe('b got 3');
  });

  it('delivers bytes written before close() ahead of the close, and nothing after it', async () => {
    const [a, b] = LoopbackEnd.pair();
    const rb = new Recorder(b);
    a.write(Uint8Array.of(1, 2));
    const closed = a.close();
    a.write(Uint8Array.of(3));
    await closed;
    expect(rb.events).toEqual(['data', 'close:peer']);
    expect(rb.bytes()).toEqual(Uint8Array.of(1, 2));
    expect(b.isOpen).toBe(false);
  });

  it('drops bytes in flight to an end that closed before they arrived', async () => {
    const [a, b] = LoopbackEnd.pair();
    const rb = new Recorder(b);
    a.write(Uint8Array.of(1));
    void b.close();
    await Promise.resolve();
    expect(rb.chunks).toEqual([]);
    expect(rb.events).toEqual(['close:local']);
  });

  it('lets a listener unsubscribe', async () => {
    const [a, b] = LoopbackEnd.pair();
    const seen: number[] = [];
    const off = b.on('data', (bytes) => seen.push(bytes[0]!));
    a.write(Uint8Array.of(1));
    await Promise.resolve();
    off();
    a.write(Uint8Array.of(2));
    await Promise.resolve();
    expect(seen).toEqual([1]);
  });
});
