import { describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH_MS, VirtualClock } from '../../emulator/clock/virtualClock';
import {
  EIGHT_HOURS_MS,
  createChainRecorder,
  expectedChainTimes,
  inexactActors,
  startChainActors,
} from './chainedDelays';

const ACTORS = 50_000;

describe('VirtualClock with 50,000 actors', () => {
  it('fires every one of 3 × 50,000 chained after delays at its exact virtual time', async () => {
    const clock = new VirtualClock();
    const recorder = createChainRecorder(ACTORS);
    const actors = startChainActors(ACTORS, clock, recorder);
    expect(clock.pendingCount).toBe(ACTORS);

    // Two advances, so delays pending across an advance boundary are covered as well as one long run.
    await clock.advanceBy(3_600_000);
    await clock.advanceBy(EIGHT_HOURS_MS - 3_600_000);

    expect(clock.now()).toBe(DEFAULT_EPOCH_MS + EIGHT_HOURS_MS);
    expect(recorder.count).toBe(ACTORS * 4);
    expect(inexactActors(recorder, ACTORS, DEFAULT_EPOCH_MS)).toEqual([]);
    expect(clock.pendingCount).toBe(0);
    // Spot-check one actor's record in full, so a broken checker cannot pass vacuously.
    expect(Array.from(recorder.times.subarray(4 * 4_321, 4 * 4_322))).toEqual(
      expectedChainTimes(4_321, DEFAULT_EPOCH_MS),
    );
    expect(actors.every((actor) => actor.getSnapshot().value === 'd')).toBe(true);
  });
});
