/**
 * The project's one seeded pseudo-random generator: every random choice the project's own code makes uses it
 * (devices/: HAN losses, sampled durations; emulator/: the mock serial line's faults; tests: deterministic input
 * loops; harness/: the S1SP's defect draws, migration durations, the fleet's population; fast-check's property runs
 * keep their own seeded generator). It lives in common/, the bottom layer, because devices and harness both draw
 * from it and the harness may not borrow from the device layer.
 *
 * Its whole state is one unsigned 32-bit number kept in the machine context, and `nextRandom` is pure
 * (state in, [value, next state] out): a persisted snapshot therefore carries the generator with it and a restored
 * device draws exactly the numbers the original would have. Algorithm: mulberry32 (Tommy Ettinger, public
 * domain): 32-bit state, period 2^32, good enough for fault injection and much faster than anything cryptographic.
 */
export type RandomState = number;

/** A generator state from any integer seed (negative or above 2^32 wrap). */
export function seedRandom(seed: number): RandomState {
  return seed >>> 0;
}

/** A uniform number in [0, 1) and the generator state after it. */
export function nextRandom(state: RandomState): [value: number, next: RandomState] {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  return [value, next];
}

/**
 * A seed for one member of a group (one device of a set) derived from the group's seed and the member's name, so
 * devices of one set draw independent sequences and adding a PPMID does not change the GSME's losses.
 */
export function deriveSeed(seed: number, name: string): RandomState {
  // FNV-1a over the name, mixed with the seed.
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i += 1) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The seed of numbered stream `stream` of `seed` (splitmix32-style mixing), so that seeds 1, 2, 3 and streams 0, 1, 2
 * do not start on correlated sequences: one stream per knob keeps one knob's draws from shifting another's.
 */
export function streamSeed(seed: number, stream: number): RandomState {
  let z = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * The same generator holding its own state, for code that owns a sequence outside any machine context (the mock
 * line's faults, test loops). Draws exactly what `nextRandom` draws from the same state.
 */
export class Random {
  #state: RandomState;

  constructor(state: RandomState) {
    this.#state = state >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const [value, next] = nextRandom(this.#state);
    this.#state = next;
    return value;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}
