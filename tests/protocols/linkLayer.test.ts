// The link layer on virtual time: two LinkLayers back to back over a wire with 5 ms latency, faults injected on
// the wire. Every expectation is exact: which frames cross, when, and what each end counts.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { NakReason } from '../../protocols/constants';
import { decodeFrame, encodeFrame, type Frame } from '../../protocols/frame';
import {
  LinkError,
  LinkLayer,
  type LinkDrop,
  type LinkLayerOptions,
  type MessageHeader,
  type ReceivedMessage,
} from '../../protocols/linkLayer';

const T0 = Date.UTC(2026, 0, 1);
const LATENCY = 5;
const A_EUI = '00-00-00-00-00-00-00-01';
const B_EUI = '00-DB-12-34-56-78-90-A0';
const toB: MessageHeader = { type: 'command', source: A_EUI, destination: B_EUI, messageId: 0x0101 };

type Side = 'A' | 'B';
/** Returns the bytes to deliver (possibly altered) or null to lose the frame. */
type Tamper = (from: Side, frame: Frame, bytes: Buffer, index: number) => Buffer | null;

interface Setup {
  a?: Partial<LinkLayerOptions>;
  b?: Partial<LinkLayerOptions>;
  tamper?: Tamper;
  latency?: number;
}

function pair(setup: Setup = {}) {
  const clock = new VirtualClock(T0);
  const latency = setup.latency ?? LATENCY;
  const log: string[] = [];
  const counts = { A: 0, B: 0 };
  let wireUp = true;
  const ends = {} as Record<Side, LinkLayer>;
  const transmit = (from: Side) => (bytes: Uint8Array) => {
    const frame = decodeFrame(bytes);
    const note = frame.type === 'nak' ? ` ${Object.keys(NakReason)[frame.payload[0] - 1]}` : '';
    log.push(
      `${clock.now() - T0} ${from} ${frame.type} #${frame.sequence} ${frame.segmentIndex}/${frame.segmentCount}${note}`,
    );
    const out = setup.tamper ? setup.tamper(from, frame, Buffer.from(bytes), counts[from]++) : Buffer.from(bytes);
    if (!out || !wireUp) return;
    const deliver = () => {
      if (wireUp) ends[from === 'A' ? 'B' : 'A'].receive(out);
    };
    if (latency === 0) deliver();
    else clock.setTimeout(deliver, latency);
  };
  ends.A = new LinkLayer({ clock, localEui: A_EUI, transmit: transmit('A'), ...setup.a });
  ends.B = new LinkLayer({ clock, localEui: B_EUI, transmit: transmit('B'), ...setup.b });
  const received: ReceivedMessage[] = [];
  ends.B.on('message', (m) => received.push(m));
  const drops: Record<Side, LinkDrop[]> = { A: [], B: [] };
  ends.A.on('drop', (d) => drops.A.push(d));
  ends.B.on('drop', (d) => drops.B.push(d));
  return {
    clock,
    a: ends.A,
    b: ends.B,
    log,
    received,
    drops,
    setWire(up: boolean) {
      wireUp = up;
    },
    /** Settles a promise into a record with the virtual time it settled at. */
    track(promise: Promise<void>) {
      const result: { state: 'pending' | 'resolved' | 'rejected'; at?: number; error?: unknown } = { state: 'pending' };
      promise.then(
        () => Object.assign(result, { state: 'resolved', at: clock.now() - T0 }),
        (error: unknown) => Object.assign(result, { state: 'rejected', at: clock.now() - T0, error }),
      );
      return result;
    },
  };
}

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('LinkLayer: delivery and acknowledgement', () => {
  it('a message is delivered once and acknowledged', async () => {
    const t = pair();
    const sent = t.track(t.a.send(toB, bytes(10)));
    await t.clock.advanceBy(5000);
    expect(t.log).toEqual(['0 A command #0 0/1', '5 B ack #0 0/1']);
    expect(sent).toEqual({ state: 'resolved', at: 10 });
    expect(t.received.map((m) => ({ ...m, payload: [...m.payload] }))).toEqual([
      { ...toB, payload: [...bytes(10)], at: T0 + 5, session: 1 },
    ]);
    expect(t.a.stats).toEqual({
      framesOut: 1,
      framesIn: 1,
      retransmissions: 0,
      duplicates: 0,
      naksSent: 0,
      naksReceived: 0,
      sendFailures: 0,
      naksSuppressed: 0,
    });
    expect(t.b.stats).toEqual({
      framesOut: 1,
      framesIn: 1,
      retransmissions: 0,
      duplicates: 0,
      naksSent: 0,
      naksReceived: 0,
      sendFailures: 0,
      naksSuppressed: 0,
    });
    expect(t.a.pendingSends).toBe(0);
  });

  it('messages queue: stop and wait, one frame in flight, delivered in order', async () => {
    const t = pair();
    const first = t.track(t.a.send(toB, bytes(3, 1)));
    const second = t.track(t.a.send({ ...toB, messageId: 0x0102 }, bytes(3, 2)));
    expect(t.a.pendingSends).toBe(2);
    await t.clock.advanceBy(5000);
    expect(t.log).toEqual(['0 A command #0 0/1', '5 B ack #0 0/1', '10 A command #1 0/1', '15 B ack #1 0/1']);
    expect([first, second]).toEqual([
      { state: 'resolved', at: 10 },
      { state: 'resolved', at: 20 },
    ]);
    expect(t.received.map((m) => [m.messageId, [...m.payload]])).toEqual([
      [0x0101, [...bytes(3, 1)]],
      [0x0102, [...bytes(3, 2)]],
    ]);
  });

  it('a lost ack causes one retransmission after the ack timeout; the receiver acks again but delivers once', async () => {
    const t = pair({ tamper: (from, _f, b, i) => (from === 'B' && i === 0 ? null : b) });
    const sent = t.track(t.a.send(toB, bytes(10)));
    await t.clock.advanceBy(5000);
    expect(t.log).toEqual(['0 A command #0 0/1', '5 B ack #0 0/1', '1000 A command #0 0/1', '1005 B ack #0 0/1']);
    expect(sent).toEqual({ state: 'resolved', at: 1010 });
    expect(t.received.length).toBe(1);
    expect(t.b.stats.duplicates).toBe(1);
    expect(t.drops.B).toEqual([{ reason: 'duplicate', source: A_EUI, sequence: 0 }]);
    expect(t.a.stats).toMatchObject({ framesOut: 2, retransmissions: 1, sendFailures: 0 });
  });

  it('a corrupted frame is NAKed badCrc and retransmitted at once', async () => {
    const t = pair({
      tamper: (from, _f, b, i) => {
        if (from === 'A' && i === 0) b[30] ^= 0x04; // a payload bit
        return b;
      },
    });
    const sent = t.track(t.a.send(toB, bytes(10)));
    await t.clock.advanceBy(5000);
    expect(t.log).toEqual(['0 A command #0 0/1', '5 B nak #0 0/1 badCrc', '10 A command #0 0/1', '15 B ack #0 0/1']);
    expect(sent).toEqual({ state: 'resolved', at: 20 });
    expect(t.received.length).toBe(1);
    expect(t.b.cutterStats.badCrc).toBe(1);
    expect(t.b.stats).toMatchObject({ naksSent: 1, duplicates: 0 });
    expect(t.a.stats).toMatchObject({ framesOut: 2, retransmissions: 1, naksReceived: 1, sendFailures: 0 });
  });

  it('noise on the wire is discarded without a NAK (only what looks like a frame is answered)', async () => {
    const t = pair();
    // A start byte, then 27 bytes that are not a header (version 00, type 00): a bad-CRC candidate, not a frame.
    t.b.receive(Buffer.concat([Buffer.of(0xa5), Buffer.alloc(27)]));
    // The same with a frame-like version and type but a bad CRC is answered.
    t.b.receive(
      Buffer.concat([Buffer.of(0xa5, 0x01, 0x01, 0x07), Buffer.from(A_EUI.replace(/-/g, ''), 'hex'), Buffer.alloc(16)]),
    );
    await t.clock.advanceBy(100);
    expect(t.b.cutterStats.badCrc).toBe(2);
    expect(t.log).toEqual(['0 B nak #7 0/1 badCrc']);
    expect(t.b.stats.naksSent).toBe(1);
  });
});

describe('LinkLayer: giving up', () => {
  for (const [ackTimeout, maxTries] of [
    [undefined, undefined],
    [250, 6],
  ] as const) {
    const timeout = ackTimeout ?? 1000;
    const tries = maxTries ?? 4;
    it(`with no ack the send rejects with reason 'timeout' at exactly ${timeout} ms × ${tries} tries`, async () => {
      const t = pair({ a: { ackTimeout, maxTries }, tamper: () => null });
      const sent = t.track(t.a.send(toB, bytes(4)));
      const next = t.track(t.a.send({ ...toB, messageId: 0x0102 }, bytes(4)));
      await t.clock.advanceBy(timeout * tries - 1);
      expect(sent.state).toBe('pending');
      expect(t.a.stats.sendFailures).toBe(0);
      await t.clock.advanceBy(1);
      expect(sent.state).toBe('rejected');
      expect(sent.at).toBe(timeout * tries);
      expect(sent.error).toBeInstanceOf(LinkError);
      expect((sent.error as LinkError).reason).toBe('timeout');
      expect((sent.error as LinkError).message).toBe(
        `no ack for command 0x0101 ${A_EUI} → ${B_EUI} (sequence 0, segment 1 of 1) after ${tries} tries of ${timeout} ms`,
      );
      expect(t.log).toEqual([
        ...Array.from({ length: tries }, (_, i) => `${i * timeout} A command #0 0/1`),
        `${tries * timeout} A command #1 0/1`, // the next queued message goes out at once
      ]);
      expect(t.a.stats).toMatchObject({ framesOut: tries + 1, retransmissions: tries - 1, sendFailures: 1 });
      expect(next.state).toBe('pending');
    });
  }

  it('a persistent send (alerts) never gives up: same frame every ack timeout, a stalled report every maxTries, delivered once', async () => {
    let healed = false;
    const t = pair({ tamper: (_from, _f, b) => (healed ? b : null) });
    const sent = t.track(t.a.send(toB, bytes(4), { persistent: true }));
    await t.clock.advanceBy(9500);
    healed = true;
    await t.clock.advanceBy(5000);
    expect(t.log).toEqual([
      ...Array.from({ length: 11 }, (_, i) => `${i * 1000} A command #0 0/1`),
      '10005 B ack #0 0/1',
    ]);
    expect(sent).toEqual({ state: 'resolved', at: 10_010 });
    expect(t.drops.A.map((d) => d.reason)).toEqual(['stalled', 'stalled']); // at 4,000 and 8,000 ms
    expect(t.received.length).toBe(1);
    expect(t.a.stats.sendFailures).toBe(0);
  });

  it("validate returning 'unknownMessage' makes the sender's promise reject with reason 'nak'; the next message still goes", async () => {
    const t = pair({ b: { validate: (m) => (m.messageId === 0x0999 ? 'unknownMessage' : undefined) } });
    const refused = t.track(t.a.send({ ...toB, messageId: 0x0999 }, bytes(4)));
    const accepted = t.track(t.a.send(toB, bytes(4)));
    await t.clock.advanceBy(5000);
    expect(t.log).toEqual([
      '0 A command #0 0/1',
      '5 B nak #0 0/1 unknownMessage',
      '10 A command #1 0/1',
      '15 B ack #1 0/1',
    ]);
    expect(refused.state).toBe('rejected');
    expect(refused.at).toBe(10);
    const error = refused.error as LinkError;
    expect(error).toBeInstanceOf(LinkError);
    expect([error.reason, error.nakReason]).toEqual(['nak', 'unknownMessage']);
    expect(error.message).toBe(`command 0x0999 ${A_EUI} → ${B_EUI} refused by ${B_EUI}: NAK unknownMessage`);
    expect(accepted).toEqual({ state: 'resolved', at: 20 });
    expect(t.received.map((m) => m.messageId)).toEqual([0x0101]);
    expect(t.drops.B).toEqual([{ reason: 'refused', source: A_EUI, messageId: 0x0999, nak: 'unknownMessage' }]);
    expect(t.a.stats).toMatchObject({ naksReceived: 1, sendFailures: 1, retransmissions: 0 });
  });

  it('close() rejects every pending send, stops its timers, and refuses later sends', async () => {
    const clock = new VirtualClock(T0);
    const out: Uint8Array[] = [];
    const link = new LinkLayer({ clock, localEui: A_EUI, transmit: (b) => out.push(b) });
    const results = [0x0101, 0x0102, 0x0103].map((messageId) =>
      link.send({ ...toB, messageId }, bytes(300)).then(
        () => 'resolved',
        (e: LinkError) => [e.reason, e.message],
      ),
    );
    expect(clock.pendingCount).toBe(1); // the ack timer
    link.close('bench stopped');
    expect(await Promise.all(results)).toEqual(
      [0x0101, 0x0102, 0x0103].map((id) => [
        'closed',
        `bench stopped: command 0x0${id.toString(16)} ${A_EUI} → ${B_EUI} not delivered`,
      ]),
    );
    expect(clock.pendingCount).toBe(0);
    expect(link.pendingSends).toBe(0);
    await expect(link.send(toB, bytes(1))).rejects.toMatchObject({ name: 'LinkError', reason: 'closed' });
    link.receive(
      encodeFrame({
        type: 'command',
        sequence: 0,
        source: B_EUI,
        destination: A_EUI,
        messageId: 1,
        segmentIndex: 0,
        segmentCount: 1,
        payload: bytes(2),
      }),
    );
    expect(out.length).toBe(1); // nothing acknowledged after close
  });
});

describe('LinkLayer: segmentation', () => {
  it('a 3,000-byte message goes as 12 frames, each acknowledged, reassembled and delivered once', async () => {
    const t = pair();
    const payload = bytes(3000, 7);
    const sent = t.track(t.a.send(toB, payload));
    await t.clock.advanceBy(5000);
    expect(t.log).toEqual(
      Array.from({ length: 12 }, (_, i) => [
        `${i * 10} A command #${i} ${i}/12`,
        `${i * 10 + 5} B ack #${i} ${i}/12`,
      ]).flat(),
    );
    expect(sent).toEqual({ state: 'resolved', at: 120 });
    expect(t.received.length).toBe(1);
    expect(Buffer.from(t.received[0].payload).equals(Buffer.from(payload))).toBe(true);
    expect(t.received[0].at).toBe(T0 + 115);
  });

  it('a partial message is discarded after the reassembly timeout of silence; a late segment is refused and the sender restarts', async () => {
    const clock = new VirtualClock(T0);
    const out: Frame[] = [];
    const b = new LinkLayer({ clock, localEui: B_EUI, transmit: (x) => out.push(decodeFrame(x)) });
    const drops: LinkDrop[] = [];
    b.on('drop', (d) => drops.push(d));
    const delivered: ReceivedMessage[] = [];
    b.on('message', (m) => delivered.push(m));
    const segment = (index: number, sequence: number) =>
      encodeFrame({
        type: 'response',
        sequence,
        source: A_EUI,
        destination: B_EUI,
        messageId: 0x0302,
        segmentIndex: index,
        segmentCount: 3,
        payload: bytes(index < 2 ? 256 : 10, index),
      });
    b.receive(segment(0, 0));
    await clock.advanceBy(100);
    b.receive(segment(1, 1));
    // Silence from t = 100: the partial message goes 5,000 ms later, not before.
    await clock.advanceBy(4999);
    expect(drops).toEqual([]);
    await clock.advanceBy(1);
    expect(drops).toEqual([
      {
        reason: 'reassemblyTimeout',
        source: A_EUI,
        messageId: 0x0302,
        detail: '2 of 3 segments, then 5000 ms of silence',
      },
    ]);
    b.receive(segment(2, 2));
    expect(delivered).toEqual([]);
    expect(out.map((f) => [f.type, f.sequence, f.segmentIndex, [...f.payload]])).toEqual([
      ['ack', 0, 0, []],
      ['ack', 1, 1, []],
      ['nak', 2, 2, [NakReason.reassemblyTimeout]],
    ]);
    // The sender starts again from segment 0: delivered once, whole.
    for (const [index, sequence] of [
      [0, 3],
      [1, 4],
      [2, 5],
    ])
      b.receive(segment(index, sequence));
    expect(delivered.length).toBe(1);
    expect(Buffer.from(delivered[0].payload).equals(Buffer.concat([bytes(256, 0), bytes(256, 1), bytes(10, 2)]))).toBe(
      true,
    );
    await clock.advanceBy(5000);
    expect(clock.pendingCount).toBe(0); // the reassembly timer is not re-armed once nothing is partial
  });

  it('setConnected(false)/(true) in the middle of a segmented message: it restarts from segment 0 and is delivered once', async () => {
    const t = pair();
    const payload = bytes(3000, 3);
    const sent = t.track(t.a.send(toB, payload));
    await t.clock.advanceBy(52); // segments 0–4 acknowledged, segment 5 on the wire
    for (const end of [t.a, t.b]) end.setConnected(false);
    t.setWire(false);
    await t.clock.advanceBy(10_000 - 52);
    expect(t.log.length).toBe(11); // 5 segments + 5 acks + segment 5: nothing sent while down, no try spent
    t.setWire(true);
    for (const end of [t.a, t.b]) end.setConnected(true);
    await t.clock.advanceBy(5000);
    expect(t.log.slice(11)).toEqual(
      Array.from({ length: 12 }, (_, i) => [
        `${10_000 + i * 10} A command #${i + 6} ${i}/12`,
        `${10_000 + i * 10 + 5} B ack #${i + 6} ${i}/12`,
      ]).flat(),
    );
    expect(sent).toEqual({ state: 'resolved', at: 10_120 });
    expect(t.received.length).toBe(1);
    expect(Buffer.from(t.received[0].payload).equals(Buffer.from(payload))).toBe(true);
    expect(t.a.stats).toMatchObject({ retransmissions: 0, sendFailures: 0 });
  });

  it('only the sender reconnects mid-message: the receiver replaces its partial copy and delivers once', async () => {
    const t = pair();
    const sent = t.track(t.a.send(toB, bytes(1000)));
    await t.clock.advanceBy(25); // segments 0 and 1 acknowledged, segment 2 sent at 20, its ack sent at 25
    expect(t.log.length).toBe(6);
    t.a.setConnected(false);
    t.a.setConnected(true);
    await t.clock.advanceBy(5000);
    expect(t.drops.A).toEqual([{ reason: 'strayAck', source: B_EUI, sequence: 2 }]); // segment 2's ack, now stale
    expect(t.log.slice(6)).toEqual([
      '25 A command #3 0/4',
      '30 B ack #3 0/4',
      '35 A command #4 1/4',
      '40 B ack #4 1/4',
      '45 A command #5 2/4',
      '50 B ack #5 2/4',
      '55 A command #6 3/4',
      '60 B ack #6 3/4',
    ]);
    expect(sent).toEqual({ state: 'resolved', at: 65 });
    expect(t.received.map((m) => m.payload.length)).toEqual([1000]);
  });

  it('a reconnection of the same session that lost the ack of a delivered message: the same frame again, acknowledged, not delivered twice', async () => {
    const t = pair({ a: { sessionId: 0x1234 } });
    const sent = t.track(t.a.send(toB, bytes(10)));
    await t.clock.advanceBy(17); // session announced and acknowledged by 10; the command delivered at 15; its ack on the wire
    t.setWire(false);
    for (const end of [t.a, t.b]) end.setConnected(false);
    await t.clock.advanceBy(100);
    t.setWire(true);
    for (const end of [t.a, t.b]) end.setConnected(true);
    await t.clock.advanceBy(5000);
    // The session again (a new sequence number), then the command with its original one: B recognises it.
    expect(t.log).toEqual([
      '0 A session #0 0/1',
      '5 B ack #0 0/1',
      '10 A command #1 0/1',
      '15 B ack #1 0/1',
      '117 A session #2 0/1',
      '122 B ack #2 0/1',
      '127 A command #1 0/1',
      '132 B ack #1 0/1',
    ]);
    expect(sent).toEqual({ state: 'resolved', at: 137 });
    expect(t.received.length).toBe(1);
    expect(t.b.stats.duplicates).toBe(1);
  });
});

describe('LinkLayer: a wire with no latency (synchronous delivery)', () => {
  it('a segmented message and a single frame are delivered once, without spurious retransmissions', async () => {
    const t = pair({ latency: 0 });
    const first = t.track(t.a.send(toB, bytes(600)));
    const second = t.track(t.a.send(toB, bytes(5)));
    await t.clock.advanceBy(10_000);
    expect(t.log).toEqual([
      '0 A command #0 0/3',
      '0 B ack #0 0/3',
      '0 A command #1 1/3',
      '0 B ack #1 1/3',
      '0 A command #2 2/3',
      '0 B ack #2 2/3',
      '0 A command #3 0/1',
      '0 B ack #3 0/1',
    ]);
    expect([first, second]).toEqual([
      { state: 'resolved', at: 0 },
      { state: 'resolved', at: 0 },
    ]);
    expect(t.received.map((m) => m.payload.length)).toEqual([600, 5]);
    expect(t.a.stats.retransmissions).toBe(0);
  });
});

/** One receiver B and a sender A that can be restarted (a new LinkLayer, as a new harness process would be). */
function restartable() {
  const clock = new VirtualClock(T0);
  const log: string[] = [];
  let a: LinkLayer | undefined;
  const note = (from: string, bytes: Uint8Array) => {
    const frame = decodeFrame(bytes);
    log.push(`${clock.now() - T0} ${from} ${frame.type} #${frame.sequence}`);
  };
  const b = new LinkLayer({
    clock,
    localEui: B_EUI,
    transmit: (bytes) => {
      note('B', bytes);
      const to = a;
      clock.setTimeout(() => to?.receive(bytes), LATENCY);
    },
  });
  const received: ReceivedMessage[] = [];
  b.on('message', (m) => received.push(m));
  const start = (options: Partial<LinkLayerOptions> = {}) => {
    a?.close('restarted');
    a = new LinkLayer({
      clock,
      localEui: A_EUI,
      transmit: (bytes) => {
        note('A', bytes);
        clock.setTimeout(() => b.receive(bytes), LATENCY);
      },
      ...options,
    });
    return a;
  };
  return { clock, b, log, received, start };
}

describe('LinkLayer: sessions', () => {
  it('announces its session first thing: the bytes of docs/protocol.md example 9, and the ack it expects', async () => {
    const clock = new VirtualClock(T0);
    const out: string[] = [];
    const a = new LinkLayer({
      clock,
      localEui: A_EUI,
      sessionId: 0x51,
      transmit: (x) => out.push(Buffer.from(x).toString('hex').toUpperCase()),
    });
    // Worked by hand (CRC with Python's binascii.crc_hqx(data, 0xFFFF)), not by the encoder.
    expect(out).toEqual(['A50107000000000000000001FFFFFFFFFFFFFFFF0000000100040000005143F2']);
    a.receive(
      Buffer.from('A50104' + '00' + 'FFFFFFFFFFFFFFFF' + '0000000000000001' + '0000' + '0001' + '0000' + 'D685', 'hex'),
    );
    await clock.advanceBy(5000);
    expect(out).toHaveLength(1); // acknowledged: no retransmission
    expect(a.stats).toMatchObject({ retransmissions: 0, sendFailures: 0 });
    a.close();
  });

  it('a restarted sender announcing a new session: its first frame, byte-identical to its predecessor’s last, is delivered', async () => {
    const t = restartable();
    const first = t.start({ sessionId: 1 });
    first.send(toB, bytes(10));
    await t.clock.advanceBy(1000);
    const second = t.start({ sessionId: 2 });
    const sent = second.send(toB, bytes(10));
    await t.clock.advanceBy(1000);
    await expect(sent).resolves.toBeUndefined();
    // Both sessions put `command #1` on the wire with the same bytes; B delivers both.
    expect(t.log).toEqual([
      '0 A session #0',
      '5 B ack #0',
      '10 A command #1',
      '15 B ack #1',
      '1000 A session #0',
      '1005 B ack #0',
      '1010 A command #1',
      '1015 B ack #1',
    ]);
    expect(t.received.map((m) => [[...m.payload].length, m.session])).toEqual([
      [10, 1],
      [10, 2],
    ]);
    expect(t.b.stats.duplicates).toBe(0);
  });

  it('a sender that announces nothing: a reconnection is a new session, so the same first frame is delivered again', async () => {
    const t = restartable();
    t.start().send(toB, bytes(10));
    await t.clock.advanceBy(1000);
    t.b.setConnected(false);
    const second = t.start();
    t.b.setConnected(true);
    second.send(toB, bytes(10));
    await t.clock.advanceBy(1000);
    expect(t.log).toEqual(['0 A command #0', '5 B ack #0', '1000 A command #0', '1005 B ack #0']);
    expect(t.received).toHaveLength(2);
    expect(t.b.stats.duplicates).toBe(0);
  });

  it('a reply bound to a session waits after a reconnection and is dropped, never sent, when another session begins', async () => {
    const t = restartable();
    const first = t.start({ sessionId: 7 });
    first.send(toB, bytes(10));
    await t.clock.advanceBy(20);
    const request = t.received[0];
    // The first session goes away before B answers; its reply, bound to it, is tried and not acknowledged.
    first.close('gone');
    const reply = B_REPLY(t.b, request.session).catch((error: unknown) => error);
    await t.clock.advanceBy(500);
    t.b.setConnected(false);
    t.b.setConnected(true);
    await t.clock.advanceBy(3000); // nothing: the reply waits for the peer to show its session
    expect(t.log.slice(4)).toEqual(['20 B response #0']);
    const second = t.start({ sessionId: 8 });
    second.send(toB, bytes(10));
    await t.clock.advanceBy(1000);
    expect(await reply).toMatchObject({ name: 'LinkError', reason: 'session' });
    expect(t.log.slice(5)).toEqual(['3520 A session #0', '3525 B ack #0', '3530 A command #1', '3535 B ack #1']);
    expect(t.b.pendingSends).toBe(0);
  });

  it('a reply for the current session is sent as soon as the peer announces the same session again', async () => {
    const t = restartable();
    const a = t.start({ sessionId: 7 });
    a.send(toB, bytes(10));
    await t.clock.advanceBy(20);
    a.setConnected(false);
    t.b.setConnected(false);
    const reply = B_REPLY(t.b, t.received[0].session);
    await t.clock.advanceBy(100);
    t.b.setConnected(true);
    a.setConnected(true);
    await t.clock.advanceBy(100);
    await expect(reply).resolves.toBeUndefined();
    // B announces nothing; A's announcement names the session B knows, so the reply goes at once, unchanged.
    expect(t.log.slice(4)).toEqual(['120 A session #2', '125 B ack #2', '125 B response #0', '130 A ack #0']);
    expect(t.b.stats.duplicates).toBe(0);
  });
});

/** B answers A with a response frame bound to a peer session. */
function B_REPLY(b: LinkLayer, session: number): Promise<void> {
  return b.send({ type: 'response', source: B_EUI, destination: A_EUI, messageId: 0x0101 }, bytes(3), { session });
}

const euiOf = (n: number) =>
  `00-DB-00-00-${[(n >> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('-')}`;

describe('LinkLayer: bounded state under floods', () => {
  it('segment 0 of 2 from 10,000 distinct sources: 256 sources and 8 partial messages kept, the newest still recognised', () => {
    const clock = new VirtualClock(T0);
    const b = new LinkLayer({ clock, localEui: B_EUI, transmit: () => {} });
    const drops: LinkDrop[] = [];
    b.on('drop', (d) => drops.push(d));
    let last: Buffer | undefined;
    for (let i = 0; i < 10_000; i++) {
      last = encodeFrame({
        type: 'command',
        sequence: i & 0xff,
        source: euiOf(i),
        destination: B_EUI,
        messageId: 0x0101,
        segmentIndex: 0,
        segmentCount: 2,
        payload: bytes(200, i),
      });
      b.receive(last);
    }
    expect(b.retained).toEqual({
      sources: 256,
      reassemblies: 8,
      queuedReplies: 0,
      queuedReplyBytes: 0,
      queuedPersistent: 0,
      destinations: 0,
      unresponsive: 0,
    });
    expect(drops.filter((d) => d.reason === 'evicted')).toHaveLength(10_000 - 8);
    b.receive(last!); // the latest frame again: a retransmission, recognised
    expect(b.stats.duplicates).toBe(1);
    b.close();
  });

  it('a flood of A5 01 01 in one chunk: 8 NAKs (the credit a quiet link holds), the rest suppressed', () => {
    const clock = new VirtualClock(T0);
    const out: Uint8Array[] = [];
    const b = new LinkLayer({ clock, localEui: B_EUI, transmit: (x) => out.push(x) });
    b.receive(Buffer.alloc(30_000, Buffer.from([0xa5, 0x01, 0x01])));
    expect(b.cutterStats.oversize).toBeGreaterThan(9_900);
    expect(b.stats.naksSent).toBe(8);
    expect(b.stats.naksSent + b.stats.naksSuppressed).toBe(b.cutterStats.oversize);
    expect(out.reduce((n, x) => n + x.length, 0)).toBe(8 * 29);
  });

  it('the same flood three bytes at a time: NAK bytes out never exceed bytes in (plus the 232-byte credit)', () => {
    const clock = new VirtualClock(T0);
    let bytesOut = 0;
    const b = new LinkLayer({ clock, localEui: B_EUI, transmit: (x) => (bytesOut += x.length) });
    for (let i = 0; i < 10_000; i++) b.receive(Uint8Array.of(0xa5, 0x01, 0x01));
    expect(b.cutterStats.oversize).toBeGreaterThan(9_900);
    expect(bytesOut).toBe(b.stats.naksSent * 29);
    expect(bytesOut).toBeLessThanOrEqual(30_000 + 232);
    expect(b.stats.naksSent).toBe(Math.floor((30_000 - 26 + 232) / 29)); // one per 29 bytes that reached the cutter
  });

  it('replies to 5,000 silent destinations: 1 in flight and 4,096 queued, the other 903 refused with reason overflow', async () => {
    const clock = new VirtualClock(T0);
    const b = new LinkLayer({ clock, localEui: B_EUI, transmit: () => {} });
    const refused: string[] = [];
    for (let i = 0; i < 5000; i++)
      b.send({ type: 'response', source: B_EUI, destination: euiOf(i), messageId: 0x0503 }, bytes(20)).catch(
        (e: LinkError) => refused.push(e.reason),
      );
    await clock.advanceBy(0);
    expect(refused).toEqual(Array(903).fill('overflow'));
    expect(b.retained).toEqual({
      sources: 0,
      reassemblies: 0,
      queuedReplies: 4096,
      queuedReplyBytes: 4096 * 20,
      queuedPersistent: 0,
      destinations: 4096,
      unresponsive: 0,
    });
    // Each silent destination in turn times out (4 tries of 1 s) and is remembered as unresponsive: 256 at most.
    await clock.advanceBy(300 * 4000);
    expect(b.retained).toMatchObject({ queuedReplies: 4096 - 300, destinations: 4096 - 300, unresponsive: 256 });
    b.close();
  });

  it('alerts to a silent destination: 1 in flight and 4,096 waiting, the other 103 refused with reason overflow', async () => {
    const clock = new VirtualClock(T0);
    const b = new LinkLayer({ clock, localEui: B_EUI, transmit: () => {} });
    const refused: string[] = [];
    for (let i = 0; i < 4200; i++)
      b.send({ type: 'alert', source: B_EUI, destination: A_EUI, messageId: 0x0601 }, bytes(7, i), {
        persistent: true,
      }).catch((e: LinkError) => refused.push(e.reason));
    await clock.advanceBy(0);
    expect(refused).toEqual(Array(103).fill('overflow'));
    expect(b.retained.queuedPersistent).toBe(4096);
    b.close();
  });

  it('replies of 60,000 bytes: 279 queued (16 MiB of payload at most) behind the one in flight, the other 120 refused', async () => {
    const clock = new VirtualClock(T0);
    const b = new LinkLayer({ clock, localEui: B_EUI, transmit: () => {} });
    const refused: string[] = [];
    const big = bytes(60_000);
    for (let i = 0; i < 400; i++)
      b.send({ type: 'response', source: B_EUI, destination: euiOf(i), messageId: 0x0302 }, big).catch((e: LinkError) =>
        refused.push(e.reason),
      );
    await clock.advanceBy(0);
    expect(refused).toEqual(Array(120).fill('overflow')); // 279 × 60,000 = 16,740,000 ≤ 16,777,216 < 280 × 60,000
    expect(b.retained).toMatchObject({ queuedReplies: 279, queuedReplyBytes: 279 * 60_000 });
    b.close();
  });

  it('replies to one destination: at most 1,024 queued behind the one in flight', async () => {
    const clock = new VirtualClock(T0);
    const b = new LinkLayer({ clock, localEui: B_EUI, transmit: () => {} });
    const refused: string[] = [];
    for (let i = 0; i < 1100; i++)
      b.send({ type: 'response', source: B_EUI, destination: A_EUI, messageId: 0x0503 }, bytes(20)).catch(
        (e: LinkError) => refused.push(e.reason),
      );
    await clock.advanceBy(0);
    expect(refused).toEqual(Array(1100 - 1025).fill('overflow'));
    expect(b.retained.queuedReplies).toBe(1024);
    b.close();
  });

  it('an alert nobody acknowledges holds up no reply: it yields at its first ack timeout, and is still delivered once when acked', async () => {
    const SILENT = '00-00-00-00-00-00-00-09';
    // B's frames to SILENT are lost until 8,000 ms; everything else crosses.
    const t = pair({
      tamper: (from, frame, bytes) =>
        from === 'B' && frame.destination === SILENT && t.clock.now() - T0 < 8000 ? null : bytes,
    });
    const atA: ReceivedMessage[] = [];
    t.a.on('message', (m) => atA.push(m));
    const alert = t.track(
      t.b.send({ type: 'alert', source: B_EUI, destination: SILENT, messageId: 0x0601 }, bytes(7), {
        persistent: true,
      }),
    );
    const replies = Array.from({ length: 11 }, (_, i) =>
      t.track(t.b.send({ type: 'response', source: B_EUI, destination: A_EUI, messageId: 0x0503 }, bytes(5, i))),
    );
    await t.clock.advanceBy(20_000);
    // The alert once (0), no ack by 1000: the 11 replies at 10 ms each, then the alert again from 1110 (its tries
    // go on counting: a stalled report at 4110 after 4, and at 8110).
    expect(replies.map((r) => r.at)).toEqual(Array.from({ length: 11 }, (_, i) => 1010 + i * 10));
    expect(alert).toEqual({ state: 'resolved', at: 8120 });
    expect(t.log.filter((l) => l.includes('B alert'))).toEqual([
      '0 B alert #0 0/1',
      '1110 B alert #0 0/1',
      '2110 B alert #0 0/1',
      '3110 B alert #0 0/1',
      '4110 B alert #0 0/1',
      '5110 B alert #0 0/1',
      '6110 B alert #0 0/1',
      '7110 B alert #0 0/1',
      '8110 B alert #0 0/1',
    ]);
    expect(t.drops.B.filter((d) => d.reason === 'stalled')).toHaveLength(2);
    expect(atA.map((m) => m.type)).toEqual([...Array(11).fill('response'), 'alert']);
  });

  // Issue 14 item 7: alerts the harness does not acknowledge used to hold up each later response to that harness by
  // ackTimeout × maxTries apiece (0 / 4 / 12 / 24 s with 0 / 1 / 3 / 6 waiting). Now by one ack timeout at most.
  for (const waiting of [0, 1, 3, 6]) {
    it(`a reply to a harness with ${waiting} unacknowledged alert(s) waiting goes within one ack timeout; every alert is still delivered once`, async () => {
      // B's alert frames to A are lost until 30 s; replies cross.
      const t = pair({
        tamper: (from, frame, bytes) =>
          from === 'B' && frame.type === 'alert' && t.clock.now() - T0 < 30_000 ? null : bytes,
      });
      const atA: ReceivedMessage[] = [];
      t.a.on('message', (m) => atA.push(m));
      for (let i = 0; i < waiting; i++)
        t.b.send({ type: 'alert', source: B_EUI, destination: A_EUI, messageId: 0x0601 }, bytes(7, i), {
          persistent: true,
        });
      await t.clock.advanceBy(1500); // the first alert has timed out once: A is a destination that stalls alerts
      const reply = t.track(
        t.b.send({ type: 'response', source: B_EUI, destination: A_EUI, messageId: 0x0503 }, bytes(5)),
      );
      await t.clock.advanceBy(60_000);
      expect(reply.state).toBe('resolved');
      expect(reply.at! - 1500).toBeLessThanOrEqual(1000 + 10); // the alert in flight's ack timeout, then the reply's round trip
      // Once the line heals (each alert has had its 4 tries by then and taken its turn at the back): each exactly once.
      expect(
        atA
          .filter((m) => m.type === 'alert')
          .map((m) => m.payload[0])
          .sort((x, y) => x - y),
      ).toEqual(Array.from({ length: waiting }, (_, i) => i));
    });
  }
});
