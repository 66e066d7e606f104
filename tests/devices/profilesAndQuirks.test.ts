import { describe, expect, it } from 'vitest';
import { deriveSeed, nextRandom, seedRandom } from '../../common/random';
import { assumedValues, elsterProfile, itronProfile, profileReport } from '../../devices/profiles';
import { getQuirk, listQuirks, resolveQuirks } from '../../devices/quirks';

describe('vendor profiles', () => {
  it('join window maximum: Elster 255 s, Itron 3600 s, both assumed (inferences from the defect report and DUIS)', () => {
    expect(elsterProfile.joinWindowMax).toMatchObject({ value: 255, source: 'assumed' });
    expect(itronProfile.joinWindowMax).toMatchObject({ value: 3600, source: 'assumed' });
    expect(elsterProfile.joinWindowMax.note).toContain('SECP_74_1511_06');
    expect(itronProfile.joinWindowMax.note).toContain('1..3600');
  });

  it('PPMID join timing: a 30 s attempt timeout and a 60 s retry interval, both assumed, for both vendors', () => {
    for (const profile of [elsterProfile, itronProfile]) {
      expect(profile.ppmid.joinAttemptTimeout).toMatchObject({ value: 30, source: 'assumed' });
      expect(profile.ppmid.joinRetryInterval).toMatchObject({ value: 60, source: 'assumed' });
    }
  });

  it('labels every value public or assumed, so a report can print the assumptions', () => {
    const rows = profileReport(itronProfile);
    expect(rows.find((row) => row.path === 'joinWindowMax')).toMatchObject({ value: 3600, source: 'assumed' });
    expect(rows.find((row) => row.path === 'devices.GSME.hanFailureRate')).toMatchObject({
      value: 0.05,
      source: 'assumed',
    });
    expect(rows.find((row) => row.path === 'gsme.migrationRetrySuccessRate')).toMatchObject({
      value: 0.77,
      source: 'public',
    });
    expect(rows.find((row) => row.path === 'esme.voltageConfigWritable')).toMatchObject({ value: true });
    expect(rows.every((row) => row.note.length > 0)).toBe(true);
    expect(assumedValues(elsterProfile).map((row) => row.path)).toContain('joinWindowMax');
    expect(assumedValues(elsterProfile).map((row) => row.path)).toContain('ppmid.joinRetryInterval');
  });

  it("labels Itron's pre-migration ESME thresholds and every vendor default voltage threshold assumed", () => {
    const itron = profileReport(itronProfile);
    expect(itron.find((row) => row.path === 'esme.voltageDefaults.averageOverThreshold')).toMatchObject({
      value: 236.9,
      source: 'assumed',
    });
    expect(itron.find((row) => row.path === 'esme.voltageDefaults.swellThreshold')).toMatchObject({
      value: 239.2,
      source: 'assumed',
    });
    expect(itron.find((row) => row.path === 'esme.powerFactorThreshold')).toMatchObject({
      value: 0.95,
      source: 'assumed',
    });
    const elster = profileReport(elsterProfile);
    expect(elster.find((row) => row.path === 'esme.voltageDefaults.averageOverThreshold')).toMatchObject({
      value: 253,
      source: 'assumed',
    });
    expect(elster.find((row) => row.path === 'esme.voltageDefaults.averageUnderThreshold')).toMatchObject({
      value: 216.2,
      source: 'assumed',
    });
    for (const row of [...itron, ...elster].filter((r) => r.path.startsWith('esme.voltageDefaults.')))
      expect(row.source).toBe('assumed');
  });
});

describe('quirks registry', () => {
  it('91333 names its assumptions (the UTC day) and its gate (Itron GSME in DCC service)', () => {
    expect(getQuirk('91333').assumed).toContain('UTC calendar day');
    expect(getQuirk('91333').description).toContain('in DCC service');
  });

  it('lists the three device-side defects with their source, vendor and device', () => {
    expect(listQuirks().map(({ id, vendor, device }) => ({ id, vendor, device }))).toEqual([
      { id: '91342', vendor: 'elster', device: 'CH' },
      { id: '91333', vendor: 'itron', device: 'GSME' },
      { id: 'risk11', vendor: 'itron', device: 'ESME' },
    ]);
    expect(getQuirk('91342').source).toContain('91342');
  });

  it("resolves per vendor, with bench overrides, and never switches on another vendor's quirk", () => {
    expect(resolveQuirks('elster')).toEqual(['91342']);
    expect(resolveQuirks('itron')).toEqual(['91333', 'risk11']);
    expect(resolveQuirks('elster', { '91342': false })).toEqual([]);
    expect(resolveQuirks('itron', { risk11: false })).toEqual(['91333']);
    expect(resolveQuirks('itron', { '91342': true })).toEqual(['91333', 'risk11']);
    expect(() => resolveQuirks('itron', { '61224': true } as never)).toThrow(/unknown quirk/);
  });
});

describe('seeded generator', () => {
  it('is mulberry32: pinned first draws for seed 1', () => {
    let state = seedRandom(1);
    const draws: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const [value, next] = nextRandom(state);
      draws.push(Math.round(value * 1e9));
      state = next;
    }
    expect(draws).toEqual(DRAWS_FOR_SEED_1);
  });

  it('derives different seeds per device of a set', () => {
    expect(deriveSeed(1, '00-DB-12-34-56-78-90-A1')).not.toBe(deriveSeed(1, '00-DB-12-34-56-78-90-A0'));
    expect(deriveSeed(1, '00-DB-12-34-56-78-90-A1')).toBe(deriveSeed(1, '00-DB-12-34-56-78-90-A1'));
  });
});

// mulberry32(1): 0.6270739405…, 0.0027357210…, 0.5274470399…
const DRAWS_FOR_SEED_1 = [627073941, 2735721, 527447040];
