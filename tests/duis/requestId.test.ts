import { describe, expect, it } from 'vitest';
import { RequestCounterTracker } from '../../harness/duis/counters';
import { formatRequestId, parseRequestId } from '../../harness/duis/requestId';

describe('parseRequestId', () => {
  it('splits originator, target and counter, upper-casing the EUIs', () => {
    expect(parseRequestId('90-b3-d5-1f-30-01-00-00:00-DB-12-34-56-78-90-a2:18446744073709551615')).toEqual({
      originator: '90-B3-D5-1F-30-01-00-00',
      target: '00-DB-12-34-56-78-90-A2',
      counter: 18446744073709551615n,
    });
    expect(
      formatRequestId({ originator: '90-b3-d5-1f-30-01-00-00', target: '00-db-12-34-56-78-90-a2', counter: 7n }),
    ).toBe('90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:7');
  });

  it.each([
    [
      '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:18446744073709551616',
      'RequestID: counter "18446744073709551616" is not an integer in 0…2^64−1',
    ],
    ['90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:01', 'RequestID: counter "01" is not an integer in 0…2^64−1'],
    [
      '90-B3-D5-1F-30-01-00:00-DB-12-34-56-78-90-A2:1',
      'RequestID: "90-B3-D5-1F-30-01-00" is not an EUI-64 of the form XX-XX-XX-XX-XX-XX-XX-XX',
    ],
    ['90-B3-D5-1F-30-01-00-00:1', 'RequestID: "90-B3-D5-1F-30-01-00-00:1" is not originator:target:counter'],
  ])('refuses %s', (text, message) => {
    expect(() => parseRequestId(text)).toThrow(message);
  });
});

describe('RequestCounterTracker', () => {
  it('accepts strictly increasing counters per originator, case-insensitively, and reports the last one on a replay', () => {
    const t = new RequestCounterTracker();
    expect(t.accept('90-B3-D5-1F-30-01-00-00', 5n)).toEqual({ ok: true });
    expect(t.accept('90-b3-d5-1f-30-01-00-00', 5n)).toEqual({ ok: false, last: 5n });
    expect(t.accept('90-B3-D5-1F-30-01-00-00', 4n)).toEqual({ ok: false, last: 5n });
    expect(t.accept('90-B3-D5-1F-30-02-00-00', 1n)).toEqual({ ok: true });
    expect(t.accept('90-B3-D5-1F-30-01-00-00', 6n)).toEqual({ ok: true });
    expect(t.lastCounter('90-B3-D5-1F-30-01-00-00')).toBe(6n);
  });
});
