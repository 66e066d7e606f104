import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimerHeap } from '../../emulator/clock/timerHeap';

/** Pops everything, returning [due, seq] pairs in pop order. */
function drain(heap: TimerHeap): [number, number][] {
  const out: [number, number][] = [];
  while (heap.size > 0) {
    const due = heap.peekDue()!;
    out.push([due, heap.pop()]);
  }
  return out;
}

const byDueThenSeq = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];

describe('TimerHeap', () => {
  it('pops in due order, equal due times in sequence order, growing past its initial capacity', () => {
    const heap = new TimerHeap(2);
    const dues = [50, 10, 30, 10, 50, 0, 30, 10, 70, 0];
    dues.forEach((due, seq) => heap.push(due, seq));
    expect(heap.size).toBe(dues.length);
    const expected = dues.map((due, seq): [number, number] => [due, seq]).sort(byDueThenSeq);
    expect(drain(heap)).toEqual(expected);
    expect(heap.peekDue()).toBeUndefined();
    expect(heap.peekSeq()).toBeUndefined();
  });

  it('refuses to pop when empty', () => {
    expect(() => new TimerHeap().pop()).toThrow(/empty/);
  });

  it('matches a sorted reference under random pushes, pops and retains', () => {
    type Op = { kind: 'push'; due: number } | { kind: 'pop' } | { kind: 'retain'; modulus: number };
    const op = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('push' as const), due: fc.integer({ min: 0, max: 40 }) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('pop' as const) }) },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('retain' as const), modulus: fc.integer({ min: 2, max: 4 }) }),
      },
    );
    fc.assert(
      fc.property(fc.array(op as fc.Arbitrary<Op>, { maxLength: 300 }), (ops) => {
        const heap = new TimerHeap(1);
        let reference: [number, number][] = [];
        let seq = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            heap.push(o.due, seq);
            reference.push([o.due, seq]);
            seq++;
          } else if (o.kind === 'pop') {
            if (reference.length === 0) continue;
            reference.sort(byDueThenSeq);
            const [due, s] = reference.shift()!;
            expect(heap.peekDue()).toBe(due);
            expect(heap.pop()).toBe(s);
          } else {
            heap.retain((s) => s % o.modulus !== 0);
            reference = reference.filter(([, s]) => s % o.modulus !== 0);
          }
          expect(heap.size).toBe(reference.length);
        }
        expect(drain(heap)).toEqual(reference.sort(byDueThenSeq));
      }),
      { numRuns: 300 },
    );
  });

  it('orders fractional and very large due times exactly', () => {
    const heap = new TimerHeap();
    const dues = [1e15 + 0.5, 0.25, 1e15, 0.125, 2 ** 40];
    dues.forEach((due, seq) => heap.push(due, seq));
    expect(drain(heap).map(([due]) => due)).toEqual([0.125, 0.25, 2 ** 40, 1e15, 1e15 + 0.5]);
  });
});
