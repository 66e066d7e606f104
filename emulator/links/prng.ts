/**
 * A small seeded PRNG for the mock line's faults (mulberry32: 32-bit state, fast, good enough to pick chunk sizes
 * and bits to flip; not for cryptography). Kept local so the links folder depends on nothing for determinism.
 */
export class Prng {
  #state: number;

  /** `stream` derives independent sequences from one seed, so one knob's draws never shift another's. */
  constructor(seed: number, stream = 0) {
    // splitmix32-style mixing, so that seeds 1, 2, 3 and streams 0, 1, 2 do not start on correlated sequences.
    let z = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    this.#state = (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}
