/**
 * firstTryAfter: when a SerialLink's default backoff (250 ms, doubling, at most 10 s) first tries after a line comes
 * back, worked by hand: tries at 0.25, 0.75, 1.75, 3.75, 7.75, 15.75, 25.75, 35.75, 45.75 … 85.75, 95.75 s after the
 * loss (packs/links/link-faults.yaml's header). The harness's port over a far end's cut reopens then.
 */
import { describe, expect, it } from 'vitest';
import { firstTryAfter } from '../../emulator/links/reconnector';

describe('firstTryAfter', () => {
  it('is the first try of the default backoff at or after the line is back', () => {
    expect(firstTryAfter(0)).toBe(250);
    expect(firstTryAfter(250)).toBe(250);
    expect(firstTryAfter(251)).toBe(750);
    expect(firstTryAfter(5_000)).toBe(7_750);
    expect(firstTryAfter(30_000)).toBe(35_750);
    expect(firstTryAfter(35_750)).toBe(35_750);
    expect(firstTryAfter(90_000)).toBe(95_750);
  });
});
