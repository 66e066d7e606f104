/**
 * Device references against a bench: its sets' EUIs written out here from the RTDS scheme (set n: last byte A0 +
 * 0x10 n), as the loader fills them in, or a real device's EUI in their place (`bench.euis`).
 */
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../../harness/packs/devices';

describe('resolveDevice', () => {
  const scheme = (set: number, ppmid = true) => {
    const last = 0xa0 + 0x10 * set;
    const eui = (offset: number) => `00-DB-12-34-56-78-90-${(last + offset).toString(16).toUpperCase()}`;
    return { ESME: eui(0), GSME: eui(1), CH: eui(2), ...(ppmid ? { PPMID: eui(3) } : {}) };
  };
  const threeSets = { sets: 3, ppmid: true, euis: [scheme(0), scheme(1), scheme(2)] };
  const noPpmid = { sets: 1, ppmid: false, euis: [scheme(0, false)] };

  it('roles, with and without a set, and CH as CHF', () => {
    expect(resolveDevice('ESME', threeSets)).toEqual({
      text: 'ESME',
      role: 'ESME',
      set: 0,
      eui: '00-DB-12-34-56-78-90-A0',
    });
    expect(resolveDevice('CHF', threeSets)).toEqual({
      text: 'CHF',
      role: 'CH',
      set: 0,
      eui: '00-DB-12-34-56-78-90-A2',
    });
    expect(resolveDevice('CH@1', threeSets)).toEqual({
      text: 'CH@1',
      role: 'CH',
      set: 1,
      eui: '00-DB-12-34-56-78-90-B2',
    });
    expect(resolveDevice('PPMID@2', threeSets)).toEqual({
      text: 'PPMID@2',
      role: 'PPMID',
      set: 2,
      eui: '00-DB-12-34-56-78-90-C3',
    });
  });

  it('EUIs of any set', () => {
    expect(resolveDevice('00-DB-12-34-56-78-90-B1', threeSets)).toEqual({
      text: '00-DB-12-34-56-78-90-B1',
      role: 'GSME',
      set: 1,
      eui: '00-DB-12-34-56-78-90-B1',
    });
    expect(resolveDevice('00-DB-12-34-56-78-90-D0', threeSets)).toBe(
      'no device of the bench has the EUI 00-DB-12-34-56-78-90-D0',
    );
  });

  it('a set or a PPMID the bench does not have', () => {
    expect(resolveDevice('ESME@3', threeSets)).toBe('names device set 3, but the bench has 3 sets (0 to 2)');
    expect(resolveDevice('PPMID', noPpmid)).toBe('names a PPMID, but the bench has none (bench.ppmid is false)');
    expect(resolveDevice('00-DB-12-34-56-78-90-A3', noPpmid)).toBe(
      'no device of the bench has the EUI 00-DB-12-34-56-78-90-A3',
    );
  });

  it("a real device's EUI in place of the scheme's: by role and by EUI; the scheme's is no device then", () => {
    const real = { sets: 1, ppmid: true, euis: [{ ...scheme(0), CH: '00-0D-6F-00-01-02-03-04' }] };
    expect(resolveDevice('CHF', real)).toEqual({ text: 'CHF', role: 'CH', set: 0, eui: '00-0D-6F-00-01-02-03-04' });
    expect(resolveDevice('00-0D-6F-00-01-02-03-04', real)).toEqual({
      text: '00-0D-6F-00-01-02-03-04',
      role: 'CH',
      set: 0,
      eui: '00-0D-6F-00-01-02-03-04',
    });
    expect(resolveDevice('00-DB-12-34-56-78-90-A2', real)).toBe(
      'no device of the bench has the EUI 00-DB-12-34-56-78-90-A2',
    );
  });
});
