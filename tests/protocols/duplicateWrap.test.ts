// Duplicates and the sender's 8-bit sequence counter (docs/protocol.md "Duplicates"): two LinkLayers over the
// in-process loopback on virtual time. The counter is one per sending end, shared by every source behind it, so a
// source's frame and a byte-identical new one 256·k frames later carry the same sequence number and CRC; a
// retransmission carries the same too. The first must be delivered, the second acknowledged and not delivered.
import { afterEach, describe, expect, it } from 'vitest';
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { LoopbackEnd } from '../../emulator/links/loopback';
import { decodeFrame } from '../../protocols/frame';
import {
  LinkLayer,
  type LinkDrop,
  type LinkLayerOptions,
  type MessageHeader,
  type ReceivedMessage,
} from '../../protocols/linkLayer';

const HARNESS = '00-00-00-00-00-00-00-01';
const EMULATOR = '00-00-00-00-00-00-00-02';
const DEVICE = '00-DB-12-34-56-78-90-A2';
/** Other devices behind the same sending end: each frame from one of them moves the shared counter on. */
const other = (i: number) =>
  `00-DB-00-00-00-00-${(i >> 8).toString(16).padStart(2, '0')}-${(i & 0xff).toString(16).padStart(2, '0')}`.toUpperCase();

/** An alert as a device end sends it: same source, message id and payload every time (same code, same `at` ms). */
const ALERT: MessageHeader = { type: 'alert', source: DEVICE, destination: HARNESS, messageId: 0x0601 };
const ALERT_BYTES = Uint8Array.of(0x8f, 0x12, 0, 0, 0x01, 0x9b, 0x76, 0x0c, 0xb4, 0x00, 0x00);
/** The i-th response, from one of 64 other devices in turn (the rig that showed it: 64 devices on one link). */
const response = (i: number): MessageHeader => ({
  type: 'response',
  source: other(i % 64),
  destination: HARNESS,
  messageId: 0x0101,
});

let ends: LinkLayer[] = [];
afterEach(() => {
  for (const end of ends) end.close();
  ends = [];
});

/**
 * A device end (the sender) and a harness end over the loopback. `loseAck(sequence, n)` says whether the harness's
 * n-th ack for `sequence` is lost on the way.
 */
function link(
  loseAck: (sequence: number, n: number) => boolean = () => false,
  sessionId?: number,
  validate?: LinkLayerOptions['validate'],
) {
  const clock = new VirtualClock();
  const [deviceWire, harnessWire] = LoopbackEnd.pair();
  const acks = new Map<number, number>();
  const device = new LinkLayer({
    clock,
    localEui: EMULATOR,
    transmit: (b) => deviceWire.write(b),
    ...(sessionId === undefined ? {} : { sessionId }),
  });
  const harness = new LinkLayer({
    clock,
    localEui: HARNESS,
    ...(validate === undefined ? {} : { validate }),
    transmit: (b) => {
      const frame = decodeFrame(b);
      if (frame.type === 'ack') {
        const n = (acks.get(frame.sequence) ?? 0) + 1;
        acks.set(frame.sequence, n);
        if (loseAck(frame.sequence, n)) return;
      }
      harnessWire.write(b);
    },
  });
  deviceWire.on('data', (b) => device.receive(b));
  harnessWire.on('data', (b) => harness.receive(b));
  ends = [device, harness];
  const delivered: string[] = [];
  harness.on('message', (m: ReceivedMessage) => delivered.push(`${m.type} ${m.source}`));
  const drops: LinkDrop[] = [];
  harness.on('drop', (d) => drops.push(d));
  // what the device end put on the wire: type, source and sequence number of every frame
  const wire: string[] = [];
  device.on('trace', ({ direction, bytes }) => {
    if (direction === 'out') {
      const frame = decodeFrame(bytes);
      wire.push(`${frame.type} ${frame.source} #${frame.sequence}`);
    }
  });
  /** Runs the clock until nothing is left to do. */
  const settle = async () => {
    for (let step = 0; step < 100_000; step++) {
      await drainPendingJobs();
      const next = clock.nextDueTime();
      if (next === undefined || device.pendingSends === 0) break;
      await clock.advanceTo(next);
    }
    await drainPendingJobs();
  };
  return { device, harness, delivered, drops, wire, settle };
}

describe('a byte-identical new frame after the shared counter wrapped is delivered', () => {
  for (const laps of [1, 2, 3]) {
    it(`the same alert from one device, ${256 * laps - 1} frames of 64 other devices between: delivered twice`, async () => {
      const t = link();
      t.device.post(ALERT, ALERT_BYTES, { persistent: true }, () => {});
      for (let i = 0; i < 256 * laps - 1; i++) t.device.post(response(i), Uint8Array.of(i & 0xff), {}, () => {});
      t.device.post(ALERT, ALERT_BYTES, { persistent: true }, () => {});
      await t.settle();
      // both alerts carry sequence number 0: the counter went once round per lap
      expect(t.wire[0]).toBe(`alert ${DEVICE} #0`);
      expect(t.wire.at(-1)).toBe(`alert ${DEVICE} #0`);
      expect(t.wire).toHaveLength(256 * laps + 1);
      expect(t.delivered.filter((m) => m === `alert ${DEVICE}`)).toHaveLength(2);
      expect(t.delivered).toHaveLength(256 * laps + 1);
      expect(t.drops).toEqual([]);
      expect(t.harness.stats.duplicates).toBe(0);
    });
  }

  // every new frame took a number of the counter, whether the receiver took its message or not
  it('the frame numbered just below the alert refused (NAKed) by the receiver: the alert after the lap is delivered twice', async () => {
    const refuseMarked = (m: ReceivedMessage) =>
      m.type === 'response' && m.payload[0] === 0xee ? ('unknownMessage' as const) : undefined;
    const t = link(undefined, undefined, refuseMarked);
    t.device.post(ALERT, ALERT_BYTES, { persistent: true }, () => {});
    for (let i = 0; i < 254; i++) t.device.post(response(i), Uint8Array.of(0, i), {}, () => {});
    t.device.post(response(254), Uint8Array.of(0xee), {}, () => {}); // #255, refused
    t.device.post(ALERT, ALERT_BYTES, { persistent: true }, () => {});
    await t.settle();
    expect(t.wire.at(-2)).toBe(`response ${other(254 % 64)} #255`);
    expect(t.wire.at(-1)).toBe(`alert ${DEVICE} #0`);
    expect(t.delivered.filter((m) => m === `alert ${DEVICE}`)).toHaveLength(2);
    expect(t.delivered.filter((m) => m.startsWith('response'))).toHaveLength(254);
    expect(t.harness.stats.duplicates).toBe(0);
  });

  it('a two-segment response in the lap (each segment a number): the alert after it is delivered twice', async () => {
    const t = link();
    t.device.post(ALERT, ALERT_BYTES, { persistent: true }, () => {});
    for (let i = 0; i < 253; i++) t.device.post(response(i), Uint8Array.of(0, i), {}, () => {});
    t.device.post(response(253), new Uint8Array(300).fill(7), {}, () => {}); // 256 + 44 bytes: #254 and #255
    t.device.post(ALERT, ALERT_BYTES, { persistent: true }, () => {});
    await t.settle();
    expect(t.wire.slice(-3)).toEqual([
      `response ${other(253 % 64)} #254`,
      `response ${other(253 % 64)} #255`,
      `alert ${DEVICE} #0`,
    ]);
    expect(t.delivered.filter((m) => m === `alert ${DEVICE}`)).toHaveLength(2);
    expect(t.delivered.filter((m) => m.startsWith('response'))).toHaveLength(254);
    expect(t.harness.stats.duplicates).toBe(0);
  });

  it('the same alert after 255 frames and again after 255 more: three deliveries', async () => {
    const t = link();
    for (let lap = 0; lap < 3; lap++) {
      t.device.post(ALERT, ALERT_BYTES, { persistent: true }, () => {});
      if (lap < 2) for (let i = 0; i < 255; i++) t.device.post(response(i), Uint8Array.of(lap, i), {}, () => {});
    }
    await t.settle();
    expect(t.wire.filter((f) => f === `alert ${DEVICE} #0`)).toHaveLength(3);
    expect(t.delivered.filter((m) => m === `alert ${DEVICE}`)).toHaveLength(3);
    expect(t.harness.stats.duplicates).toBe(0);
  });
  it('a reconnection of the same session between: its announcement took a number too, the alert is delivered twice', async () => {
    const t = link(undefined, 0x77);
    t.device.post(ALERT, ALERT_BYTES, { persistent: true }, () => {});
    for (let i = 0; i < 127; i++) t.device.post(response(i), Uint8Array.of(0, i), {}, () => {});
    await t.settle();
    for (const end of [t.device, t.harness]) end.setConnected(false);
    for (const end of [t.device, t.harness]) end.setConnected(true);
    for (let i = 0; i < 127; i++) t.device.post(response(i), Uint8Array.of(1, i), {}, () => {});
    t.device.post(ALERT, ALERT_BYTES, { persistent: true }, () => {});
    await t.settle();
    // session #0 (sent at construction, before the trace listener), the alert #1, responses #2 … #128, session
    // #129, responses #130 … #256 (#0), the alert #1
    expect(t.wire[0]).toBe(`alert ${DEVICE} #1`);
    expect(t.wire[128]).toBe(`session ${EMULATOR} #129`);
    expect(t.wire.filter((f) => f.startsWith('session'))).toHaveLength(1);
    expect(t.wire.at(-2)).toBe(`response ${other(126 % 64)} #0`);
    expect(t.wire.at(-1)).toBe(`alert ${DEVICE} #1`);
    expect(t.wire).toHaveLength(257);
    expect(t.delivered.filter((m) => m === `alert ${DEVICE}`)).toHaveLength(2);
    expect(t.harness.stats.duplicates).toBe(0);
  });
});

describe('a retransmission is still recognised however many frames went between', () => {
  it('an alert whose ack is lost yields to 300 responses, then comes again: acknowledged, delivered once', async () => {
    // the alert is frame #0; the harness's first ack of #0 is lost, so it waits (1,000 ms) and yields its turn
    const t = link((sequence, n) => sequence === 0 && n === 1);
    t.device.post(ALERT, ALERT_BYTES, { persistent: true }, () => {});
    for (let i = 0; i < 300; i++) t.device.post(response(i), Uint8Array.of(i & 0xff), {}, () => {});
    await t.settle();
    expect(t.wire[0]).toBe(`alert ${DEVICE} #0`);
    expect(t.wire[1]).toBe(`response ${other(0)} #1`);
    expect(t.wire).toHaveLength(302);
    // the same frame again after #300 (= #44 of the second lap)
    expect(t.wire.slice(-2)).toEqual([`response ${other(299 % 64)} #44`, `alert ${DEVICE} #0`]);
    expect(t.delivered.filter((m) => m === `alert ${DEVICE}`)).toHaveLength(1);
    expect(t.delivered).toHaveLength(301);
    expect(t.drops).toEqual([{ reason: 'duplicate', source: DEVICE, sequence: 0 }]);
  });

  it('an alert whose ack is lost yields to 3 responses, then comes again: acknowledged, delivered once', async () => {
    const t = link((sequence, n) => sequence === 0 && n === 1);
    t.device.post(ALERT, ALERT_BYTES, { persistent: true }, () => {});
    for (let i = 0; i < 3; i++) t.device.post(response(i), Uint8Array.of(i), {}, () => {});
    await t.settle();
    expect(t.wire).toEqual([
      `alert ${DEVICE} #0`,
      `response ${other(0)} #1`,
      `response ${other(1)} #2`,
      `response ${other(2)} #3`,
      `alert ${DEVICE} #0`,
    ]);
    expect(t.delivered).toEqual([
      `alert ${DEVICE}`,
      `response ${other(0)}`,
      `response ${other(1)}`,
      `response ${other(2)}`,
    ]);
    expect(t.drops).toEqual([{ reason: 'duplicate', source: DEVICE, sequence: 0 }]);
  });
});
