/**
 * The S1SP's random choices, from the project's one generator (devices/common/random.ts). Each defect draws from its
 * own stream, derived from the bench seed and the defect's name, so switching one defect's fix on does not shift the
 * draws of another.
 */
import { deriveSeed, nextRandom, type RandomState } from '../../devices/common/random';

export class SeededDraws {
  private state: RandomState;

  constructor(seed: number, stream: string) {
    this.state = deriveSeed(seed, stream);
  }

  /** True with probability `rate`. */
  chance(rate: number): boolean {
    const [value, next] = nextRandom(this.state);
    this.state = next;
    return value < rate;
  }
}
