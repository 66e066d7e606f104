/**
 * Audit of LinkLayer.submit's send-at-once path (round ten, protocols/linkLayer.ts): with it forced off, every message
 * goes through the send queues and `next`, as before round ten. Two ends over a seeded faulty wire (writes lost,
 * duplicated, delayed so they reorder, the line broken and mended, sessions announced on every connection, replies
 * bound to a session, alerts that persist, segmented messages) must write the same bytes at the same instants,
 * deliver the same messages and settle every send the same way, fast path on or off. A's commands go to three
 * devices behind B and A answers B's alerts, so A's lanes (sendQueues.ts) hold replies waiting for B's session while
 * commands to other devices go: the turn order between destinations is exercised too.
 */
import { describe, expect, it } from 'vitest';
import { Random, seedRandom } from '../../common/random';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { LinkLayer, type MessageHeader } from '../../protocols/linkLayer';

const T0 = Date.UTC(2026, 0, 1);
const A_EUI = '00-00-00-00-00-00-00-01';
const B_EUI = '00-DB-12-34-56-78-90-A0';
/** B's end serves several devices (as a device host does): A's commands go to any of them, each its own lane. */
const DEVICES = [B_EUI, '00-DB-12-34-56-78-90-A1', '00-DB-12-34-56-78-90-A2'];
const SCRIPT_MS = 20_000;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Everything both ends wrote and every send's settling, in order, with the instant; `fast` false: the queue only. */
async function run(seed: number, fast: boolean): Promise<string[]> {
  const clock = new VirtualClock(T0);
  const faults = new Random(seedRandom(seed));
  const script = new Random(seedRandom(seed ^ 0x5a5a5a5a));
  const log: string[] = [];
  let up = true;
  const ends: Record<string, LinkLayer> = {};
  const wire = (from: string, to: string) => (bytes: Uint8Array) => {
    log.push(`${clock.now() - T0} ${from} wrote ${hex(bytes)}`);
    if (!up || faults.next() < 0.12) return; // lost
    const copies = faults.next() < 0.08 ? 2 : 1; // duplicated
    for (let i = 0; i < copies; i++) {
      const copy = Uint8Array.from(bytes);
      // delays that overlap: frames and their copies arrive out of order
      clock.setTimeout(() => up && ends[to]!.receive(copy), faults.int(0, 40));
    }
  };
  const a = new LinkLayer({ clock, localEui: A_EUI, transmit: wire('A', 'B'), sessionId: 11, ackTimeout: 60 });
  ends.A = a;
  // B announces a session only for even seeds: an odd seed's B is an end that does not know sessions
  const b = new LinkLayer({
    clock,
    localEui: B_EUI,
    transmit: wire('B', 'A'),
    sessionId: seed % 2 === 0 ? 22 : undefined,
    ackTimeout: 45,
    maxTries: 3,
  });
  ends.B = b;
  if (!fast) {
    for (const end of [a, b]) (end as unknown as { sendsAtOnce: () => boolean }).sendsAtOnce = () => false;
  }
  let id = 0x0100;
  const settled = (who: string, messageId: number) => (error?: Error) =>
    log.push(`${clock.now() - T0} ${who} ${messageId.toString(16)} ${error === undefined ? 'sent' : error.message}`);
  // B answers each command with a response bound to the session it came in, a little later (after A may have
  // broken the line: then the reply waits for the peer to speak again, or is dropped for a new session)
  b.on('message', (message) => {
    log.push(`${clock.now() - T0} B got ${message.messageId.toString(16)} session ${message.session}`);
    if (message.type !== 'command') return;
    const reply: MessageHeader = {
      type: 'response',
      source: message.destination,
      destination: A_EUI,
      messageId: message.messageId,
    };
    clock.setTimeout(
      () => b.post(reply, Uint8Array.of(0, 1), { session: message.session }, settled('B', message.messageId)),
      script.int(0, 30),
    );
  });
  // A answers B's alerts with a reply bound to B's session (it waits while B has not spoken on a new connection)
  a.on('message', (message) => {
    log.push(`${clock.now() - T0} A got ${message.messageId.toString(16)}`);
    if (message.type !== 'alert') return;
    const reply: MessageHeader = {
      type: 'response',
      source: A_EUI,
      destination: message.source,
      messageId: message.messageId,
    };
    clock.setTimeout(
      () => a.post(reply, Uint8Array.of(0, 2), { session: message.session }, settled('A', message.messageId)),
      script.int(0, 30),
    );
  });

  // the script: commands (some long enough to be segmented), alerts, and the line broken and mended
  for (let at = 0; at < SCRIPT_MS; at += script.int(1, 120)) {
    const roll = script.next();
    const size = script.next() < 0.15 ? 300 : 3;
    clock.setTimeout(() => {
      if (roll < 0.55) {
        const messageId = id++ & 0xffff;
        a.post(
          { type: 'command', source: A_EUI, destination: DEVICES[messageId % DEVICES.length]!, messageId },
          new Uint8Array(size).fill(messageId & 0xff),
          {},
          settled('A', messageId),
        );
      } else if (roll < 0.8) {
        const messageId = id++ & 0xffff;
        b.post(
          { type: 'alert', source: DEVICES[messageId % DEVICES.length]!, destination: A_EUI, messageId },
          Uint8Array.of(0x8f, 0x35),
          { persistent: script.next() < 0.5 },
          settled('B', messageId),
        );
      } else if (roll < 0.9) {
        up = false;
        a.setConnected(false);
        b.setConnected(false);
        log.push(`${clock.now() - T0} line broken`);
      } else {
        up = true;
        a.setConnected(true);
        b.setConnected(true);
        log.push(`${clock.now() - T0} line mended`);
      }
    }, at);
  }
  clock.setTimeout(() => {
    up = true;
    a.setConnected(true);
    b.setConnected(true);
  }, SCRIPT_MS + 1);
  await clock.advanceTo(T0 + SCRIPT_MS + 60_000);
  log.push(`A stats ${JSON.stringify(a.stats)}`, `B stats ${JSON.stringify(b.stats)}`);
  return log;
}

describe('LinkLayer send-at-once: the wire the queued path would have written', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: the same bytes at the same instants and the same settlements, fast path on or off`, async () => {
      const queued = await run(seed, false);
      const fast = await run(seed, true);
      // the script did reach what it means to: retransmissions, duplicates, sends that went
      const text = queued.join('\n');
      expect(text).toMatch(/"retransmissions":[1-9]/);
      expect(text).toMatch(/"duplicates":[1-9]/);
      expect(text).toMatch(/ sent$/m);
      expect(fast).toEqual(queued);
    });
  }
});

describe('LinkLayer send-at-once: the turn order between destinations is the queued path’s', () => {
  /** A's frames (type:destination's last byte) when a command goes while replies to two devices wait for B. */
  function wire(fast: boolean): string[] {
    const clock = new VirtualClock(T0);
    const written: string[] = [];
    let b: LinkLayer | undefined;
    const a = new LinkLayer({
      clock,
      localEui: A_EUI,
      transmit: (bytes) => {
        written.push(`${bytes[2]!.toString(16)}:${bytes[19]!.toString(16)}`);
        b?.receive(Uint8Array.from(bytes));
      },
    });
    if (!fast) (a as unknown as { sendsAtOnce: () => boolean }).sendsAtOnce = () => false;
    let speak = true;
    b = new LinkLayer({
      clock,
      localEui: B_EUI,
      sessionId: 5,
      transmit: (bytes) => speak && a.receive(Uint8Array.from(bytes)),
    });
    const session = a.peerEpoch;
    // a new connection: B's announcement held back, so A's replies wait for B to speak
    speak = false;
    a.setConnected(false);
    b.setConnected(false);
    a.setConnected(true);
    b.setConnected(true);
    const reply = (device: string, messageId: number): MessageHeader => ({
      type: 'response',
      source: A_EUI,
      destination: device,
      messageId,
    });
    a.post(reply(DEVICES[1]!, 0x0201), Uint8Array.of(0, 1), { session }, () => {});
    a.post(reply(DEVICES[2]!, 0x0202), Uint8Array.of(0, 1), { session }, () => {});
    // a command to the first device goes now: the queued path serves its lane, which then waits behind the other
    a.post(
      { type: 'command', source: A_EUI, destination: DEVICES[1]!, messageId: 0x0101 },
      Uint8Array.of(1),
      {},
      () => {},
    );
    speak = true;
    b.setConnected(false);
    b.setConnected(true); // B announces its session again: A's replies may go, in turn
    clock.advanceToSync(T0 + 10_000);
    return written;
  }

  it('the reply to the device whose lane was served goes after the other', () => {
    const queued = wire(false);
    expect(queued.filter((frame) => frame.startsWith('2:'))).toEqual(['2:a2', '2:a1']);
    expect(wire(true)).toEqual(queued);
  });
});
