/**
 * A binary min-heap of (due time, sequence number) pairs: the priority queue behind `VirtualClock`.
 *
 * Why this shape: XState's `SimulatedClock` re-sorts every pending timer each time one fires, which is quadratic
 * with thousands of actors. A heap makes push and pop O(log n). The two keys live in parallel `Float64Array`s
 * (grown by doubling) rather than in an array of objects, so pushing and popping allocate nothing and the
 * garbage collector has nothing to trace.
 *
 * The sequence number is both the entry's identity and the tie-break: entries with equal due times pop in
 * ascending sequence, so callers that hand out increasing sequence numbers get FIFO order for equal times.
 * Float64 holds integers exactly up to 2^53, far beyond any number of timers a run can create.
 */
export class TimerHeap {
  private due: Float64Array;
  private seq: Float64Array;
  private count = 0;

  constructor(initialCapacity = 64) {
    const capacity = Math.max(1, Math.floor(initialCapacity));
    this.due = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Due time of the first entry, or undefined when the heap is empty. */
  peekDue(): number | undefined {
    return this.count === 0 ? undefined : this.due[0];
  }

  /** Sequence number of the first entry, or undefined when the heap is empty. */
  peekSeq(): number | undefined {
    return this.count === 0 ? undefined : this.seq[0];
  }

  push(dueTime: number, sequence: number): void {
    if (this.count === this.due.length) this.grow();
    this.siftUp(this.count++, dueTime, sequence);
  }

  /** Removes the first entry and returns its sequence number (read `peekDue()` first if the time is needed). */
  pop(): number {
    if (this.count === 0) throw new Error('TimerHeap.pop() on an empty heap');
    const top = this.seq[0];
    const last = --this.count;
    if (last > 0) this.siftDown(0, this.due[last], this.seq[last]);
    return top;
  }

  /**
   * Keeps only the entries whose sequence number satisfies `keep`, in O(n). Lets the owner drop lazily deleted
   * (cancelled) entries in bulk when they start to outnumber live ones.
   */
  retain(keep: (sequence: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const s = this.seq[i];
      if (keep(s)) {
        this.due[kept] = this.due[i];
        this.seq[kept] = s;
        kept++;
      }
    }
    this.count = kept;
    // Floyd's bottom-up heapify: O(n), cheaper than re-pushing every survivor.
    for (let i = (kept >>> 1) - 1; i >= 0; i--) this.siftDown(i, this.due[i], this.seq[i]);
  }

  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const capacity = this.due.length * 2;
    const due = new Float64Array(capacity);
    const seq = new Float64Array(capacity);
    due.set(this.due);
    seq.set(this.seq);
    this.due = due;
    this.seq = seq;
  }

  // Both sifts move a "hole" instead of swapping, so each level costs one write per array, not three.
  private siftUp(index: number, d: number, s: number): void {
    const due = this.due;
    const seq = this.seq;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      const pd = due[parent];
      if (pd < d || (pd === d && seq[parent] < s)) break;
      due[i] = pd;
      seq[i] = seq[parent];
      i = parent;
    }
    due[i] = d;
    seq[i] = s;
  }

  private siftDown(index: number, d: number, s: number): void {
    const due = this.due;
    const seq = this.seq;
    const n = this.count;
    let i = index;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (due[right] < due[child] || (due[right] === due[child] && seq[right] < seq[child]))) {
        child = right;
      }
      const cd = due[child];
      if (d < cd || (d === cd && s < seq[child])) break;
      due[i] = cd;
      seq[i] = seq[child];
      i = child;
    }
    due[i] = d;
    seq[i] = s;
  }
}
