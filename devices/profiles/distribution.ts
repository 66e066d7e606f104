/** Sampling the profile's duration distributions with the seeded generator (pure: state in, state out). */
import { nextRandom, type RandomState } from '../common/random';
import type { DurationDistribution, MigrationStep } from './types';

/** One duration in whole seconds and the generator state after it. */
export function sampleDuration(distribution: DurationDistribution, random: RandomState): [seconds: number, next: RandomState] {
  switch (distribution.kind) {
    case 'fixed':
      return [distribution.seconds, random];
    case 'uniform': {
      const [u, next] = nextRandom(random);
      return [Math.round(distribution.minSeconds + u * (distribution.maxSeconds - distribution.minSeconds)), next];
    }
    case 'triangular': {
      // inverse CDF of the triangular distribution
      const { minSeconds: a, modeSeconds: c, maxSeconds: b } = distribution;
      const [u, next] = nextRandom(random);
      const split = (c - a) / (b - a);
      const x = u < split ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
      return [Math.round(x), next];
    }
  }
}

function minSeconds(distribution: DurationDistribution): number {
  return distribution.kind === 'fixed' ? distribution.seconds : distribution.minSeconds;
}

function maxSeconds(distribution: DurationDistribution): number {
  return distribution.kind === 'fixed' ? distribution.seconds : distribution.maxSeconds;
}

/** Bounds of a whole migration: the sums of the steps' minima and maxima, seconds. */
export function migrationBounds(steps: readonly MigrationStep[]): { minSeconds: number; maxSeconds: number } {
  return {
    minSeconds: steps.reduce((sum, step) => sum + minSeconds(step.duration), 0),
    maxSeconds: steps.reduce((sum, step) => sum + maxSeconds(step.duration), 0),
  };
}
