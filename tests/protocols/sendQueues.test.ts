// The send queues on their own: turn order across destinations, unresponsive destinations last, eligibility, and
// the counts the bounds are kept on.
import { describe, expect, it } from 'vitest';
import { SendQueues } from '../../protocols/sendQueues';
import { prng } from './arbitraries';

interface Item {
  name: string;
  header: { destination: string };
  segments: Uint8Array[];
  persistent: boolean;
  session?: number;
}
const item = (
  name: string,
  destination: string,
  options: { bytes?: number; persistent?: boolean; session?: number } = {},
): Item => ({
  name,
  header: { destination },
  segments: [new Uint8Array(options.bytes ?? 10)],
  persistent: options.persistent ?? false,
  session: options.session,
});
const drain = (q: SendQueues<Item>, eligible?: (out: Item) => boolean) => {
  const names: string[] = [];
  for (let out = q.take(eligible); out; out = q.take(eligible)) names.push(out.name);
  return names;
};

describe('SendQueues', () => {
  it('serves destinations in turn, one message each, each destination in order', () => {
    const q = new SendQueues<Item>();
    for (const x of [
      item('a1', 'A'),
      item('a2', 'A'),
      item('a3', 'A'),
      item('b1', 'B'),
      item('c1', 'C'),
      item('b2', 'B'),
    ])
      q.push(x);
    expect(drain(q)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('serves an unresponsive destination only when no other has anything, until it is heard from', () => {
    const q = new SendQueues<Item>();
    for (const x of [item('a1', 'A'), item('a2', 'A'), item('b1', 'B'), item('b2', 'B')]) q.push(x);
    q.markUnresponsive('A');
    expect([q.take()!.name, q.take()!.name]).toEqual(['b1', 'b2']);
    q.push(item('b3', 'B'));
    q.heardFrom('A');
    expect(drain(q)).toEqual(['a1', 'b3', 'a2']);
  });

  it('serves the alerts of a destination that stalls them after everything else, until it acknowledges one', () => {
    const q = new SendQueues<Item>();
    for (const x of [
      item('alert1', 'A', { persistent: true }),
      item('alert2', 'A', { persistent: true }),
      item('r1', 'A'),
      item('alertB', 'B', { persistent: true }),
      item('r2', 'A'),
    ])
      q.push(x);
    q.markStallingAlerts('A');
    expect(q.hasUnheld()).toBe(true);
    expect([q.take()!.name, q.take()!.name, q.take()!.name]).toEqual(['r1', 'alertB', 'r2']);
    expect(q.hasUnheld()).toBe(false);
    q.push(item('r3', 'A'));
    q.alertAcknowledged('A');
    expect(drain(q)).toEqual(['alert1', 'alert2', 'r3']);
  });

  it('takes the first eligible message of a destination, leaving the others in place', () => {
    const q = new SendQueues<Item>();
    for (const x of [
      item('r1', 'A', { session: 1 }),
      item('alert', 'A', { persistent: true }),
      item('r2', 'A', { session: 1 }),
    ])
      q.push(x);
    expect(drain(q, (out) => out.session === undefined)).toEqual(['alert']);
    expect(q.remove((out) => out.session === 1).map((out) => out.name)).toEqual(['r1', 'r2']);
    expect(q.sizes).toEqual({
      queuedReplies: 0,
      queuedReplyBytes: 0,
      queuedPersistent: 0,
      destinations: 0,
      unresponsive: 0,
    });
  });

  it('counts replies, their bytes and persistent messages; refuses by count, per destination and by bytes', () => {
    const q = new SendQueues<Item>();
    q.push(item('r', 'A', { bytes: 100 }));
    q.push(item('p', 'A', { persistent: true, bytes: 7 }));
    expect(q.sizes).toEqual({
      queuedReplies: 1,
      queuedReplyBytes: 100,
      queuedPersistent: 1,
      destinations: 1,
      unresponsive: 0,
    });
    expect(q.refusal('A', 16 * 1024 * 1024 - 100, false)).toBeUndefined();
    expect(q.refusal('A', 16 * 1024 * 1024 - 99, false)).toBe(`100 bytes waiting, ${16 * 1024 * 1024} at most`);
    for (let i = 1; i < 1024; i++) q.push(item(`r${i}`, 'A'));
    expect(q.refusal('A', 1, false)).toBe('1024 waiting for A');
    expect(q.refusal('B', 1, false)).toBeUndefined();
    expect(q.length).toBe(1025);
  });

  it('frees room for a destination as its replies are taken or removed, and counts only replies against it', () => {
    const q = new SendQueues<Item>();
    for (let i = 0; i < 1024; i++) q.push(item(`r${i}`, 'A', { session: i % 2 }));
    for (let i = 0; i < 10; i++) q.push(item(`p${i}`, 'A', { persistent: true }));
    expect(q.refusal('A', 1, false)).toBe('1024 waiting for A');
    expect(q.take()!.name).toBe('r0');
    expect(q.refusal('A', 1, false)).toBeUndefined();
    q.push(item('again', 'A'));
    expect(q.refusal('A', 1, false)).toBe('1024 waiting for A');
    expect(q.remove((out) => out.session === 1)).toHaveLength(512);
    for (let i = 0; i < 512; i++) q.push(item(`s${i}`, 'A'));
    expect(q.refusal('A', 1, false)).toBe('1024 waiting for A');
    expect(q.remove(() => true)).toHaveLength(1034);
    for (let i = 0; i < 1023; i++) q.push(item(`t${i}`, 'A'));
    expect(q.refusal('A', 1, false)).toBeUndefined();
  });
});

/**
 * The rules of docs/protocol.md "Queues and fairness" as plainly as they can be written: the destinations in an array
 * in turn order, a served one moved to the back (or dropped once empty). No Map, no indices kept between calls.
 */
class ModelQueues {
  turns: { destination: string; items: Item[] }[] = [];
  unresponsive = new Set<string>();
  stalling = new Set<string>();

  push(out: Item, front: boolean) {
    let lane = this.turns.find((l) => l.destination === out.header.destination);
    if (!lane) this.turns.push((lane = { destination: out.header.destination, items: [] }));
    if (front) lane.items.unshift(out);
    else lane.items.push(out);
  }

  take(eligible: (out: Item) => boolean): Item | undefined {
    const held = (out: Item) => out.persistent && this.stalling.has(out.header.destination);
    if (this.stalling.size === 0) return this.takeFirst(eligible);
    return this.takeFirst((out) => !held(out) && eligible(out)) ?? this.takeFirst(eligible);
  }

  private takeFirst(eligible: (out: Item) => boolean): Item | undefined {
    const candidates = this.turns.filter((lane) => lane.items.some(eligible));
    const lane = candidates.find((l) => !this.unresponsive.has(l.destination)) ?? candidates[0];
    if (!lane) return undefined;
    const out = lane.items.splice(lane.items.findIndex(eligible), 1)[0]!;
    this.turns.splice(this.turns.indexOf(lane), 1);
    if (lane.items.length > 0) this.turns.push(lane);
    return out;
  }

  remove(matches: (out: Item) => boolean): Item[] {
    const removed = this.turns.flatMap((lane) => lane.items.filter(matches));
    for (const lane of this.turns) lane.items = lane.items.filter((out) => !matches(out));
    this.turns = this.turns.filter((lane) => lane.items.length > 0);
    return removed;
  }
}

describe('SendQueues against the plain model', () => {
  it('20,000 random operations over 300 destinations: the same messages in the same order, the same counts', () => {
    const random = prng(5);
    const pick = (n: number) => Math.floor(random() * n);
    const q = new SendQueues<Item>();
    const model = new ModelQueues();
    const destinations = Array.from({ length: 300 }, (_, i) => `D${i}`);
    let made = 0;
    for (let step = 0; step < 20_000; step++) {
      const roll = random();
      if (roll < 0.5) {
        // mostly a few busy destinations, now and then any of them (the many-destination churn of a bench)
        const destination = destinations[random() < 0.7 ? pick(5) : pick(300)]!;
        const out = item(`m${made++}`, destination, {
          persistent: random() < 0.2,
          session: random() < 0.5 ? 1 : undefined,
          bytes: 1 + pick(40),
        });
        const front = random() < 0.05;
        q.push(out, front);
        model.push(out, front);
      } else if (roll < 0.9) {
        const eligible = random() < 0.8 ? () => true : (out: Item) => out.session === undefined;
        expect(q.take(eligible)?.name).toBe(model.take(eligible)?.name);
      } else if (roll < 0.93) {
        const destination = destinations[pick(8)]!;
        q.markUnresponsive(destination);
        model.unresponsive.add(destination);
      } else if (roll < 0.96) {
        const destination = destinations[pick(8)]!;
        q.heardFrom(destination);
        model.unresponsive.delete(destination);
      } else if (roll < 0.975) {
        const destination = destinations[pick(8)]!;
        q.markStallingAlerts(destination);
        model.stalling.add(destination);
      } else if (roll < 0.99) {
        const destination = destinations[pick(8)]!;
        q.alertAcknowledged(destination);
        model.stalling.delete(destination);
      } else {
        const matches = (out: Item) => out.session !== undefined;
        expect(q.remove(matches).map((out) => out.name)).toEqual(model.remove(matches).map((out) => out.name));
      }
      const waiting = model.turns.flatMap((lane) => lane.items);
      const replies = waiting.filter((out) => !out.persistent);
      expect(q.length).toBe(waiting.length);
      expect(q.sizes).toEqual({
        queuedReplies: replies.length,
        queuedReplyBytes: replies.reduce((sum, out) => sum + out.segments[0]!.length, 0),
        queuedPersistent: waiting.length - replies.length,
        destinations: model.turns.length,
        unresponsive: model.unresponsive.size,
      });
    }
    // and it drains in the model's order
    const rest: string[] = [];
    for (let out = q.take(); out; out = q.take()) rest.push(out.name);
    const expected: string[] = [];
    for (let out = model.take(() => true); out; out = model.take(() => true)) expected.push(out.name);
    expect(rest).toEqual(expected);
  });
});
