/**
 * Audit of the response instants written from the date's UTC fields with the last second remembered (round ten,
 * harness/duis/responses.ts utcDateTime): instants in an order that crosses whole seconds both ways, the Unix epoch
 * (where the second of a negative time is below it, not towards zero), leap days and the years toISOString writes
 * with a sign, each compared with Node's own toISOString (not the code under test).
 */
import { describe, expect, it } from 'vitest';
import { Random, seedRandom } from '../../common/random';
import { builtAcknowledgement, deviceDateTime } from '../../harness/duis/responses';

/** toISOString without its milliseconds: what a device writes. */
const wholeSecond = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The ResponseDateTime an acknowledgement written at `at` carries. */
const responseDateTime = (at: Date) =>
  /<sr:ResponseDateTime>([^<]*)<\/sr:ResponseDateTime>/.exec(
    builtAcknowledgement({ requestId: 'a:b:1', serviceReference: '8.9', serviceReferenceVariant: '8.9', at }).xml,
  )![1];

describe('device and response instants, written from the date fields with the last second remembered', () => {
  it('across the epoch: the instant after 1969-12-31T23:59:59.999Z is of another second', () => {
    const sequence = [
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.500Z',
      '1969-12-31T23:59:59.001Z',
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.500Z',
    ];
    for (const iso of sequence) {
      const at = new Date(iso);
      expect(deviceDateTime(at), iso).toBe(`${iso.slice(0, 19)}Z`);
      expect(responseDateTime(at), iso).toBe(iso);
    }
  });

  it('seeded instants near second, day, year and epoch boundaries and the limits of four-digit years', () => {
    const random = new Random(seedRandom(11));
    const anchors = [0, Date.UTC(2024, 1, 29), Date.UTC(2026, 0, 1), new Date('1000-01-01T00:00:00.000Z').getTime()];
    anchors.push(new Date('0000-01-01T00:00:00.000Z').getTime(), new Date('9999-12-31T23:59:59.999Z').getTime());
    for (let i = 0; i < 5000; i++) {
      const anchor = anchors[random.int(0, anchors.length - 1)]!;
      const at = new Date(anchor + random.int(-2500, 2500));
      expect(deviceDateTime(at), at.toISOString()).toBe(wholeSecond(at));
      expect(responseDateTime(at), at.toISOString()).toBe(at.toISOString());
    }
  });
});
