/**
 * The migration's own eligible product list and phase durations (harness/migration/products.ts, durations.ts):
 * written from the EPCL entries and the OPSG durations, not read from the emulated devices' profiles, so a device
 * whose firmware is not on the list is rejected even when the emulator itself runs it. (The inventory an
 * installation is judged by is the SMSO's, smsoInventory.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assumption } from '../../common/assumptions';
import { seedRandom } from '../../common/random';
import { PHASE_DURATIONS, sampleDuration } from '../../harness/migration/durations';
import { eligibility } from '../../harness/migration/eligibility';
import { benchInstallation, migrationRegistrationData } from '../../harness/migration/installation';

const HOUR = 3600;

describe('the eligible product list', () => {
  it("holds the emulated products' firmware, so a bench installation of either vendor is eligible", () => {
    for (const vendor of ['itron', 'elster'] as const) {
      const installation = benchInstallation({ vendor, kind: 'dormant' });
      expect(eligibility(installation, migrationRegistrationData(installation))).toBeUndefined();
    }
  });

  it('rejects an ESME whose firmware moved on without the list', () => {
    const installation = benchInstallation({
      vendor: 'itron',
      kind: 'active',
      firmware: { ESME: 'ITRON-ESME-02.12.00' },
    });
    expect(eligibility(installation, migrationRegistrationData(installation))).toEqual({
      code: 'ineligible-product',
      detail: 'ESME 00-DB-12-34-56-78-90-A0: itron firmware ITRON-ESME-02.12.00 is not on the eligible product list',
    });
  });

  it("refuses another vendor's firmware for a listed type", () => {
    const installation = benchInstallation({ vendor: 'itron', kind: 'dormant', firmware: { CHF: 'ELSTER-CH-3.2.1' } });
    expect(eligibility(installation, migrationRegistrationData(installation))).toMatchObject({
      code: 'ineligible-product',
    });
  });

  it('is registered as assumed, with the EPCL entries it comes from', () => {
    const itron = assumption('migration.eligibleProducts.itron');
    expect(itron.value).toEqual({
      CHF: 'ITRON-CH-01.06.02',
      ESME: 'ITRON-ESME-02.11.00',
      GSME: 'ITRON-GSME-01.09.04',
      PPMID: 'ITRON-PPMID-01.02.00',
    });
    expect(itron.source).toMatch(/^assumed: the EPCL \(SECP_74_1511_06/);
    expect(assumption('migration.eligibleProducts.elster').value).toMatchObject({ ESME: 'ELSTER-ESME-4.1.7' });
  });
});

describe('migration phase durations', () => {
  it('Itron: at most 7 h in all; Elster: from 2 h to 3 h (OPSG February 2020)', () => {
    const i = PHASE_DURATIONS.itron;
    const e = PHASE_DURATIONS.elster;
    // written out by hand from the table: a change to any bound changes a sum
    expect(i.preparation).toEqual({ kind: 'triangular', minSeconds: 600, modeSeconds: 1800, maxSeconds: 3600 });
    expect(i.credentialSwap).toEqual({ kind: 'triangular', minSeconds: 3600, modeSeconds: 7200, maxSeconds: 14400 });
    expect(i.commissioning).toEqual({ kind: 'triangular', minSeconds: 900, modeSeconds: 1800, maxSeconds: 7200 });
    expect(3600 + 14400 + 7200).toBe(7 * HOUR);
    expect(e.preparation).toEqual({ kind: 'uniform', minSeconds: 600, maxSeconds: 900 });
    expect(e.credentialSwap).toEqual({ kind: 'uniform', minSeconds: 4500, maxSeconds: 6300 });
    expect(e.commissioning).toEqual({ kind: 'uniform', minSeconds: 2100, maxSeconds: 3600 });
    expect([600 + 4500 + 2100, 900 + 6300 + 3600]).toEqual([2 * HOUR, 3 * HOUR]);
  });

  it('sampled durations stay inside their distribution and replay from the same generator state', () => {
    for (const phases of [PHASE_DURATIONS.itron, PHASE_DURATIONS.elster]) {
      for (const distribution of Object.values(phases)) {
        let random = seedRandom(99);
        for (let i = 0; i < 200; i += 1) {
          const [seconds, next] = sampleDuration(distribution, random);
          expect(sampleDuration(distribution, random)[0]).toBe(seconds);
          if (distribution.kind !== 'fixed') {
            expect(seconds).toBeGreaterThanOrEqual(distribution.minSeconds);
            expect(seconds).toBeLessThanOrEqual(distribution.maxSeconds);
          }
          random = next;
        }
      }
    }
  });

  it('are the registered assumptions the orchestrator reads', () => {
    expect(assumption('migration.phaseDurations.itron').value).toBe(PHASE_DURATIONS.itron);
    expect(assumption('migration.phaseDurations.elster').source).toMatch(
      /^public \(OPSG Feb 2020\): Elster installations take 2-3 hours; .* assumed/,
    );
  });
});

describe('the migration', () => {
  it('reads neither its product list nor its durations from devices/profiles', () => {
    for (const file of ['eligibility.ts', 'products.ts', 'durations.ts', 'orchestrator.ts']) {
      const source = readFileSync(new URL(`../../harness/migration/${file}`, import.meta.url), 'utf8');
      expect(source, file).not.toMatch(/devices\/profiles/);
    }
  });
});
