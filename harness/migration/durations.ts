/**
 * How long each phase of a migration takes, by vendor: the orchestrator waits out a duration drawn from these
 * (seeded) after a phase's traffic. Public (OPSG February 2020, seeds/000): Itron installations take up to seven
 * hours to migrate, Elster between two and three. The split into phases and the shapes are assumed, and so is the
 * wait between two attempts.
 */
import { assumed } from '../../common/assumptions';
import { nextRandom, type RandomState } from '../../common/random';
import type { Vendor } from '../s1sp/vendors';
import type { PhaseName } from './log';

/** A duration distribution in seconds, sampled with the seeded generator. */
export type DurationDistribution =
  | { readonly kind: 'fixed'; readonly seconds: number }
  | { readonly kind: 'uniform'; readonly minSeconds: number; readonly maxSeconds: number }
  | {
      readonly kind: 'triangular';
      readonly minSeconds: number;
      readonly modeSeconds: number;
      readonly maxSeconds: number;
    };

export type PhaseDurations = Readonly<Record<PhaseName, DurationDistribution>>;

export const PHASE_DURATIONS: Readonly<Record<Vendor, PhaseDurations>> = {
  itron: assumed(
    'migration.phaseDurations.itron',
    {
      preparation: { kind: 'triangular', minSeconds: 600, modeSeconds: 1800, maxSeconds: 3600 },
      credentialSwap: { kind: 'triangular', minSeconds: 3600, modeSeconds: 7200, maxSeconds: 14400 },
      commissioning: { kind: 'triangular', minSeconds: 900, modeSeconds: 1800, maxSeconds: 7200 },
    },
    'public (OPSG Feb 2020): Itron installations take up to 7 hours; the split into phases and the triangular shapes are assumed (maxima sum to 7 h)',
  ),
  elster: assumed(
    'migration.phaseDurations.elster',
    {
      preparation: { kind: 'uniform', minSeconds: 600, maxSeconds: 900 },
      credentialSwap: { kind: 'uniform', minSeconds: 4500, maxSeconds: 6300 },
      commissioning: { kind: 'uniform', minSeconds: 2100, maxSeconds: 3600 },
    },
    'public (OPSG Feb 2020): Elster installations take 2-3 hours; the phases and uniform shapes are assumed (minima sum to 2 h, maxima to 3 h)',
  ),
};

/** Between two attempts of one installation. */
export const RETRY_INTERVAL_MS = assumed(
  'migration.retryIntervalMs',
  24 * 3600 * 1000,
  'assumed: the DCC schedules retries; no public interval (one day)',
);

/** One duration in whole seconds and the generator state after it (pure: state in, state out). */
export function sampleDuration(
  distribution: DurationDistribution,
  random: RandomState,
): [seconds: number, next: RandomState] {
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
