/**
 * `expect(actual).toEqual(expected)` for a check made tens of thousands of times in a loop: vitest builds its
 * assertion only where the two are not strictly deep-equal (which implies toEqual), so the verdict on every value, and
 * the message on a difference, are toEqual's, without the cost of an assertion object per value.
 */
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';

export function expectEqualInLoop(actual: unknown, expected: unknown, message?: string): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual, message).toEqual(expected);
}
