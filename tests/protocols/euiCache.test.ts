// Issue 8 item 7: frames from ever new source EUIs must not make the decoder's EUI memo grow without bound.
import { describe, expect, it } from 'vitest';
import { euiCacheEntries, euiToBytes, readEui } from '../../protocols/eui64';

/** The EUI of source n, formatted by hand: 90-B3-D5-1F and n as 4 big-endian bytes. */
const expectedText = (n: number) =>
  [
    '90',
    'B3',
    'D5',
    '1F',
    ...[24, 16, 8, 0].map((shift) => ((n >>> shift) & 0xff).toString(16).toUpperCase().padStart(2, '0')),
  ].join('-');

describe('EUI memo under a flood of distinct sources', () => {
  it('holds at most 65,536 entries after 200,000 distinct EUIs, and still reads and parses every one right', () => {
    const bytes = new Uint8Array(8);
    bytes.set([0x90, 0xb3, 0xd5, 0x1f]);
    const view = new DataView(bytes.buffer);
    for (let n = 0; n < 200_000; n++) {
      view.setUint32(4, n);
      const text = readEui(bytes, 0);
      if (n % 9_973 === 0 || n === 199_999) {
        expect(text).toBe(expectedText(n));
        expect([...euiToBytes(text)]).toEqual([
          0x90,
          0xb3,
          0xd5,
          0x1f,
          n >>> 24,
          (n >>> 16) & 0xff,
          (n >>> 8) & 0xff,
          n & 0xff,
        ]);
      }
    }
    expect(euiCacheEntries()).toBeLessThanOrEqual(65_536);
    expect(euiCacheEntries()).toBeGreaterThan(60_000); // the memo is used, not switched off
  });
});
