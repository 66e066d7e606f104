/** Device references against a bench: EUIs written out from the RTDS scheme (set n: last byte A0 + 0x10 n). */
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../../harness/packs/devices';

describe('resolveDevice', () => {
  const threeSets = { sets: 3, ppmid: true };

  it('roles, with and without a set, and CH as CHF', () => {
    expect(resolveDevice('ESME', threeSets)).toEqual({ text: 'ESME', role: 'ESME', set: 0, eui: '00-DB-12-34-56-78-90-A0' });
    expect(resolveDevice('CHF', threeSets)).toEqual({ text: 'CHF', role: 'CH', set: 0, eui: '00-DB-12-34-56-78-90-A2' });
    expect(resolveDevice('CH@1', threeSets)).toEqual({ text: 'CH@1', role: 'CH', set: 1, eui: '00-DB-12-34-56-78-90-B2' });
    expect(resolveDevice('PPMID@2', threeSets)).toEqual({ text: 'PPMID@2', role: 'PPMID', set: 2, eui: '00-DB-12-34-56-78-90-C3' });
  });

  it('EUIs of any set', () => {
    expect(resolveDevice('00-DB-12-34-56-78-90-B1', threeSets)).toEqual({ text: '00-DB-12-34-56-78-90-B1', role: 'GSME', set: 1, eui: '00-DB-12-34-56-78-90-B1' });
    expect(resolveDevice('00-DB-12-34-56-78-90-D0', threeSets)).toBe('no device of the bench has the EUI 00-DB-12-34-56-78-90-D0');
  });

  it('a set or a PPMID the bench does not have', () => {
    expect(resolveDevice('ESME@3', threeSets)).toBe('names device set 3, but the bench has 3 sets (0 to 2)');
    expect(resolveDevice('PPMID', { sets: 1, ppmid: false })).toBe('names a PPMID, but the bench has none (bench.ppmid is false)');
    expect(resolveDevice('00-DB-12-34-56-78-90-A3', { sets: 1, ppmid: false })).toBe('no device of the bench has the EUI 00-DB-12-34-56-78-90-A3');
  });
});
