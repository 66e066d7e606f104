// Duplicates when copies come late (docs/protocol.md "Duplicates", "The counter going round"): two stalled alerts, A
// from device P (#0) and B from device Q (#1), yield their turns to 260 responses from 64 other devices, so the
// sender's shared 8-bit counter goes round while they wait. B is a retransmission every time it comes again (the same
// frame, #1, byte for byte) and must be delivered once, however A's copies arrive beside it: whether A's first copy
// arrives late (out of step: #0 after #5) or every copy of A arrives and only its acks are lost. Found by review: the
// first case delivered B twice, the counter being at #6, far from B's number, when the rule said only "the last new
// frame was numbered just below it".
import { afterEach, describe, expect, it } from 'vitest';
import { drainPendingJobs } from '../../emulator/clock/drainJobs';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { LoopbackEnd } from '../../emulator/links/loopback';
import { decodeFrame, type Frame } from '../../protocols/frame';
import { LinkLayer, type MessageHeader, type ReceivedMessage } from '../../protocols/linkLayer';

const HARNESS = '00-00-00-00-00-00-00-01';
const EMULATOR = '00-00-00-00-00-00-00-02';
const P = '00-DB-12-34-56-78-90-A1';
const Q = '00-DB-12-34-56-78-90-A2';
const other = (i: number) => `00-DB-00-00-00-00-00-${(i % 64).toString(16).padStart(2, '0').toUpperCase()}`;
const alert = (source: string): MessageHeader => ({ type: 'alert', source, destination: HARNESS, messageId: 0x0601 });
const ALERT_BYTES = Uint8Array.of(0x8f, 0x12, 0, 0, 0x01, 0x9b, 0x76, 0x0c, 0xb4, 0x00, 0x00);
const RESPONSES = 260;

let ends: LinkLayer[] = [];
afterEach(() => {
  for (const end of ends) end.close();
  ends = [];
});

/**
 * The device end sends A, B, then the responses; `lose(frame, responsesDelivered)` says whether a frame (the device's
 * or the harness's ack) is lost on the way. Returns what the harness delivered and what the device put on the wire.
 */
async function run(lose: (frame: Frame, responsesDelivered: number) => boolean) {
  const clock = new VirtualClock();
  const [deviceWire, harnessWire] = LoopbackEnd.pair();
  let responses = 0;
  const pass = (wire: LoopbackEnd) => (bytes: Uint8Array) => {
    if (!lose(decodeFrame(bytes), responses)) wire.write(bytes);
  };
  const device = new LinkLayer({ clock, localEui: EMULATOR, transmit: pass(deviceWire) });
  const harness = new LinkLayer({ clock, localEui: HARNESS, transmit: pass(harnessWire) });
  ends = [device, harness];
  deviceWire.on('data', (b) => device.receive(b));
  harnessWire.on('data', (b) => harness.receive(b));
  const wire: string[] = [];
  device.on('trace', ({ direction, bytes }) => {
    if (direction !== 'out') return;
    const frame = decodeFrame(bytes);
    wire.push(`${frame.type} ${frame.source} #${frame.sequence}`);
  });
  const delivered: string[] = [];
  harness.on('message', (m: ReceivedMessage) => {
    delivered.push(`${m.type} ${m.source}`);
    if (m.type === 'response') responses++;
  });
  const until = async (done: () => boolean) => {
    for (let step = 0; step < 20_000 && !done(); step++) {
      await drainPendingJobs();
      const next = clock.nextDueTime();
      if (next === undefined) break;
      await clock.advanceTo(next);
    }
    await drainPendingJobs();
  };
  device.post(alert(P), ALERT_BYTES, { persistent: true }, () => {});
  device.post(alert(Q), ALERT_BYTES, { persistent: true }, () => {});
  await until(() => delivered.includes(`alert ${Q}`));
  for (let i = 0; i < RESPONSES; i++) {
    const header: MessageHeader = { type: 'response', source: other(i), destination: HARNESS, messageId: 0x0101 };
    device.post(header, Uint8Array.of(i & 0xff, i >> 8), {}, () => {});
  }
  // until A has come and B has come again after the responses (or a second B is delivered): many wire frames on
  await until(() => responses === RESPONSES && delivered.includes(`alert ${P}`) && wire.length > 2_000);
  return { delivered, wire };
}

describe('a stalled alert that comes again after the counter went round is delivered once', () => {
  it("A's first copy arrives late (out of step, after the responses), B's acks all lost: B delivered once", async () => {
    const { delivered, wire } = await run(
      (frame, responses) =>
        (frame.type === 'alert' && frame.source === P && responses < 254) ||
        (frame.type === 'ack' && frame.destination === Q),
    );
    // B went out as one frame, #1, every time: a retransmission, never a new frame
    expect(new Set(wire.filter((w) => w.startsWith(`alert ${Q}`)))).toEqual(new Set([`alert ${Q} #1`]));
    expect(delivered.filter((d) => d === `alert ${Q}`)).toEqual([`alert ${Q}`]);
    expect(delivered.filter((d) => d === `alert ${P}`)).toEqual([`alert ${P}`]);
  });

  it("every copy of A arrives and its acks are lost until 254 responses, B's acks all lost: each delivered once", async () => {
    const { delivered, wire } = await run(
      (frame, responses) =>
        frame.type === 'ack' && (frame.destination === Q || (frame.destination === P && responses < 254)),
    );
    expect(new Set(wire.filter((w) => w.startsWith(`alert ${Q}`)))).toEqual(new Set([`alert ${Q} #1`]));
    expect(delivered.filter((d) => d === `alert ${Q}`)).toEqual([`alert ${Q}`]);
    expect(delivered.filter((d) => d === `alert ${P}`)).toEqual([`alert ${P}`]);
  });
});
