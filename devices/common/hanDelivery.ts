/**
 * One message over the HAN: up to `maxAttempts` tries, each lost with probability `failureRate`, drawn from the
 * device's seeded generator. Sleepy battery devices (the GSME) lose more: the failure rate comes from the vendor
 * profile and `injectFault { fault: 'hanFailureRate' }` overrides it on a bench.
 */
import { nextRandom, type RandomState } from '../../common/random';

export interface HanDelivery {
  delivered: boolean;
  /** Tries used: the successful one, or all of them. */
  attempts: number;
  random: RandomState;
}

export function deliverOverHan(random: RandomState, failureRate: number, maxAttempts: number): HanDelivery {
  let state = random;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const [draw, next] = nextRandom(state);
    state = next;
    if (draw >= failureRate) return { delivered: true, attempts: attempt, random: state };
  }
  return { delivered: false, attempts: maxAttempts, random: state };
}
