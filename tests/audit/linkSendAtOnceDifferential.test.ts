/**
 * Audit of LinkLayer.submit's send-at-once path (round ten, protocols/linkLayer.ts): with it forced off, every message
 * goes through the send queues and `next`, as before round ten. Two ends over a seeded faulty wire (writes lost,
 * duplicated, delayed so they reorder, the line broken and mended, sessions announced on every connection, replies
 * bound to a session, alerts that persist, segmented messages) must write the same bytes at the same instants,
 * deliver the same messages and settle every send the same way, fast path on or off. One destination each way: the
 * turn order between destinations (sendQueues.ts) is not exercised here.
 */
import { describe, expect, it } from 'vitest';
import { Random, seedRandom } from '../../common/random';
import { VirtualClock } from '../../emulator/clock/virtualClock';
import { LinkLayer, type MessageHeader } from '../../protocols/linkLayer';

const T0 = Date.UTC(2026, 0, 1);
const A_EUI = '00-00-00-00-00-00-00-01';
const B_EUI = '00-DB-12-34-56-78-90-A0';
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
    const reply: MessageHeader = { type: 'response', source: B_EUI, destination: A_EUI, messageId: message.messageId };
    clock.setTimeout(
      () => b.post(reply, Uint8Array.of(0, 1), { session: message.session }, settled('B', message.messageId)),
      script.int(0, 30),
    );
  });
  a.on('message', (message) => log.push(`${clock.now() - T0} A got ${message.messageId.toString(16)}`));

  // the script: commands (some long enough to be segmented), alerts, and the line broken and mended
  for (let at = 0; at < SCRIPT_MS; at += script.int(1, 120)) {
    const roll = script.next();
    const size = script.next() < 0.15 ? 300 : 3;
    clock.setTimeout(() => {
      if (roll < 0.55) {
        const messageId = id++ & 0xffff;
        a.post(
          { type: 'command', source: A_EUI, destination: B_EUI, messageId },
          new Uint8Array(size).fill(messageId & 0xff),
          {},
          settled('A', messageId),
        );
      } else if (roll < 0.8) {
        const messageId = id++ & 0xffff;
        b.post(
          { type: 'alert', source: B_EUI, destination: A_EUI, messageId },
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
