// LinkLayer.post and MessageEndpoint.post: `send` without a promise, for the senders of every message (BenchClient,
// DeviceHost). What they must keep of `send`: `done` is called once, never inside the call that settles it (so a
// sender's bookkeeping runs after the link layer's, as a promise reaction did), and in the order the promises of
// the same sends would settle.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { EncodeError } from '../../protocols/errors';
import { MessageEndpoint } from '../../protocols/endpoint';
import { LinkError, LinkLayer, type MessageHeader } from '../../protocols/linkLayer';

const T0 = Date.UTC(2026, 0, 1);
const A_EUI = '00-00-00-00-00-00-00-01';
const B_EUI = '00-DB-12-34-56-78-90-A0';
const header = (messageId: number): MessageHeader => ({
  type: 'command',
  source: A_EUI,
  destination: B_EUI,
  messageId,
});

/** Two link layers wired back to back, each frame arriving `latency` ms after it is written (0: at once). */
function pair(latency: number) {
  const clock = new VirtualClock(T0);
  const ends: { a?: LinkLayer; b?: LinkLayer } = {};
  const wire = (to: 'a' | 'b') => (bytes: Uint8Array) => {
    const copy = Uint8Array.from(bytes);
    if (latency === 0) ends[to]!.receive(copy);
    else clock.setTimeout(() => ends[to]!.receive(copy), latency);
  };
  const a = (ends.a = new LinkLayer({ clock, localEui: A_EUI, transmit: wire('b') }));
  const b = (ends.b = new LinkLayer({ clock, localEui: B_EUI, transmit: wire('a') }));
  return { clock, a, b };
}

describe('LinkLayer.post', () => {
  it('calls done once with undefined after the ack, on a microtask of its own even when the ack comes back inside post', async () => {
    const { a, b } = pair(0);
    const delivered: number[] = [];
    b.on('message', (m) => delivered.push(m.messageId));
    const calls: unknown[] = [];
    a.post(header(0x0101), Uint8Array.of(1, 2, 3), {}, (error) => calls.push(error));
    // the frame went, was delivered and acknowledged inside post (no latency): done has not been called yet
    expect(delivered).toEqual([0x0101]);
    expect(a.pendingSends).toBe(0);
    expect(calls).toEqual([]);
    await Promise.resolve();
    expect(calls).toEqual([undefined]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([undefined]);
  });

  it('a send refused at once (closed link) is reported on a microtask, with the LinkError send rejects with', async () => {
    const { a } = pair(5);
    a.close('gone');
    const calls: unknown[] = [];
    a.post(header(0x0101), Uint8Array.of(1), {}, (error) => calls.push(error));
    expect(calls).toEqual([]);
    await Promise.resolve();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBeInstanceOf(LinkError);
    expect(calls[0]).toMatchObject({ reason: 'closed', message: 'link layer is closed' });
    await expect(a.send(header(0x0102), Uint8Array.of(1))).rejects.toMatchObject({ reason: 'closed' });
  });

  it('completions keep the order of the promises of the same sends, however the two are mixed', async () => {
    const { clock, a } = pair(5);
    const order: string[] = [];
    const track = (name: string) => (error: Error | undefined) =>
      order.push(`${name} ${error === undefined ? 'ok' : (error as LinkError).reason}`);
    a.send(header(1), Uint8Array.of(1)).then(() => order.push('send1 ok'));
    a.post(header(2), Uint8Array.of(2), {}, track('post2'));
    a.send(header(3), Uint8Array.of(3)).then(() => order.push('send3 ok'));
    a.post(header(4), Uint8Array.of(4), {}, track('post4'));
    await clock.advanceBy(100);
    expect(order).toEqual(['send1 ok', 'post2 ok', 'send3 ok', 'post4 ok']);

    // closing fails everything waiting at once, in queue order: a done called inside close() would jump the queue
    order.length = 0;
    a.send(header(5), Uint8Array.of(5)).catch((error: LinkError) => order.push(`send5 ${error.reason}`));
    a.post(header(6), Uint8Array.of(6), {}, track('post6'));
    a.send(header(7), Uint8Array.of(7)).catch((error: LinkError) => order.push(`send7 ${error.reason}`));
    a.post(header(8), Uint8Array.of(8), {}, track('post8'));
    a.close();
    expect(order).toEqual([]);
    await clock.advanceBy(1);
    expect(order).toEqual(['send5 closed', 'post6 closed', 'send7 closed', 'post8 closed']);
  });
});

describe('MessageEndpoint.post', () => {
  it('a message its codec cannot encode is refused with the EncodeError send rejects with, on a microtask', async () => {
    const clock = new VirtualClock(T0);
    const endpoint = new MessageEndpoint({
      side: 'harness',
      clock,
      localEui: A_EUI,
      dialectOf: () => 'itron',
      transmit: () => {},
    });
    const bad = { type: 'setSupply', state: 'sideways', requestId: 1 } as never;
    const calls: unknown[] = [];
    endpoint.post(A_EUI, B_EUI, bad, {}, (error) => calls.push(error));
    expect(calls).toEqual([]);
    await Promise.resolve();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBeInstanceOf(EncodeError);
    expect((calls[0] as Error).message).toContain('setSupply.state');
    await expect(endpoint.send(A_EUI, B_EUI, bad)).rejects.toThrow((calls[0] as Error).message);
    expect(endpoint.link.stats.framesOut).toBe(0);
  });
});
