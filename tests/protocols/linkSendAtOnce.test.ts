// LinkLayer.submit sends a message at once, without its queue, when nothing waits and nothing is in flight
// (protocols/linkLayer.ts). What it must keep of the queue's path: a message never overtakes the session
// announcement or a frame in flight, never goes while the link is down, and a reply bound to a session still
// waits until the peer has shown which session this connection carries.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { LinkLayer, type MessageHeader } from '../../protocols/linkLayer';

const T0 = Date.UTC(2026, 0, 1);
const A_EUI = '00-00-00-00-00-00-00-01';
const B_EUI = '00-DB-12-34-56-78-90-A0';
const header = (messageId: number, type: MessageHeader['type'] = 'command'): MessageHeader => ({
  type,
  source: A_EUI,
  destination: B_EUI,
  messageId,
});
/** Frame type (byte 2) and message id (bytes 20-21) of each frame written, as `type:id` in hex. */
const described = (frames: Uint8Array[]) =>
  frames.map((f) => `${f[2].toString(16).padStart(2, '0')}:${((f[20] << 8) | f[21]).toString(16).padStart(4, '0')}`);

/** Link A, whose frames are only recorded (nothing answers unless a test feeds A). */
function end(options: { sessionId?: number; connected?: boolean } = {}) {
  const clock = new VirtualClock(T0);
  const written: Uint8Array[] = [];
  const a = new LinkLayer({
    clock,
    localEui: A_EUI,
    transmit: (bytes) => written.push(Uint8Array.from(bytes)),
    ...options,
  });
  return { clock, a, written };
}

/** Link B's frames, fed to A: B answers what A writes (acks), and speaks first when asked to. */
function peer(a: LinkLayer, clock: VirtualClock, sessionId?: number) {
  const b = new LinkLayer({
    clock,
    localEui: B_EUI,
    transmit: (bytes) => a.receive(Uint8Array.from(bytes)),
    sessionId,
  });
  return b;
}

describe('LinkLayer: a message sent at once when nothing waits', () => {
  it('an idle connected link writes the frame inside post, and nothing is left queued for it (either path)', () => {
    const { a, written } = end();
    a.post(header(0x0101), Uint8Array.of(1, 2), {}, () => {});
    expect(described(written)).toEqual(['01:0101']);
    expect(a.pendingSends).toBe(1);
    expect(a.retained.destinations).toBe(0);
    expect(a.retained.queuedReplies).toBe(0);
  });

  it('a message posted while a frame is in flight waits for its ack, then goes', () => {
    const { a, written } = end();
    a.post(header(0x0101), Uint8Array.of(1), {}, () => {});
    a.post(header(0x0102), Uint8Array.of(2), {}, () => {});
    expect(described(written)).toEqual(['01:0101']);
    expect(a.retained.queuedReplies).toBe(1);
    // B acknowledges what A wrote
    const acks: Uint8Array[] = [];
    const b = new LinkLayer({
      clock: new VirtualClock(T0),
      localEui: B_EUI,
      transmit: (bytes) => acks.push(Uint8Array.from(bytes)),
    });
    b.receive(written[0]);
    for (const ack of acks.splice(0)) a.receive(ack);
    expect(described(written)).toEqual(['01:0101', '01:0102']);
  });

  it('a message posted while the link is down is not written until it comes back up', () => {
    const { a, written } = end({ connected: false });
    a.post(header(0x0101), Uint8Array.of(1), {}, () => {});
    expect(written).toEqual([]);
    expect(a.pendingSends).toBe(1);
    a.setConnected(true);
    expect(described(written)).toEqual(['01:0101']);
  });

  it('with a session of its own, a message posted on connecting waits behind the announcement', () => {
    const { a, clock, written } = end({ sessionId: 9, connected: false });
    a.post(header(0x0101), Uint8Array.of(1), {}, () => {});
    a.setConnected(true);
    // the session frame (type 0x07, message id 0) first, alone until acknowledged
    expect(described(written)).toEqual(['07:0000']);
    const b = peer(a, clock);
    b.receive(written[0]);
    expect(described(written)).toEqual(['07:0000', '01:0101']);
  });

  it('a reply bound to a session waits while the peer has not spoken on this connection, then goes', () => {
    const { a, clock, written } = end();
    const b = peer(a, clock, 77);
    // B announces its session to A: A's peer session 1 is known on this connection
    expect(a.peerEpoch).toBe(1);
    written.splice(0); // A's ack of the announcement
    a.setConnected(false);
    a.setConnected(true);
    a.post(header(0x0201, 'response'), Uint8Array.of(0, 1, 0), { session: 1 }, () => {});
    expect(written).toEqual([]);
    // an unbound message may go meanwhile, at once
    a.post(header(0x0101), Uint8Array.of(1), {}, () => {});
    expect(described(written)).toEqual(['01:0101']);
    b.setConnected(false);
    b.setConnected(true); // B announces the same session again: the reply may go once the command is acknowledged
    b.receive(written[0]);
    expect(described(written).slice(-1)).toEqual(['02:0201']);
  });
});
