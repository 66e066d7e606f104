import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../harness/packs/duration';

describe('parseDuration', () => {
  it.each([
    ['0s', 0],
    ['250ms', 250],
    ['1s', 1000],
    ['300s', 300_000],
    ['255s', 255_000],
    ['90min', 5_400_000],
    ['90m', 5_400_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['1h30min', 5_400_000],
    ['7h', 25_200_000],
    ['30d', 2_592_000_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['2m500ms', 120_500],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    '',
    '300',
    's',
    '1.5h',
    '-5s',
    '30m2h',
    '1h1h',
    '5 s',
    '5S',
    '2hours',
    '1sec',
    ' 5s',
    '5s ',
    'h',
    '5mm',
    '99999999999999999d',
  ])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
