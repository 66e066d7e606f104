/** A bench's EUIs (benchConfig.ts setEuis): set i's ESME at …-90-A0 + 0x10·i, GSME +1, CH +2, PPMID +3. */
import { describe, expect, it } from 'vitest';
import { setEuis } from '../../emulator/host/benchConfig';

describe('setEuis', () => {
  it("set 0 has the DCC RTDS template's EUIs", () => {
    expect(setEuis(0, true)).toEqual({
      ESME: '00-DB-12-34-56-78-90-A0',
      GSME: '00-DB-12-34-56-78-90-A1',
      CH: '00-DB-12-34-56-78-90-A2',
      PPMID: '00-DB-12-34-56-78-90-A3',
    });
  });

  it('each further set is 0x10 higher in the low 32 bits, with a carry across pairs, and no PPMID unless asked', () => {
    expect(setEuis(1, false)).toEqual({
      ESME: '00-DB-12-34-56-78-90-B0',
      GSME: '00-DB-12-34-56-78-90-B1',
      CH: '00-DB-12-34-56-78-90-B2',
    });
    expect(setEuis(0x10, true).PPMID).toBe('00-DB-12-34-56-78-91-A3');
    expect(Object.keys(setEuis(2, true))).toEqual(['ESME', 'GSME', 'CH', 'PPMID']);
  });

  it('the low 32 bits wrap past FF-FF-FF-FF', () => {
    // 0x567890A0 + 0x0A9876F6 · 0x10 = 0x1_0000_0000
    expect(setEuis(0x0a9876f6, false).ESME).toBe('00-DB-12-34-00-00-00-00');
    expect(setEuis(0x0a9876f5, false).GSME).toBe('00-DB-12-34-FF-FF-FF-F1');
  });

  it('refuses an index out of range', () => {
    expect(() => setEuis(-1, true)).toThrow('set index -1 is out of range');
    expect(() => setEuis(0x0fffffff, true)).toThrow('out of range');
  });
});
