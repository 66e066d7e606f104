// The send queues on their own: turn order across destinations, unresponsive destinations last, eligibility, and
// the counts the bounds are kept on.
import { describe, expect, it } from 'vitest';
import { SendQueues } from '../../protocols/sendQueues';

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
