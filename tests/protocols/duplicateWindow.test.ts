// The receiver's duplicate window (docs/protocol.md "Duplicates"): per source, the keys of its last 8 frames; at most
// 256 sources, the least recently heard forgotten first. Counts written from the documented bounds, not read from
// the module.
import { describe, expect, it } from 'vitest';
import { DuplicateWindow } from '../../protocols/duplicateWindow';

const source = (n: number) =>
  `00-DB-12-34-00-00-${(n >> 8).toString(16).padStart(2, '0')}-${(n & 0xff).toString(16).padStart(2, '0')}`.toUpperCase();
/** A key as the link layer makes it: (sequence << 16) | CRC. */
const key = (sequence: number, crc: number) => (sequence << 16) | crc;

describe('DuplicateWindow', () => {
  it('knows nothing at first: not even the key 0 (sequence 0, CRC 0000) of a source it has a window for', () => {
    const window = new DuplicateWindow();
    expect(window.has(source(1), 0)).toBe(false);
    window.remember(source(1), key(5, 0x1234));
    expect(window.has(source(1), key(5, 0x1234))).toBe(true);
    expect(window.has(source(1), 0)).toBe(false);
    expect(window.has(source(2), key(5, 0x1234))).toBe(false);
  });

  it("keeps a source's last 8 keys: the 9th pushes out the first", () => {
    const window = new DuplicateWindow();
    for (let sequence = 0; sequence < 9; sequence++) window.remember(source(1), key(sequence, 0xbeef));
    expect(window.has(source(1), key(0, 0xbeef))).toBe(false);
    for (let sequence = 1; sequence < 9; sequence++) expect(window.has(source(1), key(sequence, 0xbeef))).toBe(true);
    // the largest key there is (sequence 255, CRC FFFF) is remembered like any other
    window.remember(source(1), key(255, 0xffff));
    expect(window.has(source(1), key(255, 0xffff))).toBe(true);
    expect(window.has(source(1), key(1, 0xbeef))).toBe(false);
  });

  it('holds 256 sources; the 257th makes it forget the least recently heard, and the newcomer inherits none of its keys', () => {
    const window = new DuplicateWindow();
    for (let n = 0; n < 256; n++) {
      window.remember(source(n), key(n & 0xff, 0x0001));
      window.remember(source(n), key(n & 0xff, 0x00f1));
    }
    expect(window.sources).toBe(256);
    // source 0 heard again: now source 1 is the least recently heard
    window.remember(source(0), key(200, 0x0002));
    window.remember(source(256), key(7, 0x0003));
    expect(window.sources).toBe(256);
    expect(window.has(source(1), key(1, 0x0001))).toBe(false);
    expect(window.has(source(0), key(0, 0x0001))).toBe(true);
    expect(window.has(source(0), key(200, 0x0002))).toBe(true);
    expect(window.has(source(256), key(7, 0x0003))).toBe(true);
    // the forgotten source's keys are not the newcomer's
    expect(window.has(source(256), key(1, 0x0001))).toBe(false);
    expect(window.has(source(256), key(1, 0x00f1))).toBe(false);
    for (let n = 2; n < 256; n++) expect(window.has(source(n), key(n & 0xff, 0x0001))).toBe(true);
    // a fleet's harness hears thousands of devices in turn: still 256 at most, each with its own keys only
    for (let n = 300; n < 3300; n++) window.remember(source(n), key(n & 0xff, n & 0xffff));
    expect(window.sources).toBe(256);
    for (let n = 3044; n < 3300; n++) expect(window.has(source(n), key(n & 0xff, n & 0xffff))).toBe(true);
    expect(window.has(source(3043), key(3043 & 0xff, 3043))).toBe(false);
    expect(window.has(source(3299), key(3298 & 0xff, 3298))).toBe(false);
  });

  it('agrees with a plain model (an array of sources, least recently heard first) over 20,000 random frames', () => {
    // the model: what the documented rules say, written the slow obvious way
    const order: number[] = [];
    const keysOf = new Map<number, number[]>();
    const modelRemember = (n: number, k: number) => {
      const at = order.indexOf(n);
      if (at >= 0) order.splice(at, 1);
      else if (order.length === 256) keysOf.delete(order.shift()!);
      order.push(n);
      keysOf.set(n, [...(keysOf.get(n) ?? []), k].slice(-8));
    };
    const window = new DuplicateWindow();
    let seed = 7;
    const random = (below: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % below;
    };
    for (let i = 0; i < 20_000; i++) {
      // 400 sources, a few heard far more often (the harness end of a fleet), and runs from one source (a device end)
      const n = random(4) === 0 ? random(8) : random(400);
      const k = key(random(256), random(0x10000));
      for (let run = random(3); run >= 0; run--) {
        window.remember(source(n), k + run);
        modelRemember(n, k + run);
      }
      const probe = random(400);
      const known = keysOf.get(probe) ?? [];
      const probeKey = known.length > 0 && random(2) === 0 ? known[random(known.length)] : key(random(256), 0x1234);
      expect(window.has(source(probe), probeKey)).toBe(known.includes(probeKey));
    }
    expect(window.sources).toBe(order.length);
    for (const n of order) for (const k of keysOf.get(n)!) expect(window.has(source(n), k)).toBe(true);
  });

  // The sender's 8-bit counter is one for every source behind it: a byte-identical new frame of a source repeats an
  // earlier key once the counter went round (255 new frames between, the last numbered one below it); a
  // retransmission comes back whenever, with the counter anywhere.
  /** Hears new frames numbered `from`, `from` + 1, … (mod 256), `count` of them, as the link layer does. */
  const hear = (window: DuplicateWindow, from: number, count: number) => {
    for (let i = 0; i < count; i++) window.heardNew((from + i) & 0xff);
  };

  it('a key is no duplicate once 255 new frames were heard after it and the last was numbered just below it', () => {
    const window = new DuplicateWindow();
    window.heardNew(5);
    window.remember(source(1), key(5, 0xabcd));
    hear(window, 6, 254); // numbers 6 … 255, 0 … 3
    expect(window.has(source(1), key(5, 0xabcd))).toBe(true);
    window.heardNew(4); // the 255th: the counter is on 5 again
    expect(window.has(source(1), key(5, 0xabcd))).toBe(false);
    // the new frame is accepted and remembered: its own retransmission is a duplicate
    window.heardNew(5);
    window.remember(source(1), key(5, 0xabcd));
    expect(window.has(source(1), key(5, 0xabcd))).toBe(true);
  });

  it('three laps, 765 frames between (the last numbered 4): no duplicate; a key of another number is one', () => {
    const window = new DuplicateWindow();
    window.heardNew(5);
    window.remember(source(1), key(5, 0xabcd));
    window.heardNew(6);
    window.remember(source(1), key(6, 0x1111));
    hear(window, 7, 764); // 7 … 770: the last is 770 mod 256 = 2
    window.heardNew(3);
    window.heardNew(4);
    expect(window.has(source(1), key(5, 0xabcd))).toBe(false);
    // number 6 is two ahead of the counter: only a retransmission can bring it now
    expect(window.has(source(1), key(6, 0x1111))).toBe(true);
  });

  it('a retransmission after 300 new frames (the counter elsewhere) is still a duplicate', () => {
    const window = new DuplicateWindow();
    window.heardNew(0);
    window.remember(source(1), key(0, 0x8f12));
    hear(window, 1, 300); // the last numbered 300 mod 256 = 44
    expect(window.has(source(1), key(0, 0x8f12))).toBe(true);
  });

  it('255 new frames but the last not numbered just below (an old number after its lost first copy): a duplicate', () => {
    const window = new DuplicateWindow();
    window.heardNew(5);
    window.remember(source(1), key(5, 0xabcd));
    hear(window, 6, 254);
    window.heardNew(200);
    expect(window.has(source(1), key(5, 0xabcd))).toBe(true);
  });

  it('a frame numbered just below came last but fewer than 255 since (its lost first copy came late): a duplicate', () => {
    const window = new DuplicateWindow();
    window.heardNew(5);
    window.remember(source(1), key(5, 0xabcd));
    window.heardNew(4); // an alert numbered 4 whose first copy was lost, retransmitted after 5
    expect(window.has(source(1), key(5, 0xabcd))).toBe(true);
  });

  it('a key remembered with no new frame heard since counts none of what came before it', () => {
    const window = new DuplicateWindow();
    hear(window, 0, 1000); // the last numbered 231
    window.remember(source(1), key(232, 0x0001));
    expect(window.has(source(1), key(232, 0x0001))).toBe(true);
  });

  it('the last frame numbered just below but out of step (a late first copy after a later number): a duplicate', () => {
    const window = new DuplicateWindow();
    window.heardNew(4);
    window.heardNew(5);
    window.remember(source(1), key(5, 0xabcd));
    hear(window, 6, 260); // 6 … 265: the last numbered 9
    window.heardNew(4); // a frame numbered 4 whose first copy was lost, come at last: the counter is on 10, not on 5
    expect(window.has(source(1), key(5, 0xabcd))).toBe(true);
  });

  it('254 new frames since, the last in step and numbered just below (one of the lap lost for good): a duplicate', () => {
    const window = new DuplicateWindow();
    window.heardNew(5);
    window.remember(source(1), key(5, 0xabcd));
    window.heardNew(6);
    hear(window, 8, 252); // 8 … 259: the 7 is missing (lost for good), the last numbered 3
    window.heardNew(4); // 254 since, numbered just below and in step
    expect(window.has(source(1), key(5, 0xabcd))).toBe(true);
  });

  it('a key remembered twice, one lap apart: a retransmission of the newer is a duplicate though the older lapped', () => {
    const window = new DuplicateWindow();
    window.heardNew(5);
    window.remember(source(1), key(5, 0xabcd)); // the first frame
    hear(window, 6, 255); // 6 … 260: the counter is on 5 again
    window.heardNew(5);
    window.remember(source(1), key(5, 0xabcd)); // the new one with the same bytes, accepted
    window.heardNew(3); // late first copies, numbered 3 then 4: in step with each other, the last just below 5
    window.heardNew(4);
    // the older slot has lapped by now; the newer has not: the frame that comes again is the newer's retransmission
    expect(window.has(source(1), key(5, 0xabcd))).toBe(true);
  });

  it('clear forgets every source', () => {
    const window = new DuplicateWindow();
    window.remember(source(1), key(1, 1));
    window.remember(source(2), key(2, 2));
    window.clear();
    expect(window.sources).toBe(0);
    expect(window.has(source(1), key(1, 1))).toBe(false);
    expect(window.has(source(2), key(2, 2))).toBe(false);
  });
});
